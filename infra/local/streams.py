"""DynamoDB stream pollers: Lambda's stream event source mapping on one machine.

One thread per `StreamTrigger` of the wiring reads every shard of the table's stream (moto keeps one)
from its start, hands each batch to the function as the real stream event, and moves on only when the
function returns; a failing batch is retried up to the trigger's `retry_attempts`, then skipped with an
error in the log (in AWS it would go to the function's failure queue).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from infra.local.invoke import Invoker
from infra.local.resources import REGION
from infra.wiring import Wiring

log = logging.getLogger("heard.local")


@dataclass(frozen=True)
class StreamBinding:
    table_id: str
    function_id: str
    batch_size: int
    retry_attempts: int


def stream_bindings(wiring: Wiring) -> list[StreamBinding]:
    return [
        StreamBinding(fn.stream.table, fn.id, fn.stream.batch_size, fn.stream.retry_attempts)
        for fn in wiring.functions
        if fn.stream
    ]


def _lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A record as Lambda delivers it: JSON (boto3 parsed the creation time into a datetime)."""
    change = dict(record.get("dynamodb", {}))
    created = change.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        change["ApproximateCreationDateTime"] = int(created.timestamp())
    return {**record, "dynamodb": change, "eventSourceARN": stream_arn, "awsRegion": REGION}


def stream_event(records: list[dict[str, Any]], stream_arn: str) -> dict[str, Any]:
    return {"Records": [_lambda_record(r, stream_arn) for r in records]}


class StreamPoller:
    def __init__(
        self,
        binding: StreamBinding,
        stream_arn: str,
        streams: Callable[[], Any],
        invoker: Invoker,
        stop: threading.Event,
        idle_seconds: float = 0.5,
    ) -> None:
        self.binding = binding
        self.stream_arn = stream_arn
        self._streams = streams
        self._invoker = invoker
        self._stop = stop
        self._idle_seconds = idle_seconds
        self._iterators: dict[str, str] = {}
        self._caught_up = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"heard-stream-{binding.table_id}", daemon=True
        )

    @property
    def caught_up(self) -> bool:
        """True when the last read of every shard found nothing new and no batch is being handled."""
        return self._caught_up.is_set()

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def _run(self) -> None:
        client = self._streams()
        while not self._stop.is_set():
            try:
                if not self.poll_once(client):
                    self._caught_up.set()
                    self._stop.wait(self._idle_seconds)
            except Exception:  # noqa: BLE001 (the poller must outlive any one failure, as the ESM does)
                log.exception("stream poller failed", extra={"table": self.binding.table_id})
                self._stop.wait(1.0)

    def _shard_iterator(self, client: Any, shard_id: str) -> str:
        if shard_id not in self._iterators:
            self._iterators[shard_id] = client.get_shard_iterator(
                StreamArn=self.stream_arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
        return self._iterators[shard_id]

    def poll_once(self, client: Any) -> int:
        """Read one batch from each shard and hand it over; how many records were handled."""
        shards = client.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]["Shards"]
        handled = 0
        for shard in shards:
            iterator = self._shard_iterator(client, shard["ShardId"])
            answer = client.get_records(ShardIterator=iterator, Limit=self.binding.batch_size)
            records = answer.get("Records", [])
            if records:
                self._caught_up.clear()
                self._deliver(records)
                handled += len(records)
            self._iterators[shard["ShardId"]] = answer.get("NextShardIterator") or iterator
        return handled

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        for attempt in range(self.binding.retry_attempts + 1):
            try:
                answer = self._invoker.invoke(
                    self.binding.function_id, stream_event(records, self.stream_arn)
                )
                records = _from_first_failure(records, answer)
                if not records:
                    return
                log.warning(
                    "stream batch partly failed",
                    extra={"function": self.binding.function_id, "attempt": attempt, "records": len(records)},
                )
            except Exception:  # noqa: BLE001 (a function error: retried, then skipped as Lambda would)
                log.exception(
                    "stream batch failed",
                    extra={"function": self.binding.function_id, "attempt": attempt, "records": len(records)},
                )
        log.error(
            "stream batch skipped", extra={"function": self.binding.function_id, "records": len(records)}
        )


def _from_first_failure(records: list[dict[str, Any]], answer: Any) -> list[dict[str, Any]]:
    """What Lambda retries after a partial batch response: the records from the first failed one on."""
    failures = answer.get("batchItemFailures") if isinstance(answer, dict) else None
    failed = {f.get("itemIdentifier") for f in failures or []}
    for n, record in enumerate(records):
        if record.get("dynamodb", {}).get("SequenceNumber") in failed:
            return records[n:]
    return []
