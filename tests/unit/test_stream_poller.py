"""The local stream poller answers a partial batch response as Lambda's stream mapping does: it hands the
batch back from the first failed record, and stops once nothing fails (pure: an invoker fake)."""

from __future__ import annotations

import threading
from typing import Any

from infra.local.streams import StreamBinding, StreamPoller


class FailingOnce:
    def __init__(self, fail: str) -> None:
        self.fail = fail
        self.batches: list[list[str]] = []

    def invoke(self, function_id: str, event: dict[str, Any]) -> Any:
        numbers = [r["dynamodb"]["SequenceNumber"] for r in event["Records"]]
        self.batches.append(numbers)
        if self.fail in numbers:
            failed, self.fail = self.fail, ""
            return {"batchItemFailures": [{"itemIdentifier": failed}]}
        return {"batchItemFailures": []}


def test_a_partly_failed_batch_is_retried_from_its_first_failed_record():
    invoker = FailingOnce(fail="2")
    binding = StreamBinding("cases", "indexer", batch_size=100, retry_attempts=3)
    poller = StreamPoller(binding, "arn:stream", lambda: None, invoker, threading.Event())  # type: ignore[arg-type]
    records = [{"eventName": "MODIFY", "dynamodb": {"SequenceNumber": n}} for n in ("1", "2", "3")]
    poller._deliver(records)
    assert invoker.batches == [["1", "2", "3"], ["2", "3"]]
