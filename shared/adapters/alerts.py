"""Alerts to people (SNS topic: email/SMS/chat subscriptions are the deployer's choice)."""

from __future__ import annotations

import json
from typing import Any

from shared.adapters.aws import AwsAdapter


class SnsAlerts(AwsAdapter):
    service = "sns"

    def __init__(self, topic_arn: str, client: Any = None):
        self._arn = topic_arn
        self._client = client

    def notify(self, subject: str, detail: dict[str, Any], kind: str) -> None:
        self.client.publish(
            TopicArn=self._arn,
            Subject=subject[:100],
            Message=json.dumps(detail, default=str),
            MessageAttributes={"kind": {"DataType": "String", "StringValue": kind}},
        )
