"""One-time EventBridge Scheduler schedules (follow-ups): scale to any number, delete themselves."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from shared.adapters.aws import AwsAdapter


class EventBridgeScheduler(AwsAdapter):
    service = "scheduler"

    def __init__(self, group: str, target_arn: str, role_arn: str, client: Any = None):
        self._group = group
        self._target = target_arn
        self._role = role_arn
        self._client = client

    def schedule_once(self, name: str, at: datetime, payload: dict[str, Any]) -> None:
        """Create the schedule; an existing one with the same name means it was already scheduled."""
        from botocore.exceptions import ClientError

        safe = re.sub(r"[^0-9a-zA-Z._-]", "-", name)[:64]
        try:
            self.client.create_schedule(
                Name=safe,
                GroupName=self._group,
                ScheduleExpression=f"at({at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S')})",
                ScheduleExpressionTimezone="UTC",
                FlexibleTimeWindow={"Mode": "OFF"},
                Target={"Arn": self._target, "RoleArn": self._role, "Input": json.dumps(payload)},
                ActionAfterCompletion="DELETE",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConflictException":
                raise
