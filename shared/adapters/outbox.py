"""The outbox queue: replies waiting to be sent by the dispatcher."""

from __future__ import annotations

from typing import Any


class SqsOutbox:
    def __init__(self, queue_url: str, client: Any = None):
        self._url = queue_url
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("sqs")
        return self._client

    def put(self, message_json: str, delay_seconds: int = 0) -> None:
        self.client.send_message(
            QueueUrl=self._url, MessageBody=message_json, DelaySeconds=min(delay_seconds, 900)
        )
