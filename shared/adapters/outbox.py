"""The outbox queue: replies waiting to be sent by the dispatcher."""

from __future__ import annotations

from typing import Any

from shared.adapters.aws import AwsAdapter, unavailable_on_aws_error


class SqsOutbox(AwsAdapter):
    service = "sqs"

    def __init__(self, queue_url: str, client: Any = None):
        self._url = queue_url
        self._client = client

    def put(self, message_json: str, delay_seconds: int = 0) -> None:
        """Queue one reply; Unavailable when SQS cannot take it now."""
        with unavailable_on_aws_error("queueing the reply"):
            self.client.send_message(
                QueueUrl=self._url, MessageBody=message_json, DelaySeconds=min(delay_seconds, 900)
            )
