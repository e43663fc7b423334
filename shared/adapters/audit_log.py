"""The audit trail in DynamoDB (the cases table; see docs/privacy.md).

Items:
    AUDIT_HEAD / AUDIT_HEAD       the chain's head: last seq and its hash (every append moves it)
    AUDIT#<yyyy-mm-dd> / SEQ#<n>  one record; a day's records are one partition, read in seq order
    AUDIT_SEALED / AUDIT_SEALED   how far the chain has been copied to the write-once vault (seq, hash, day)
Access patterns: append (read head, then put record + move head in one transaction, conditioned on the
head not having moved); one day's records (Query on AUDIT#<day>). Records carry `expires_at` (the table's
TTL attribute), set from the audit log's retention limit.

The head is one item: every audited request writes it, which DynamoDB sustains at about 500 transactions
a second, well above a care desk's rate of reads and changes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shared import clock
from shared.adapters.aws import DynamoAdapter
from shared.errors import Conflict, Unavailable
from shared.models.audit import GENESIS, AuditRecord, SealPointer, expiry

_HEAD = {"pk": {"S": "AUDIT_HEAD"}, "sk": {"S": "AUDIT_HEAD"}}
_SEALED = {"pk": {"S": "AUDIT_SEALED"}, "sk": {"S": "AUDIT_SEALED"}}
_FIELDS = (
    "actor",
    "roles",
    "action",
    "target",
    "outcome",
    "source_ip",
    "user_agent",
    "detail",
    "prev_hash",
    "hash",
)


def day_key(day: date) -> str:
    return f"AUDIT#{day.isoformat()}"


class DynamoAuditLog(DynamoAdapter):
    def __init__(self, table_name: str, client: Any = None):
        self._table = table_name
        self._client = client

    def head(self) -> tuple[int, str]:
        from botocore.exceptions import ClientError

        try:
            item = self.client.get_item(TableName=self._table, Key=_HEAD, ConsistentRead=True).get("Item")
        except ClientError as error:
            raise Unavailable(
                f"the audit trail could not be read ({error.response['Error']['Code']})"
            ) from error
        if not item:
            return 0, GENESIS
        plain = self._d(item)
        return int(plain["seq"]), str(plain["hash"])

    def append(self, record: AuditRecord, expected_seq: int, keep_days: int) -> None:
        from botocore.exceptions import ClientError

        item = {
            "pk": day_key(record.at.date()),
            "sk": f"SEQ#{record.seq:012d}",
            "type": "audit",
            "seq": record.seq,
            "at": clock.iso(record.at),
            "expires_at": expiry(record.at, keep_days),
            **record.model_dump(mode="json", include=set(_FIELDS)),
        }
        values: dict[str, Any] = {":seq": record.seq, ":hash": record.hash}
        if expected_seq:
            values[":expected"] = expected_seq
        head_update: dict[str, Any] = {
            "TableName": self._table,
            "Key": _HEAD,
            "UpdateExpression": "SET seq = :seq, #h = :hash",
            "ConditionExpression": "seq = :expected" if expected_seq else "attribute_not_exists(pk)",
            "ExpressionAttributeNames": {"#h": "hash"},
            "ExpressionAttributeValues": self._s(values),
        }
        operations = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": self._s(item),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {"Update": head_update},
        ]
        try:
            self.client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code == "TransactionCanceledException":
                raise Conflict("the audit chain moved meanwhile") from error
            raise Unavailable(f"the audit trail could not be written ({code})") from error

    def day(self, day: date) -> list[AuditRecord]:
        records: list[AuditRecord] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": day_key(day)}},
        }
        while True:
            answer = self.client.query(**kwargs)
            records += [_record(self._d(item)) for item in answer.get("Items", [])]
            if "LastEvaluatedKey" not in answer:
                return records
            kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def sealed(self) -> SealPointer:
        item = self.client.get_item(TableName=self._table, Key=_SEALED, ConsistentRead=True).get("Item")
        if not item:
            return SealPointer()
        plain = self._d(item)
        return SealPointer(seq=int(plain["seq"]), hash=str(plain["hash"]), day=plain.get("day") or None)

    def advance_seal(self, to: SealPointer, expected_seq: int) -> None:
        from botocore.exceptions import ClientError

        values: dict[str, Any] = {
            ":seq": to.seq,
            ":hash": to.hash,
            ":day": to.day.isoformat() if to.day else "",
        }
        if expected_seq:
            values[":expected"] = expected_seq
        try:
            self.client.update_item(
                TableName=self._table,
                Key=_SEALED,
                UpdateExpression="SET seq = :seq, #h = :hash, #d = :day, #t = :type",
                ConditionExpression="seq = :expected" if expected_seq else "attribute_not_exists(pk)",
                ExpressionAttributeNames={"#h": "hash", "#d": "day", "#t": "type"},
                ExpressionAttributeValues=self._s(values | {":type": "audit_sealed"}),
            )
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code == "ConditionalCheckFailedException":
                raise Conflict("the audit seal moved meanwhile") from error
            raise Unavailable(f"the audit seal could not be moved ({code})") from error


def _record(item: dict[str, Any]) -> AuditRecord:
    return AuditRecord.model_validate(
        {k: item.get(k) for k in _FIELDS if k in item}
        | {"seq": int(item["seq"]), "at": clock.parse_iso(item["at"]), "outcome": int(item.get("outcome", 0))}
    )
