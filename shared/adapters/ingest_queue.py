"""The ingest queue: interactions go to triage in SendMessageBatch calls of ten.

A delivery of n interactions costs ceil(n/10) calls (plus at most one retry per failed chunk), and
chunks are sent concurrently so a 1000-update Meta batch still answers quickly.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from shared.adapters.aws import AwsAdapter
from shared.errors import ConfigurationError
from shared.models.records import EnqueueFailed, QueueMessage

__all__ = ["EnqueueFailed", "IngestQueue", "QueueMessage", "chunks"]

MAX_ENTRIES = 10
MAX_BATCH_BYTES = 250_000  # SQS allows 256 KiB per batch; keep room for attributes
MAX_WORKERS = 8


def chunks(messages: Sequence[QueueMessage]) -> list[list[tuple[str, QueueMessage]]]:
    """Batches of at most ten entries and ~250 KB, with ids unique within each batch."""
    batches: list[list[tuple[str, QueueMessage]]] = []
    current: list[tuple[str, QueueMessage]] = []
    size = 0
    for index, message in enumerate(messages):
        weight = len(message.body.encode("utf-8")) + sum(
            len(k) + len(v) for k, v in message.attributes.items()
        )
        if current and (len(current) == MAX_ENTRIES or size + weight > MAX_BATCH_BYTES):
            batches.append(current)
            current, size = [], 0
        current.append((str(index), message))
        size += weight
    if current:
        batches.append(current)
    return batches


class IngestQueue(AwsAdapter):
    service = "sqs"

    def __init__(self, queue_url: str | None, client: Any = None):
        if not queue_url:
            raise ConfigurationError("setting HEARD_INGEST_QUEUE_URL is required here but not set")
        self.queue_url = queue_url
        self._client = client

    def send_batch(self, messages: Sequence[QueueMessage]) -> int:
        """Enqueue all messages; returns how many SendMessageBatch calls were made. Raises
        EnqueueFailed when entries still fail after one retry."""
        batches = chunks(messages)
        if not batches:
            return 0
        # Touch the client once before fanning out: lazy creation is not thread-safe.
        client = self.client
        if len(batches) == 1:
            results = [self._send(client, batches[0])]
        else:
            with ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(batches))) as pool:
                results = list(pool.map(lambda batch: self._send(client, batch), batches))
        failed = [entry for calls, entries in results for entry in entries]
        if failed:
            raise EnqueueFailed(failed)
        return sum(calls for calls, _ in results)

    def _send(self, client: Any, batch: list[tuple[str, QueueMessage]]) -> tuple[int, list[str]]:
        pending = dict(batch)
        calls = 0
        for _attempt in range(2):  # one retry of the failed entries, then give up loudly
            calls += 1
            answer = client.send_message_batch(
                QueueUrl=self.queue_url,
                Entries=[
                    {
                        "Id": entry_id,
                        "MessageBody": message.body,
                        "MessageAttributes": {
                            name: {"DataType": "String", "StringValue": value}
                            for name, value in message.attributes.items()
                        },
                    }
                    for entry_id, message in pending.items()
                ],
            )
            failed = {f["Id"] for f in answer.get("Failed", [])}
            pending = {k: v for k, v in pending.items() if k in failed}
            if not pending:
                break
        return calls, sorted(pending)
