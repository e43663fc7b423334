"""Training records (R26) in the cases table.

Access patterns (docs/data-model.md):
- the change in force: GetItem pk=TRAINING, sk=CURRENT (one small item; each version also kept at
  sk=VERSION#<n>, written together, conditional on that version not existing)
- has this agent passed version n: GetItem pk=TRAINING#<n>, sk=PASS#<email> (on every reply)
- who passed version n: Query pk=TRAINING#<n> (the supervisors' view; one item per agent)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.adapters.aws import DynamoAdapter, unavailable_on_aws_error
from shared.adapters.cases_repo import plain
from shared.clock import iso
from shared.errors import Conflict
from shared.models.training import ProcedureChange


class DynamoTrainingRecords(DynamoAdapter):
    def __init__(self, table_name: str, client: Any = None):
        self._table = table_name
        self._client = client

    def current(self) -> ProcedureChange | None:
        with unavailable_on_aws_error("reading the procedure change"):
            item = self.client.get_item(
                TableName=self._table, Key=self._s({"pk": "TRAINING", "sk": "CURRENT"}), ConsistentRead=True
            ).get("Item")
        if not item:
            return None
        data = plain(self._d(item))
        return ProcedureChange.model_validate(
            {k: v for k, v in data.items() if k in ProcedureChange.model_fields}
        )

    def publish(self, change: ProcedureChange) -> None:
        from botocore.exceptions import ClientError

        body = change.model_dump(mode="json")
        items = [
            {"Put": {"TableName": self._table, "Item": self._s({**body, "pk": "TRAINING", "sk": "CURRENT"})}},
            {
                "Put": {
                    "TableName": self._table,
                    "Item": self._s({**body, "pk": "TRAINING", "sk": f"VERSION#{change.version:08d}"}),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
        ]
        with unavailable_on_aws_error("publishing the procedure change"):  # Conflict passes through
            try:
                self.client.transact_write_items(TransactItems=items)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") == "TransactionCanceledException":
                    raise Conflict(f"version {change.version} was published meanwhile") from error
                raise

    def passed(self, email: str, version: int) -> bool:
        with unavailable_on_aws_error("reading a training record"):
            found = self.client.get_item(
                TableName=self._table, Key=self._s({"pk": f"TRAINING#{version}", "sk": f"PASS#{email}"})
            ).get("Item")
        return found is not None

    def record_pass(self, email: str, version: int, at: datetime) -> None:
        item = {"pk": f"TRAINING#{version}", "sk": f"PASS#{email}", "email": email, "at": iso(at)}
        with unavailable_on_aws_error("recording a training pass"):
            self.client.put_item(TableName=self._table, Item=self._s(item))

    def passes(self, version: int) -> dict[str, datetime]:
        found: dict[str, datetime] = {}
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"TRAINING#{version}"}},
        }
        with unavailable_on_aws_error("reading training records"):
            while True:
                page = self.client.query(**kwargs)
                for item in page.get("Items", []):
                    data = self._d(item)
                    found[str(data["email"])] = datetime.fromisoformat(str(data["at"]))
                if "LastEvaluatedKey" not in page:
                    return found
                kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
