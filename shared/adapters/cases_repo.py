"""Cases in DynamoDB: one table, items and indexes designed from the access patterns.

Access patterns (docs/architecture.md has the full table):
- get a case and its whole timeline: Query pk=CASE#<id>
- dedupe an inbound message and find its case: pk=MSG#<platform>#<platform id>
- dedupe other events (edits, statuses) for 8 days: pk=DEDUPE#<key> (TTL)
- find a customer's current case (threading, owner routing): pk=CUSTOMER#<platform>#<author id>
- a customer's cases, newest first (the case view's customer panel): pk=CUSTOMER#<platform>#<author id>,
  begins_with(sk, CASE#), descending; one small item per case, written when the case opens
- list by status, newest first: GSI by_status, pk STATUS#<status>#<shard>
- SLA sweep: GSI sla_due (sparse), pk SLA#<shard>, sk <reply due>#<id>
- an agent's cases / capacity: GSI by_owner, pk OWNER#<email>, sk <status>#<updated>
- reports: GSI by_day, pk DAY#<date>#<shard>, sk <opened>#<id>
Hot keys are spread over SHARDS partitions; readers fan out and merge.
"""

from __future__ import annotations

import base64
import heapq
import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from shared import clock
from shared.adapters.aws import DynamoAdapter
from shared.clock import iso, parse_iso
from shared.errors import ChangedMeanwhile, Conflict, InvalidInput, NotFound
from shared.ids import shard_of
from shared.models.case import Case, CaseStatus, TimelineEntry
from shared.models.customer import ContactDetails
from shared.models.records import (
    CustomerPointer,
    Duplicate,
    MessagePointer,
    PrivateHandover,
    SendLease,
    SideWrite,
    entry_key,
)

# Index partitions per constant key: at 10,000 new cases/s each shard takes ~310 case writes/s (~620 WCU for
# a ~1.6 KB item), well under DynamoDB's 1,000 WCU per partition (docs/scaling.md). Readers fan out in
# parallel and merge.
SHARDS = 32
FAN_OUT_THREADS = 8
DEDUPE_DAYS = 8  # platforms retry for up to 7 days


def _to_dynamo_json(model_json: str) -> dict[str, Any]:
    return json.loads(model_json, parse_float=Decimal)  # DynamoDB numbers must not be floats


def plain(value: Any) -> Any:
    """DynamoDB's Decimals back to int/float, recursively (for models and JSON answers)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def case_pk(case_id: str) -> str:
    return f"CASE#{case_id}"


entry_sk = entry_key  # the timeline entry's sort key is its domain key


def case_item(case: Case) -> dict[str, Any]:
    item = _to_dynamo_json(case.model_dump_json())
    shard = shard_of(case.case_id, SHARDS)
    item.update(
        pk=case_pk(case.case_id),
        sk="CASE",
        type="case",
        gsi1pk=f"STATUS#{case.status.value}#{shard}",
        gsi1sk=f"{iso(case.updated_at)}#{case.case_id}",
        gsi4pk=f"DAY#{case.opened_at.date().isoformat()}#{shard}",
        gsi4sk=f"{iso(case.opened_at)}#{case.case_id}",
    )
    if case.reply_due is not None and case.status.is_open:
        item.update(gsi2pk=f"SLA#{shard}", gsi2sk=f"{iso(case.reply_due)}#{case.case_id}")
    if case.owner:
        item.update(gsi3pk=f"OWNER#{case.owner}", gsi3sk=f"{case.status.value}#{iso(case.updated_at)}")
    return {k: v for k, v in item.items() if v is not None}


def case_from_item(item: dict[str, Any]) -> Case:
    return Case.model_validate(plain(item))


def entry_item(entry: TimelineEntry) -> dict[str, Any]:
    item = _to_dynamo_json(entry.model_dump_json())
    item.update(pk=case_pk(entry.case_id), sk=entry_sk(entry), type="entry")
    return item


def entry_from_item(item: dict[str, Any]) -> TimelineEntry:
    return TimelineEntry.model_validate(plain(item))


def _customer_item(case: Case) -> dict[str, Any]:
    return {
        "pk": f"CUSTOMER#{case.customer_key}",
        "sk": "CUSTOMER",
        "type": "customer",
        "case_id": case.case_id,
        "owner": case.owner,
        "status": case.status.value,
        "resolved_at": iso(case.resolved_at) if case.resolved_at else None,
        "customer": _to_dynamo_json(case.customer.model_dump_json()),
    }


def _history_item(case: Case) -> dict[str, Any]:
    """One line of the customer's history: which case, opened when (the case item holds the rest)."""
    return {
        "pk": f"CUSTOMER#{case.customer_key}",
        "sk": f"CASE#{iso(case.opened_at)}#{case.case_id}",
        "type": "customer_case",
        "case_id": case.case_id,
    }


# ---- repository -------------------------------------------------------------------------------------


class DynamoCasesRepository(DynamoAdapter):
    def __init__(self, table_name: str, client: Any = None):
        self._table = table_name
        self._client = client

    def _key(self, pk: str, sk: str) -> dict[str, Any]:
        return {"pk": {"S": pk}, "sk": {"S": sk}}

    # -- reads --

    def get(self, case_id: str) -> Case:
        answer = self.client.get_item(
            TableName=self._table, Key=self._key(case_pk(case_id), "CASE"), ConsistentRead=True
        )
        if "Item" not in answer:
            raise NotFound(f"case {case_id} not found")
        return case_from_item(self._d(answer["Item"]))

    def get_with_timeline(self, case_id: str) -> tuple[Case, list[TimelineEntry]]:
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": case_pk(case_id)}},
            "ConsistentRead": True,
        }
        while True:
            page = self.client.query(**kwargs)
            items.extend(self._d(i) for i in page["Items"])
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        case_items = [i for i in items if i["sk"] == "CASE"]
        if not case_items:
            raise NotFound(f"case {case_id} not found")
        entries = [entry_from_item(i) for i in items if i["sk"].startswith("T#")]
        return case_from_item(case_items[0]), entries

    def customer(self, customer_key: str) -> CustomerPointer | None:
        answer = self.client.get_item(
            TableName=self._table, Key=self._key(f"CUSTOMER#{customer_key}", "CUSTOMER"), ConsistentRead=True
        )
        if "Item" not in answer:
            return None
        item = self._d(answer["Item"])
        return CustomerPointer(
            case_id=item["case_id"],
            owner=item.get("owner"),
            status=CaseStatus(item["status"]),
            resolved_at=parse_iso(item["resolved_at"]) if item.get("resolved_at") else None,
        )

    def expect_private(self, handover: PrivateHandover) -> None:
        """One item per identity (the latest move wins), removed by the table's TTL once expired."""
        item = {
            "pk": f"CUSTOMER#{handover.customer_key}",
            "sk": "HANDOVER",
            "type": "handover",
            "case_id": handover.case_id,
            "owner": handover.owner,
            "until": iso(handover.until),
            "channel": handover.channel,
            "expires_at": int(handover.until.timestamp()),
        }
        self.client.put_item(TableName=self._table, Item=self._s(item))

    def private_handover(self, customer_key: str) -> PrivateHandover | None:
        answer = self.client.get_item(
            TableName=self._table, Key=self._key(f"CUSTOMER#{customer_key}", "HANDOVER"), ConsistentRead=True
        )
        if "Item" not in answer:
            return None
        item = self._d(answer["Item"])
        until = parse_iso(item["until"])
        if until < clock.now():  # the TTL removes it within days, not at once
            return None
        return PrivateHandover(customer_key, item["case_id"], item.get("owner"), until, item["channel"])

    def contact_details(self, customer_key: str) -> ContactDetails | None:
        answer = self.client.get_item(
            TableName=self._table, Key=self._key(f"CUSTOMER#{customer_key}", "CONTACT"), ConsistentRead=True
        )
        if "Item" not in answer:
            return None
        item = self._d(answer["Item"])
        return ContactDetails.model_validate({k: v for k, v in item.items() if k not in ("pk", "sk", "type")})

    def save_contact_details(self, customer_key: str, details: ContactDetails) -> None:
        """Kept with the customer's pointer, so erasing the customer erases them too (forget_customer)."""
        item = {
            "pk": f"CUSTOMER#{customer_key}",
            "sk": "CONTACT",
            "type": "contact",
            **details.model_dump(mode="json", exclude_none=True),
        }
        self.client.put_item(TableName=self._table, Item=self._s(item))

    def message(self, message_key: str) -> MessagePointer | None:
        answer = self.client.get_item(TableName=self._table, Key=self._key(f"MSG#{message_key}", "MSG"))
        if "Item" not in answer:
            return None
        item = self._d(answer["Item"])
        return MessagePointer(case_id=item["case_id"], entry_sk=item.get("entry_sk"))

    # -- writes --

    def _put(
        self, item: dict[str, Any], condition: str | None = None, values: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        put: dict[str, Any] = {"TableName": self._table, "Item": self._s(item)}
        if condition:
            put["ConditionExpression"] = condition
        if values:
            put["ExpressionAttributeValues"] = self._s(values)
        return {"Put": put}

    def _transact(self, operations: list[dict[str, Any]], duplicate_index: int | None) -> None:
        from botocore.exceptions import ClientError

        try:
            self.client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons", [])
            codes = [r.get("Code") for r in reasons]
            if (
                duplicate_index is not None
                and len(codes) > duplicate_index
                and codes[duplicate_index] == "ConditionalCheckFailed"
            ):
                raise Duplicate() from error
            if "ConditionalCheckFailed" in codes:
                raise ChangedMeanwhile("the case changed meanwhile; try again") from error
            raise

    def _message_put(self, message_key: str, case_id: str, sk: str) -> dict[str, Any]:
        return self._put(
            {"pk": f"MSG#{message_key}", "sk": "MSG", "type": "message", "case_id": case_id, "entry_sk": sk},
            condition="attribute_not_exists(pk)",
        )

    def open_case(self, case: Case, entries: list[TimelineEntry], message_key: str | None) -> None:
        """A new case with its first timeline entries, atomically; Duplicate when the message was seen.
        The message pointer refers to the first entry (the customer's message)."""
        ops: list[dict[str, Any]] = []
        if message_key:
            ops.append(self._message_put(message_key, case.case_id, entry_sk(entries[0])))
        ops.append(self._put(case_item(case), condition="attribute_not_exists(pk)"))
        ops += [self._put(entry_item(e)) for e in entries]
        ops.append(self._put(_customer_item(case)))
        ops.append(self._put(_history_item(case)))
        self._transact(ops, duplicate_index=0 if message_key else None)

    def customer_cases(self, customer_key: str, limit: int) -> list[Case]:
        """The customer's cases, newest first (those opened since the history items exist)."""
        answer = self.client.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={":pk": {"S": f"CUSTOMER#{customer_key}"}, ":prefix": {"S": "CASE#"}},
            ScanIndexForward=False,
            Limit=limit,
        )
        ids = [self._d(i)["case_id"] for i in answer.get("Items", [])]
        if not ids:
            return []
        keys = [self._key(case_pk(i), "CASE") for i in ids]
        found: dict[str, Case] = {}
        for _ in range(3):  # BatchGetItem may leave keys unprocessed under throttling: ask again
            got = self.client.batch_get_item(RequestItems={self._table: {"Keys": keys}})
            for item in got.get("Responses", {}).get(self._table, []):
                case = case_from_item(self._d(item))
                found[case.case_id] = case
            keys = got.get("UnprocessedKeys", {}).get(self._table, {}).get("Keys", [])
            if not keys:
                break
        return [found[i] for i in ids if i in found]

    def add_message(
        self, case: Case, expected_version: int, entries: list[TimelineEntry], message_key: str | None
    ) -> None:
        """A customer's further message on an existing case, atomically with its dedupe record."""
        ops: list[dict[str, Any]] = []
        if message_key:
            ops.append(self._message_put(message_key, case.case_id, entry_sk(entries[0])))
        ops.append(self._put(case_item(case), condition="version = :v", values={":v": expected_version}))
        ops += [self._put(entry_item(e)) for e in entries]
        ops.append(self._put(_customer_item(case)))
        self._transact(ops, duplicate_index=0 if message_key else None)

    def save(
        self,
        case: Case,
        expected_version: int,
        entries: list[TimelineEntry] | None = None,
        also: Sequence[SideWrite] = (),
    ) -> None:
        """Store a changed case (its version must be expected_version + 1) with new timeline entries, and
        `also` (side writes, e.g. an approval or review item) in the same transaction."""
        if case.version != expected_version + 1:
            raise InvalidInput("a saved case must carry the next version")
        ops = [self._put(case_item(case), condition="version = :v", values={":v": expected_version})]
        ops += [self._put(entry_item(e)) for e in entries or []]
        ops.append(self._put(_customer_item(case)))
        ops += [self._quality.side_write_op(write) for write in also]
        self._transact(ops, duplicate_index=None)

    @property
    def _quality(self) -> Any:
        """The care-quality items share this table; their item shapes live in their own adapter."""
        from shared.adapters.quality_repo import DynamoQualityRepository

        return DynamoQualityRepository(self._table, client=self.client)

    def append(self, entry: TimelineEntry) -> None:
        self.client.put_item(TableName=self._table, Item=self._s(entry_item(entry)))

    def remember_message(self, message_key: str, case_id: str, entry_sk: str | None) -> None:
        """Point a platform message id (e.g. our sent reply) at its case, so statuses find it."""
        self.client.put_item(
            TableName=self._table,
            Item=self._s(
                {
                    "pk": f"MSG#{message_key}",
                    "sk": "MSG",
                    "type": "message",
                    "case_id": case_id,
                    "entry_sk": entry_sk,
                }
            ),
        )

    def first_time(self, dedupe_key: str, now: datetime) -> bool:
        """Record a non-message event once; False when it was already seen in the last DEDUPE_DAYS."""
        from botocore.exceptions import ClientError

        expires = int((now + timedelta(days=DEDUPE_DAYS)).timestamp())
        try:
            self.client.put_item(
                TableName=self._table,
                Item=self._s(
                    {"pk": f"DEDUPE#{dedupe_key}", "sk": "DEDUPE", "type": "dedupe", "expires_at": expires}
                ),
                ConditionExpression="attribute_not_exists(pk) OR expires_at < :now",
                ExpressionAttributeValues={":now": {"N": str(int(now.timestamp()))}},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def entry_exists(self, case_id: str, entry_sk: str) -> bool:
        answer = self.client.get_item(
            TableName=self._table, Key=self._key(case_pk(case_id), entry_sk), ProjectionExpression="pk"
        )
        return "Item" in answer

    def transition_entry(
        self, case_id: str, entry_sk: str, field: str, allowed: tuple[str, ...], to: str
    ) -> bool:
        """Move data.<field> from one of `allowed` to `to` atomically; False when it was elsewhere."""
        from botocore.exceptions import ClientError

        try:
            self.client.update_item(
                TableName=self._table,
                Key=self._key(case_pk(case_id), entry_sk),
                UpdateExpression="SET #data.#f = :to",
                ConditionExpression="#data.#f IN (" + ", ".join(f":a{i}" for i in range(len(allowed))) + ")",
                ExpressionAttributeNames={"#data": "data", "#f": field},
                ExpressionAttributeValues=self._s(
                    {":to": to, **{f":a{i}": a for i, a in enumerate(allowed)}}
                ),
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def take_send_lease(self, case_id: str, entry_sk: str, until: datetime) -> SendLease:
        """Move a reply from queued/retrying to "sending" with a lease until `until`, atomically; when it
        is elsewhere, say where (and until when a "sending" lease holds)."""
        from botocore.exceptions import ClientError

        try:
            self.client.update_item(
                TableName=self._table,
                Key=self._key(case_pk(case_id), entry_sk),
                UpdateExpression="SET #data.#f = :to, #data.#lease = :until",
                ConditionExpression="#data.#f IN (:queued, :retrying)",
                ExpressionAttributeNames={"#data": "data", "#f": "delivery", "#lease": "send_lease_until"},
                ExpressionAttributeValues=self._s(
                    {":to": "sending", ":until": iso(until), ":queued": "queued", ":retrying": "retrying"}
                ),
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        else:
            return SendLease(taken=True, state="sending", lease_until=until)
        answer = self.client.get_item(TableName=self._table, Key=self._key(case_pk(case_id), entry_sk))
        if "Item" not in answer:
            return SendLease(taken=False)
        data = self._d(answer["Item"]).get("data") or {}
        lease = data.get("send_lease_until")
        return SendLease(
            taken=False, state=data.get("delivery"), lease_until=parse_iso(lease) if lease else None
        )

    def erase_entry_text(self, case_id: str, entry_sk: str) -> None:
        """The customer deleted the message (or asked to be forgotten): its words go, the entry stays."""
        from botocore.exceptions import ClientError

        try:
            self.client.update_item(
                TableName=self._table,
                Key=self._key(case_pk(case_id), entry_sk),
                UpdateExpression="SET #text = :empty REMOVE #data.#edited",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames={"#text": "text", "#data": "data", "#edited": "edited_text"},
                ExpressionAttributeValues={":empty": {"S": ""}},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise NotFound(f"timeline entry {entry_sk} of case {case_id} not found") from error
            raise

    def update_entry(self, case_id: str, entry_sk: str, data: dict[str, Any]) -> None:
        """Merge `data` into a timeline entry's data (e.g. a reply's delivery state)."""
        names = {f"#k{i}": k for i, k in enumerate(data)}
        values = {f":v{i}": v for i, v in enumerate(data.values())}
        sets = ", ".join(f"#data.#k{i} = :v{i}" for i in range(len(data)))
        from botocore.exceptions import ClientError

        try:
            self.client.update_item(
                TableName=self._table,
                Key=self._key(case_pk(case_id), entry_sk),
                UpdateExpression=f"SET {sets}",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames={"#data": "data", **names},
                ExpressionAttributeValues=self._s(_to_dynamo_json(json.dumps(values, default=str))),
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise NotFound(f"timeline entry {entry_sk} of case {case_id} not found") from error
            raise

    # -- erasure on request (docs/privacy.md) --

    def _partition(self, pk: str, prefix: str | None = None) -> list[dict[str, Any]]:
        condition = "pk = :pk" + (" AND begins_with(sk, :prefix)" if prefix else "")
        values = {":pk": {"S": pk}, **({":prefix": {"S": prefix}} if prefix else {})}
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "ConsistentRead": True,
        }
        items: list[dict[str, Any]] = []
        while True:
            page = self.client.query(**kwargs)
            items.extend(self._d(i) for i in page["Items"])
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def customer_case_ids(self, customer_key: str) -> list[str]:
        """Every case of the customer (their history items), oldest first."""
        return [i["case_id"] for i in self._partition(f"CUSTOMER#{customer_key}", "CASE#")]

    def _write_batch(self, requests: list[dict[str, Any]]) -> None:
        for start in range(0, len(requests), 25):
            pending = {self._table: requests[start : start + 25]}
            for _ in range(5):  # BatchWriteItem may leave some unprocessed under throttling: ask again
                left = self.client.batch_write_item(RequestItems=pending).get("UnprocessedItems", {})
                if not left.get(self._table):
                    break
                pending = left
            else:
                raise Conflict("the table is busy; try the erasure again")

    def erase_case(self, case: Case, expected_version: int, entries: list[TimelineEntry]) -> None:
        """Overwrite the case's timeline entries with their rewritten copies, then the case itself on
        condition it has not changed (a retry redoes the same rewrite). No customer pointer is written."""
        self._write_batch([{"PutRequest": {"Item": self._s(entry_item(e))}} for e in entries])
        op = self._put(case_item(case), condition="version = :v", values={":v": expected_version})
        self._transact([op], duplicate_index=None)

    def forget_customer(self, customer_key: str) -> int:
        """Delete the customer's pointer and history items; how many there were."""
        items = self._partition(f"CUSTOMER#{customer_key}")
        self._write_batch([{"DeleteRequest": {"Key": self._key(i["pk"], i["sk"])}} for i in items])
        return len(items)

    def forget_messages(self, message_keys: Sequence[str]) -> int:
        """Delete the pointers from platform message ids to cases."""
        keys = sorted(set(message_keys))
        self._write_batch([{"DeleteRequest": {"Key": self._key(f"MSG#{k}", "MSG")}} for k in keys])
        return len(keys)

    # -- retention (shared/usecases/retention.py) --

    def delete_case(self, case: Case, message_keys: Sequence[str]) -> None:
        """Delete the case's partition (case, timeline, reads), its message pointers, its line in the
        customer's history, and the customer pointer when it names this case."""
        items = self._partition(case_pk(case.case_id))
        requests = [{"DeleteRequest": {"Key": self._key(i["pk"], i["sk"])}} for i in items]
        requests += [
            {"DeleteRequest": {"Key": self._key(f"MSG#{k}", "MSG")}} for k in sorted(set(message_keys))
        ]
        history = f"CASE#{iso(case.opened_at)}#{case.case_id}"
        requests.append({"DeleteRequest": {"Key": self._key(f"CUSTOMER#{case.customer_key}", history)}})
        self._write_batch(requests)
        from botocore.exceptions import ClientError

        try:
            self.client.delete_item(
                TableName=self._table,
                Key=self._key(f"CUSTOMER#{case.customer_key}", "CUSTOMER"),
                ConditionExpression="case_id = :id",
                ExpressionAttributeValues={":id": {"S": case.case_id}},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise  # a newer case of theirs keeps the pointer

    def retention_cursor(self) -> date | None:
        answer = self.client.get_item(
            TableName=self._table, Key=self._key("RETENTION", "CASES"), ConsistentRead=True
        )
        value = self._d(answer.get("Item", {})).get("next_day")
        return date.fromisoformat(value) if value else None

    def set_retention_cursor(self, day: date) -> None:
        self.client.put_item(
            TableName=self._table,
            Item=self._s(
                {"pk": "RETENTION", "sk": "CASES", "type": "retention", "next_day": day.isoformat()}
            ),
        )

    # -- index queries --

    def _query_index(
        self,
        index: str,
        pk_name: str,
        pk: str,
        sk_name: str | None = None,
        sk_cond: str = "",
        values: dict[str, Any] | None = None,
        forward: bool = True,
        limit: int = 100,
        start: dict[str, Any] | None = None,
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        expr = f"{pk_name} = :pk" + (f" AND {sk_cond}" if sk_cond else "")
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": expr,
            "ExpressionAttributeValues": self._s({":pk": pk, **(values or {})}),
            "ScanIndexForward": forward,
            "Limit": limit,
        }
        if start:
            kwargs["ExclusiveStartKey"] = start
        page = self.client.query(**kwargs)
        return [self._d(i) for i in page["Items"]], page.get("LastEvaluatedKey")

    def _fan_out(self, query: Any) -> list[dict[str, Any]]:
        """Run `query(shard) -> items` over every shard in parallel (boto3 clients are thread-safe)."""
        _ = self.client  # create the client once, before the threads share it
        with ThreadPoolExecutor(max_workers=FAN_OUT_THREADS) as pool:
            return [item for items in pool.map(query, range(SHARDS)) for item in items]

    def list_by_status(
        self, status: CaseStatus, limit: int, cursor: str | None
    ) -> tuple[list[Case], str | None]:
        """Newest first across shards. The cursor is the sort key of the last case returned."""
        limit = max(1, min(limit, 200))
        after = _decode_cursor(cursor)

        def shard_page(shard: int) -> list[dict[str, Any]]:
            values = {":after": after} if after else None
            items, _ = self._query_index(
                "by_status",
                "gsi1pk",
                f"STATUS#{status.value}#{shard}",
                sk_cond="gsi1sk < :after" if after else "",
                values=values,
                forward=False,
                limit=limit + 1,
            )
            return items

        merged = [(i["gsi1sk"], i) for i in self._fan_out(shard_page)]
        top = heapq.nlargest(limit + 1, merged, key=lambda pair: pair[0])
        page = top[:limit]
        next_cursor = _encode_cursor(page[-1][0]) if len(top) > limit else None
        return [case_from_item(i) for _, i in page], next_cursor

    def list_by_owner(self, owner: str, status: CaseStatus | None, limit: int) -> list[Case]:
        values = {":s": f"{status.value}#"} if status else None
        items, _ = self._query_index(
            "by_owner",
            "gsi3pk",
            f"OWNER#{owner}",
            sk_cond="begins_with(gsi3sk, :s)" if status else "",
            values=values,
            forward=False,
            limit=max(1, min(limit, 200)),
        )
        return [case_from_item(i) for i in items]

    def count_open_by_owner(self, owner: str) -> int:
        answer = self.client.query(
            TableName=self._table,
            IndexName="by_owner",
            Select="COUNT",
            KeyConditionExpression="gsi3pk = :pk AND begins_with(gsi3sk, :s)",
            ExpressionAttributeValues=self._s(
                {":pk": f"OWNER#{owner}", ":s": f"{CaseStatus.ASSIGNED.value}#"}
            ),
        )
        return int(answer["Count"])

    def due_for_reply(self, before: datetime, limit: int) -> list[Case]:
        def shard_due(shard: int) -> list[dict[str, Any]]:
            items, _ = self._query_index(
                "sla_due",
                "gsi2pk",
                f"SLA#{shard}",
                sk_cond="gsi2sk < :before",
                values={":before": iso(before)},
                limit=limit,
            )
            return items

        cases = [case_from_item(i) for i in self._fan_out(shard_due)]
        return sorted(cases, key=lambda c: c.reply_due or before)[:limit]

    def opened_between(self, start: datetime, end: datetime) -> list[Case]:
        cases: list[Case] = []
        for offset in range((end.date() - start.date()).days + 1):
            day = (start.date() + timedelta(days=offset)).isoformat()

            def shard_day(shard: int, day: str = day) -> list[dict[str, Any]]:
                found: list[dict[str, Any]] = []
                last: dict[str, Any] | None = None
                while True:
                    items, last = self._query_index(
                        "by_day",
                        "gsi4pk",
                        f"DAY#{day}#{shard}",
                        sk_cond="gsi4sk BETWEEN :a AND :b",
                        values={":a": iso(start), ":b": iso(end) + "~"},
                        limit=500,
                        start=last,
                    )
                    found.extend(items)
                    if not last:
                        return found

            cases.extend(case_from_item(i) for i in self._fan_out(shard_day))
        return sorted(cases, key=lambda c: c.opened_at)

    # -- reports index --

    def put_report(self, report: dict[str, Any], *, new: bool = False) -> None:
        """Two items: the newest-first list (pk REPORT, by the time it was asked for) and a direct lookup by
        id (pk REPORT#<id>). `new`: Conflict when the report already exists (a repeated request)."""
        body = _to_dynamo_json(json.dumps(report))
        at = report.get("requested_at") or report["generated_at"]
        listed = {"pk": "REPORT", "sk": f"{at}#{report['id']}", "type": "report", **body}
        direct = {"pk": f"REPORT#{report['id']}", "sk": "REPORT", "type": "report", **body}
        condition = "attribute_not_exists(pk)" if new else None
        self._transact([self._put(listed), self._put(direct, condition)], duplicate_index=None)

    def list_reports(self, limit: int = 50) -> list[dict[str, Any]]:
        answer = self.client.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": "REPORT"}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [
            {k: v for k, v in plain(self._d(i)).items() if k not in ("pk", "sk", "type")}
            for i in answer["Items"]
        ]

    def get_report(self, report_id: str) -> dict[str, Any]:
        answer = self.client.get_item(TableName=self._table, Key=self._key(f"REPORT#{report_id}", "REPORT"))
        if "Item" not in answer:
            raise NotFound(f"report {report_id} not found")
        return {k: v for k, v in plain(self._d(answer["Item"])).items() if k not in ("pk", "sk", "type")}


def _encode_cursor(sort_key: str) -> str:
    return base64.urlsafe_b64encode(sort_key.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput("cursor is not valid") from error
