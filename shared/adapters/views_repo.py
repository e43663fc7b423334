"""Agents' saved searches in the cases table.

Access patterns (docs/data-model.md): an agent's saved views, oldest first: Query pk=AGENT#<email>,
begins_with(sk, VIEW#), limited to MAX_VIEWS; delete one: DeleteItem conditional on it existing. One
partition per agent (people-paced writes).
"""

from __future__ import annotations

import json
from typing import Any

from shared.adapters.aws import DynamoAdapter, unavailable_on_aws_error
from shared.adapters.notifications_repo import agent_pk
from shared.errors import NotFound
from shared.models.search import SavedView

PREFIX = "VIEW#"


class DynamoSavedViews(DynamoAdapter):
    def __init__(self, table_name: str, client: Any = None):
        self._table = table_name
        self._client = client

    def put_view(self, view: SavedView) -> None:
        item = {
            "pk": agent_pk(view.owner),
            "sk": PREFIX + view.view_id,
            "type": "saved_view",
            "view": view.model_dump_json(),
        }
        with unavailable_on_aws_error("saving a view"):
            self.client.put_item(TableName=self._table, Item=self._s(item))

    def views(self, owner: str, limit: int) -> list[SavedView]:
        with unavailable_on_aws_error("reading saved views"):
            answer = self.client.query(
                TableName=self._table,
                KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
                ExpressionAttributeValues={":pk": {"S": agent_pk(owner)}, ":prefix": {"S": PREFIX}},
                Limit=limit,
            )
        return [SavedView.model_validate(json.loads(i["view"]["S"])) for i in answer.get("Items", [])]

    def delete_view(self, owner: str, view_id: str) -> None:
        from botocore.exceptions import ClientError

        with unavailable_on_aws_error("deleting a saved view"):
            try:
                self.client.delete_item(
                    TableName=self._table,
                    Key={"pk": {"S": agent_pk(owner)}, "sk": {"S": PREFIX + view_id}},
                    ConditionExpression="attribute_exists(pk)",
                )
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise
                raise NotFound(f"no saved view {view_id!r}") from None
