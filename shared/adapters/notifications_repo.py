"""Agents' notifications in the cases table.

Access patterns (docs/data-model.md):
- an agent's notifications, newest first: Query pk=AGENT#<email>, begins_with(sk, NOTIFY#), descending,
  limited (the console shows the latest 50 and counts the unread among them)
- mark some read: UpdateItem on pk=AGENT#<email>, sk=NOTIFY#<id>, conditional on the item existing
Items expire (TTL `expires_at`) after NOTIFICATION_DAYS. One partition per agent: an agent receives
notifications at human pace, far below a partition's limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from shared.adapters.aws import DynamoAdapter, unavailable_on_aws_error
from shared.adapters.cases_repo import plain
from shared.clock import iso
from shared.models.notification import Notification

NOTIFICATION_DAYS = 90
PREFIX = "NOTIFY#"


def agent_pk(email: str) -> str:
    return f"AGENT#{email}"


class DynamoNotifications(DynamoAdapter):
    def __init__(self, table_name: str, client: Any = None):
        self._table = table_name
        self._client = client

    def add(self, notification: Notification) -> None:
        item = notification.model_dump(mode="json", exclude_none=True)
        item.update(
            pk=agent_pk(notification.recipient),
            sk=PREFIX + notification.notification_id,
            type="notification",
            expires_at=int((notification.at + timedelta(days=NOTIFICATION_DAYS)).timestamp()),
        )
        with unavailable_on_aws_error("storing a notification"):
            self.client.put_item(TableName=self._table, Item=self._s(item))

    def recent(self, recipient: str, limit: int) -> list[Notification]:
        with unavailable_on_aws_error("reading notifications"):
            answer = self.client.query(
                TableName=self._table,
                KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
                ExpressionAttributeValues={":pk": {"S": agent_pk(recipient)}, ":prefix": {"S": PREFIX}},
                ScanIndexForward=False,
                Limit=limit,
            )
        fields = set(Notification.model_fields)
        return [
            Notification.model_validate({k: v for k, v in plain(self._d(i)).items() if k in fields})
            for i in answer.get("Items", [])
        ]

    def mark_read(self, recipient: str, notification_ids: Sequence[str], at: datetime) -> int:
        from botocore.exceptions import ClientError

        marked = 0
        for notification_id in notification_ids:
            with unavailable_on_aws_error("marking a notification read"):
                try:
                    self.client.update_item(
                        TableName=self._table,
                        Key={"pk": {"S": agent_pk(recipient)}, "sk": {"S": PREFIX + notification_id}},
                        UpdateExpression="SET read_at = :at",
                        ConditionExpression="attribute_exists(pk) AND attribute_not_exists(read_at)",
                        ExpressionAttributeValues={":at": {"S": iso(at)}},
                    )
                except ClientError as error:
                    if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                        raise
                    continue  # not this agent's, gone, or already read: nothing to do
            marked += 1
        return marked

    def rewrite_for_cases(self, recipient: str, case_ids: Sequence[str], text: str) -> int:
        """Replace the text of the recipient's notifications about these cases (erasure); how many."""
        wanted = set(case_ids)
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": agent_pk(recipient)}, ":prefix": {"S": PREFIX}},
        }
        rewritten = 0
        with unavailable_on_aws_error("rewriting notifications"):
            while True:
                page = self.client.query(**kwargs)
                for item in page["Items"]:
                    if item.get("case_id", {}).get("S") in wanted and item.get("text", {}).get("S") != text:
                        self.client.update_item(
                            TableName=self._table,
                            Key={"pk": item["pk"], "sk": item["sk"]},
                            UpdateExpression="SET #text = :text",
                            ExpressionAttributeNames={"#text": "text"},
                            ExpressionAttributeValues={":text": {"S": text}},
                        )
                        rewritten += 1
                if "LastEvaluatedKey" not in page:
                    return rewritten
                kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
