"""Team work queues in SQS: one lane per priority per team (1 = most urgent).

Claiming drains the most urgent non-empty lane first; the received message is invisible to other agents
while the claim is decided, and is deleted once the case is claimed (or found stale).
"""

from __future__ import annotations

import json
from typing import Any

from shared.adapters.aws import AwsAdapter
from shared.errors import ConfigurationError, NotFound
from shared.models.records import WorkItem

CLAIM_VISIBILITY_SECONDS = 30


class SqsWorkQueues(AwsAdapter):
    service = "sqs"

    def __init__(self, lanes: dict[str, dict[str, str]], client: Any = None):
        self._lanes = lanes
        self._client = client

    @property
    def teams(self) -> list[str]:
        return sorted(self._lanes)

    def _lane(self, team: str, priority: int) -> str:
        lanes = self._lanes.get(team)
        if not lanes:
            raise NotFound(f"team {team!r} has no work queue")
        url = lanes.get(str(priority))
        if not url:
            raise ConfigurationError(f"team {team!r} has no lane for priority {priority}")
        return url

    def enqueue(self, team: str, priority: int, case_id: str) -> None:
        self.client.send_message(
            QueueUrl=self._lane(team, priority),
            MessageBody=json.dumps({"case_id": case_id, "priority": priority, "team": team}),
        )

    def receive_next(self, team: str) -> WorkItem | None:
        if team not in self._lanes:
            raise NotFound(f"team {team!r} has no work queue")
        for priority in sorted(int(p) for p in self._lanes[team]):
            url = self._lane(team, priority)
            answer = self.client.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=1,
                WaitTimeSeconds=0,
                VisibilityTimeout=CLAIM_VISIBILITY_SECONDS,
            )
            for message in answer.get("Messages", []):
                body = json.loads(message["Body"])
                return WorkItem(body["case_id"], priority, url, message["ReceiptHandle"])
        return None

    def done(self, item: WorkItem) -> None:
        self.client.delete_message(QueueUrl=item.queue_url, ReceiptHandle=item.receipt_handle)

    def release(self, item: WorkItem) -> None:
        self.client.change_message_visibility(
            QueueUrl=item.queue_url, ReceiptHandle=item.receipt_handle, VisibilityTimeout=0
        )

    def depths(self, team: str) -> dict[str, int]:
        depths = {}
        for priority, url in sorted(self._lanes.get(team, {}).items()):
            attrs = self.client.get_queue_attributes(
                QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"]
            )
            depths[priority] = int(attrs["Attributes"]["ApproximateNumberOfMessages"])
        return depths
