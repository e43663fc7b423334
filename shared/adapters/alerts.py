"""Alerts to people (SNS topic: email/SMS/chat subscriptions are the deployer's choice)."""

from __future__ import annotations

import json
from typing import Any


class SnsAlerts:
    def __init__(self, topic_arn: str, client: Any = None):
        self._arn = topic_arn
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("sns")
        return self._client

    def notify(self, subject: str, detail: dict[str, Any], kind: str) -> None:
        self.client.publish(
            TopicArn=self._arn,
            Subject=subject[:100],
            Message=json.dumps(detail, default=str),
            MessageAttributes={"kind": {"DataType": "String", "StringValue": kind}},
        )
