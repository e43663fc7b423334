"""SQS pollers: Lambda's SQS event source mapping on one machine.

One thread per `QueueTrigger` of the wiring long-polls its queue, hands the batch to the function as the
real SQS event, and deletes only what succeeded: everything when the function returns without
`batchItemFailures`, all but the reported failures otherwise, nothing when it raises. Failed messages
reappear after the visibility timeout; moto moves them to the DLQ once `maxReceiveCount` is exceeded.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from infra.local.events import sqs_event
from infra.local.invoke import Invoker
from infra.wiring import Wiring

log = logging.getLogger("heard.local")

SQS_MAX_BATCH = 10


@dataclass(frozen=True)
class QueueBinding:
    queue_id: str
    function_id: str
    batch_size: int
    batching_window_seconds: int


def queue_bindings(wiring: Wiring) -> list[QueueBinding]:
    """Which function consumes which queue: exactly what the pollers run."""
    return sorted(
        (
            QueueBinding(fn.queue.queue, fn.id, fn.queue.batch_size, fn.queue.max_batching_window_seconds)
            for fn in wiring.functions
            if fn.queue
        ),
        key=lambda b: (b.queue_id, b.function_id),
    )


def successful_receipts(messages: Sequence[dict[str, Any]], result: Any) -> list[dict[str, str]]:
    """The messages to delete after an invocation returned `result` (Lambda's ReportBatchItemFailures)."""
    entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
    if not isinstance(result, dict) or "batchItemFailures" not in result:
        return entries
    failures = result.get("batchItemFailures")
    if not failures:
        return entries
    ids = {m["MessageId"] for m in messages}
    failed: set[str] = set()
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not identifier or identifier not in ids:
            # Lambda treats a malformed failure report as the whole batch failing.
            return []
        failed.add(identifier)
    return [e for e, m in zip(entries, messages, strict=True) if m["MessageId"] not in failed]


class PollingThread:
    """A daemon thread calling `poll_once` until `stop` is set, outliving any one failure (as Lambda's
    event source mappings and EventBridge do); `busy` while a batch is in its function."""

    def __init__(
        self, name: str, sqs: Callable[[], Any], stop: threading.Event, about: dict[str, str]
    ) -> None:
        self._sqs = sqs
        self._stop = stop
        self._about = about  # what a failure's log line names
        self._busy = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    @property
    def busy(self) -> bool:
        return self._busy.is_set()

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def poll_once(self, client: Any) -> int:
        raise NotImplementedError

    def _run(self) -> None:
        client = self._sqs()
        while not self._stop.is_set():
            try:
                self.poll_once(client)
            except Exception:  # noqa: BLE001 (the poller must outlive any one failure)
                log.exception("poller failed", extra=self._about)
                self._stop.wait(1.0)


class Poller(PollingThread):
    def __init__(
        self,
        binding: QueueBinding,
        queue_url: str,
        queue_arn: str,
        sqs: Callable[[], Any],
        invoker: Invoker,
        stop: threading.Event,
        wait_seconds: int = 1,
    ) -> None:
        super().__init__(f"heard-poller-{binding.queue_id}", sqs, stop, {"queue": binding.queue_id})
        self.binding = binding
        self.queue_url = queue_url
        self.queue_arn = queue_arn
        self._invoker = invoker
        self._wait_seconds = wait_seconds

    def poll_once(self, client: Any, wait_seconds: int | None = None) -> int:
        """Receive one batch and process it; returns how many messages were received."""
        response = client.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=min(self.binding.batch_size, SQS_MAX_BATCH),
            WaitTimeSeconds=self._wait_seconds if wait_seconds is None else wait_seconds,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages = response.get("Messages", [])
        if not messages:
            return 0
        self._busy.set()
        try:
            self._process(client, messages)
        finally:
            self._busy.clear()
        return len(messages)

    def _process(self, client: Any, messages: list[dict[str, Any]]) -> None:
        event = sqs_event(messages, self.queue_arn)
        try:
            result = self._invoker.invoke(self.binding.function_id, event)
        except Exception:  # noqa: BLE001 (a function error: the whole batch returns after visibility)
            log.exception(
                "queue batch failed",
                extra={
                    "queue": self.binding.queue_id,
                    "function": self.binding.function_id,
                    "messages": len(messages),
                },
            )
            return
        to_delete = successful_receipts(messages, result)
        for start in range(0, len(to_delete), SQS_MAX_BATCH):
            client.delete_message_batch(
                QueueUrl=self.queue_url, Entries=to_delete[start : start + SQS_MAX_BATCH]
            )
        failed = len(messages) - len(to_delete)
        if failed:
            log.warning(
                "queue batch partly failed",
                extra={
                    "queue": self.binding.queue_id,
                    "function": self.binding.function_id,
                    "failed": failed,
                    "messages": len(messages),
                },
            )
        else:
            log.info(
                "queue batch processed",
                extra={
                    "queue": self.binding.queue_id,
                    "function": self.binding.function_id,
                    "messages": len(messages),
                },
            )
