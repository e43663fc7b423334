"""Crisis updates (docs/outreach.md), in the cases table.

Access patterns:
- the cases of a crisis, in pages: Query pk=CRISIS#<id>#MEMBERS (sk = case id), written by intake when a
  case becomes part of the crisis (an idempotent put: a retried intake writes the same item)
- a version's progress: pk=CRISIS#<id>#UPDATES, sk=V#<version, 6 digits>; counters with UpdateItem ADD
  (the broadcaster and every dispatcher add to them at once without reading)
- a version's failures, newest first: Query pk=CRISIS#<id>#FAILED#<version>, sk=<at>#<case id>, Limit
- recording that a case gets a version: one transaction that moves the case's crisis_statement_version
  forward (only if it is lower and the case is still in the crisis) and writes the reply's timeline entry
  (only if absent), so a redelivered job never queues a second reply
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from shared.adapters.aws import DynamoAdapter
from shared.clock import iso
from shared.models.broadcast import BroadcastProgress, Failure
from shared.models.case import TimelineEntry

FAILURES_SHOWN = 20
_COUNTERS = ("queued", "sent", "failed")


def _plain(value: Any) -> Any:
    from shared.adapters.cases_repo import plain

    return plain(value)


def _updates_pk(crisis_id: str) -> str:
    return f"CRISIS#{crisis_id}#UPDATES"


def _version_sk(version: int) -> str:
    return f"V#{version:06d}"


class DynamoBroadcasts(DynamoAdapter):
    def __init__(self, table_name: str, client: Any = None):
        self._table = table_name
        self._client = client

    def _key(self, pk: str, sk: str) -> dict[str, Any]:
        return {"pk": {"S": pk}, "sk": {"S": sk}}

    # -- members --

    def add_member(self, crisis_id: str, case_id: str, platform: str) -> None:
        item = {
            "pk": f"CRISIS#{crisis_id}#MEMBERS",
            "sk": case_id,
            "type": "crisis_member",
            "platform": platform,
        }
        self.client.put_item(TableName=self._table, Item=self._s(item))

    def members(self, crisis_id: str, after: str | None, limit: int) -> tuple[list[str], bool]:
        """Case ids after `after` (in id order), and whether more follow."""
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"CRISIS#{crisis_id}#MEMBERS"}},
            "Limit": limit,
        }
        if after:
            kwargs["ExclusiveStartKey"] = self._key(f"CRISIS#{crisis_id}#MEMBERS", after)
        page = self.client.query(**kwargs)
        return [i["sk"]["S"] for i in page["Items"]], "LastEvaluatedKey" in page

    # -- recording a case's update --

    def record_update(self, entry: TimelineEntry, crisis_id: str, version: int) -> bool:
        """Move the case to `version` and write the reply entry, atomically; False when the case already
        had this version (or left the crisis, or the entry exists)."""
        from botocore.exceptions import ClientError

        from shared.adapters.cases_repo import case_pk, entry_item

        case_update = {
            "Update": {
                "TableName": self._table,
                "Key": self._key(case_pk(entry.case_id), "CASE"),
                "UpdateExpression": "SET crisis_statement_version = :v, version = version + :one",
                "ConditionExpression": "crisis_id = :c AND crisis_statement_version < :v",
                "ExpressionAttributeValues": {
                    ":v": {"N": str(version)},
                    ":one": {"N": "1"},
                    ":c": {"S": crisis_id},
                },
            }
        }
        put = {
            "Put": {
                "TableName": self._table,
                "Item": self._s(entry_item(entry)),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        try:
            self.client.transact_write_items(TransactItems=[case_update, put])
        except ClientError as error:
            reasons = error.response.get("CancellationReasons", [])
            if error.response["Error"]["Code"] == "TransactionCanceledException" and any(
                r.get("Code") == "ConditionalCheckFailed" for r in reasons
            ):
                return False
            raise
        return True

    # -- progress --

    def start(self, progress: BroadcastProgress) -> bool:
        """Record a version's delivery as started; False when it already was."""
        from botocore.exceptions import ClientError

        item = {
            **json.loads(progress.model_dump_json(exclude={"failures"}), parse_float=Decimal),
            "pk": _updates_pk(progress.crisis_id),
            "sk": _version_sk(progress.statement_version),
            "type": "crisis_update",
        }
        try:
            self.client.put_item(
                TableName=self._table, Item=self._s(item), ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def count(self, crisis_id: str, version: int, what: str, platform: str | None = None) -> None:
        """Add one to a counter: queued/sent/failed, or a Skip value under `skipped`."""
        names = {"#c": what} if what in _COUNTERS else {"#s": "skipped", "#c": what}
        path = "#c" if what in _COUNTERS else "#s.#c"
        expression = f"SET {path} = if_not_exists({path}, :zero) + :one"
        if platform and what == "queued":
            names.update({"#p": "by_platform", "#pl": platform})
            expression += ", #p.#pl = if_not_exists(#p.#pl, :zero) + :one"
        self.client.update_item(
            TableName=self._table,
            Key=self._key(_updates_pk(crisis_id), _version_sk(version)),
            UpdateExpression=expression,
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={":one": {"N": "1"}, ":zero": {"N": "0"}},
        )

    def mark(
        self, crisis_id: str, version: int, *, done_at: str | None = None, superseded: bool = False
    ) -> None:
        sets: list[str] = []
        values: dict[str, Any] = {}
        if done_at:
            sets.append("done_at = if_not_exists(done_at, :d)")
            values[":d"] = {"S": done_at}
        if superseded:
            sets.append("superseded = :t")
            values[":t"] = {"BOOL": True}
        self.client.update_item(
            TableName=self._table,
            Key=self._key(_updates_pk(crisis_id), _version_sk(version)),
            UpdateExpression="SET " + ", ".join(sets),
            ExpressionAttributeValues=values,
        )

    def add_failure(self, crisis_id: str, version: int, failure: Failure) -> None:
        item = {
            **json.loads(failure.model_dump_json()),
            "pk": f"CRISIS#{crisis_id}#FAILED#{version}",
            "sk": f"{iso(failure.at)}#{failure.case_id}",
            "type": "crisis_update_failure",
        }
        self.client.put_item(TableName=self._table, Item=self._s(item))

    def progress(self, crisis_id: str) -> list[BroadcastProgress]:
        """Every version's progress, newest first, with its latest failures."""
        answer = self.client.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": _updates_pk(crisis_id)}},
            ScanIndexForward=False,
        )
        found = []
        for raw in answer["Items"]:
            item = _plain(self._d(raw))
            data = {k: v for k, v in item.items() if k not in ("pk", "sk", "type")}
            data["failures"] = self._failures(crisis_id, int(data["statement_version"]))
            found.append(BroadcastProgress.model_validate(data))
        return found

    def _failures(self, crisis_id: str, version: int) -> list[dict[str, Any]]:
        answer = self.client.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"CRISIS#{crisis_id}#FAILED#{version}"}},
            ScanIndexForward=False,
            Limit=FAILURES_SHOWN,
        )
        rows = [_plain(self._d(i)) for i in answer["Items"]]
        return [{k: v for k, v in r.items() if k not in ("pk", "sk", "type")} for r in rows]
