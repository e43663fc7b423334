"""Crises, spike suggestions, spike counters and agents' availability, in the cases table.

Access patterns (docs/routing.md and docs/scaling.md have the numbers):
- list crises newest first: Query pk=CRISIS (sk = the crisis id, which sorts by declaration time);
  get one: pk=CRISIS, sk=<id>
- the active crises (read by intake, cached 30 s per container): Query pk=CRISIS_ACTIVE, a copy of each
  active crisis written in the same transaction as the crisis and deleted when it ends, so the read
  never grows with the years of ended crises
- spike counters, one UpdateItem ADD per inbound message: pk=SPIKES#<bucket start>#<shard 0-31>,
  sk=COUNT, one numeric attribute per series ("n:all", "n:negative", "n:topic:<id>"); TTL 2 days
- the detector reads a bucket's shards with BatchGetItem (13 buckets x 32 shards = 416 keys, 5 calls)
- spike suggestions newest first: Query pk=SPIKE_SUGGESTION, sk=<bucket>#<series> (conditional put:
  one alert per bucket and series even if the detector runs twice); TTL 30 days
- an agent's availability (owner away -> backup): pk=AGENT#<email>, sk=AVAILABILITY
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from shared.adapters.aws import DynamoAdapter, unavailable_on_aws_error
from shared.clock import iso
from shared.errors import Conflict, NotFound
from shared.models.crisis import Availability, Crisis, SpikeSuggestion

COUNTER_SHARDS = 32  # 10,000 messages/s -> ~310 writes/s per counter item, under 1,000 WCU per partition
COUNTER_TTL = timedelta(days=2)
SUGGESTION_TTL = timedelta(days=30)
_BATCH_GET = 100


def _dynamo(model_json: str) -> dict[str, Any]:
    return json.loads(model_json, parse_float=Decimal)


def _plain(value: Any) -> Any:
    from shared.adapters.cases_repo import plain

    return plain(value)


class DynamoCrisesRepository(DynamoAdapter):
    def __init__(self, table_name: str, client: Any = None):
        self._table = table_name
        self._client = client

    def _d(self, item: dict[str, Any]) -> dict[str, Any]:
        return _plain(super()._d(item))

    def _conditional_put(
        self, item: dict[str, Any], condition: str, values: dict[str, Any] | None = None
    ) -> bool:
        from botocore.exceptions import ClientError

        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "Item": self._s(item),
            "ConditionExpression": condition,
        }
        if values:
            kwargs["ExpressionAttributeValues"] = self._s(values)
        try:
            self.client.put_item(**kwargs)
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    # -- crises --

    def _transact(self, operations: list[dict[str, Any]], conflict: str) -> None:
        from botocore.exceptions import ClientError

        try:
            self.client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            if any(
                r.get("Code") == "ConditionalCheckFailed"
                for r in error.response.get("CancellationReasons", [])
            ):
                raise Conflict(conflict) from error
            raise

    def _crisis_ops(self, crisis: Crisis) -> list[dict[str, Any]]:
        body = _dynamo(crisis.model_dump_json())
        active_key = {"pk": {"S": "CRISIS_ACTIVE"}, "sk": {"S": crisis.crisis_id}}
        if crisis.is_active:
            mirror = {
                "Put": {
                    "TableName": self._table,
                    "Item": self._s(
                        {**body, "pk": "CRISIS_ACTIVE", "sk": crisis.crisis_id, "type": "crisis"}
                    ),
                }
            }
        else:
            mirror = {"Delete": {"TableName": self._table, "Key": active_key}}
        main = {
            "TableName": self._table,
            "Item": self._s({**body, "pk": "CRISIS", "sk": crisis.crisis_id, "type": "crisis"}),
        }
        return [{"Put": main}, mirror]

    def create_crisis(self, crisis: Crisis) -> None:
        ops = self._crisis_ops(crisis)
        ops[0]["Put"]["ConditionExpression"] = "attribute_not_exists(pk)"
        self._transact(ops, f"crisis {crisis.crisis_id} already exists")

    def save_crisis(self, crisis: Crisis, expected_version: int) -> None:
        ops = self._crisis_ops(crisis)
        ops[0]["Put"]["ConditionExpression"] = "version = :v"
        ops[0]["Put"]["ExpressionAttributeValues"] = {":v": {"N": str(expected_version)}}
        self._transact(ops, "the crisis changed meanwhile; reload and try again")

    def active_crises(self) -> list[Crisis]:
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": "CRISIS_ACTIVE"}},
            "ScanIndexForward": False,
        }
        while True:
            page = self.client.query(**kwargs)
            items.extend(self._d(i) for i in page["Items"])
            if "LastEvaluatedKey" not in page:
                return [_crisis(i) for i in items]
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def get_crisis(self, crisis_id: str) -> Crisis:
        answer = self.client.get_item(
            TableName=self._table, Key={"pk": {"S": "CRISIS"}, "sk": {"S": crisis_id}}, ConsistentRead=True
        )
        if "Item" not in answer:
            raise NotFound(f"crisis {crisis_id} not found")
        return _crisis(self._d(answer["Item"]))

    def list_crises(self, limit: int = 50) -> list[Crisis]:
        answer = self.client.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": "CRISIS"}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [_crisis(self._d(i)) for i in answer["Items"]]

    # -- spike counters --

    def count(self, bucket: datetime, series: Iterable[str], now: datetime) -> None:
        """One UpdateItem: ADD 1 to every series of this message in a random shard of its bucket (writes
        spread evenly whatever the traffic's shape; readers sum all shards). Unavailable on failure."""
        names = {f"#s{i}": f"n:{s}" for i, s in enumerate(dict.fromkeys(series))}
        shard = random.randrange(COUNTER_SHARDS)
        with unavailable_on_aws_error("counting the message"):
            self.client.update_item(
                TableName=self._table,
                Key={"pk": {"S": f"SPIKES#{iso(bucket)}#{shard}"}, "sk": {"S": "COUNT"}},
                UpdateExpression="ADD " + ", ".join(f"{n} :one" for n in names) + " SET expires_at = :exp",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":exp": {"N": str(int((now + COUNTER_TTL).timestamp()))},
                },
            )

    def counts(self, buckets: list[datetime]) -> dict[datetime, dict[str, int]]:
        """Every bucket's counts, summed over its shards (missing buckets are empty)."""
        keys = [(b, shard) for b in buckets for shard in range(COUNTER_SHARDS)]
        by_pk = {f"SPIKES#{iso(b)}#{shard}": b for b, shard in keys}
        totals: dict[datetime, dict[str, int]] = {b: {} for b in buckets}
        pending = [{"pk": {"S": pk}, "sk": {"S": "COUNT"}} for pk in by_pk]
        while pending:
            chunk, pending = pending[:_BATCH_GET], pending[_BATCH_GET:]
            request: dict[str, Any] = {self._table: {"Keys": chunk}}
            for _ in range(8):  # unprocessed keys come back under throttling; ask again a few times
                answer = self.client.batch_get_item(RequestItems=request)
                for raw in answer.get("Responses", {}).get(self._table, []):
                    item = self._d(raw)
                    bucket_totals = totals[by_pk[item["pk"]]]
                    for name, value in item.items():
                        if name.startswith("n:"):
                            series = name[2:]
                            bucket_totals[series] = bucket_totals.get(series, 0) + int(value)
                request = answer.get("UnprocessedKeys") or {}
                if not request:
                    break
        return totals

    # -- spike suggestions --

    def add_suggestion(self, suggestion: SpikeSuggestion) -> bool:
        """False when this bucket and series were already recorded (the detector ran twice)."""
        item = {
            **_dynamo(suggestion.model_dump_json()),
            "pk": "SPIKE_SUGGESTION",
            "sk": f"{iso(suggestion.bucket)}#{suggestion.series}",
            "type": "spike_suggestion",
            "expires_at": int((suggestion.detected_at + SUGGESTION_TTL).timestamp()),
        }
        return self._conditional_put(item, "attribute_not_exists(pk)")

    def list_suggestions(self, limit: int = 50) -> list[SpikeSuggestion]:
        answer = self.client.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": "SPIKE_SUGGESTION"}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [SpikeSuggestion.model_validate(self._d(i)) for i in answer["Items"]]

    # -- availability --

    def availability(self, email: str) -> Availability | None:
        answer = self.client.get_item(
            TableName=self._table, Key={"pk": {"S": f"AGENT#{email}"}, "sk": {"S": "AVAILABILITY"}}
        )
        if "Item" not in answer:
            return None
        return Availability.model_validate(self._d(answer["Item"]))

    def set_availability(self, availability: Availability) -> None:
        item = {
            **_dynamo(availability.model_dump_json()),
            "pk": f"AGENT#{availability.email}",
            "sk": "AVAILABILITY",
            "type": "availability",
        }
        self.client.put_item(TableName=self._table, Item=self._s(item))


def _crisis(item: dict[str, Any]) -> Crisis:
    return Crisis.model_validate({k: v for k, v in item.items() if k not in ("pk", "sk", "type")})
