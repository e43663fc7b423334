"""Escalations to directory contacts, kept until answered (issue #12), in the cases table.

Access patterns (docs/data-model.md):
- one escalation (the signed link names it): GetItem pk=ESCALATION#<id>, sk=ESCALATION
- unanswered urgent escalations whose reminder or hand-over is due: the sparse `sla_due` index under its
  own partition `ESCALATION_DUE` (gsi2sk = <next action time>#<id>); an escalation leaves it when it is
  answered or handed to the backup. Few at any time (urgent and unanswered), so one partition.
- a stage change is a conditional put on the stage it read: two sweeps or a sweep and an answer cannot
  both win.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.adapters.aws import DynamoAdapter, unavailable_on_aws_error
from shared.adapters.cases_repo import plain
from shared.clock import iso
from shared.errors import Conflict, NotFound
from shared.models.escalation import EscalationRecord

DUE = "ESCALATION_DUE"
_INDEX = "sla_due"


def _key(escalation_id: str) -> dict[str, str]:
    return {"pk": f"ESCALATION#{escalation_id}", "sk": "ESCALATION"}


class DynamoEscalations(DynamoAdapter):
    def __init__(self, table_name: str, client: Any = None):
        self._table = table_name
        self._client = client

    def _item(self, record: EscalationRecord) -> dict[str, Any]:
        item: dict[str, Any] = {**record.model_dump(mode="json"), **_key(record.escalation_id)}
        if record.next_at is not None:
            item.update(gsi2pk=DUE, gsi2sk=f"{iso(record.next_at)}#{record.escalation_id}")
        return item

    @staticmethod
    def _record(item: dict[str, Any]) -> EscalationRecord:
        data = plain(item)
        return EscalationRecord.model_validate(
            {k: v for k, v in data.items() if k in EscalationRecord.model_fields}
        )

    def add(self, record: EscalationRecord) -> None:
        with unavailable_on_aws_error("storing the escalation"):
            self.client.put_item(TableName=self._table, Item=self._s(self._item(record)))

    def get(self, escalation_id: str) -> EscalationRecord:
        with unavailable_on_aws_error("reading the escalation"):
            item = self.client.get_item(
                TableName=self._table, Key=self._s(_key(escalation_id)), ConsistentRead=True
            ).get("Item")
        if not item:
            raise NotFound(f"no escalation {escalation_id}")
        return self._record(self._d(item))

    def due(self, before: datetime, limit: int) -> list[EscalationRecord]:
        with unavailable_on_aws_error("listing due escalations"):
            answer = self.client.query(
                TableName=self._table,
                IndexName=_INDEX,
                KeyConditionExpression="gsi2pk = :pk AND gsi2sk < :before",
                ExpressionAttributeValues=self._s({":pk": DUE, ":before": iso(before)}),
                Limit=limit,
            )
        return [self._record(self._d(item)) for item in answer.get("Items", [])]

    def advance(self, before: EscalationRecord, after: EscalationRecord) -> None:
        """Store `after` if the escalation is still at `before`'s stage; Conflict otherwise."""
        from botocore.exceptions import ClientError

        with unavailable_on_aws_error("updating the escalation"):
            try:
                self.client.put_item(
                    TableName=self._table,
                    Item=self._s(self._item(after)),
                    ConditionExpression="stage = :stage",
                    ExpressionAttributeValues=self._s({":stage": before.stage.value}),
                )
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                    raise Conflict(f"escalation {before.escalation_id} changed meanwhile") from error
                raise
