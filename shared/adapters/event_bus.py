"""Heard's events on Amazon EventBridge (issue #17): PutEvents on Heard's bus, ten entries a call.

An entry EventBridge refuses (FailedEntryCount) makes the whole call Unavailable after the others were
sent: the stream batch is retried and the events sent already go again with the same `event_id`, which
consumers deduplicate on (EventBridge itself delivers at least once).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from shared.adapters.aws import AwsAdapter
from shared.errors import Unavailable
from shared.models.events import HeardEvent

SOURCE = "heard"
PER_CALL = 10  # PutEvents' limit


def _number(value: Any) -> Any:
    """DynamoDB's numbers (Decimal) as JSON numbers."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


class EventBridgeBus(AwsAdapter):
    service = "events"

    def __init__(self, bus_name: str, client: Any = None):
        self.bus_name, self._client = bus_name, client

    def publish(self, events: Sequence[HeardEvent]) -> int:
        from botocore.exceptions import ClientError

        failed = 0
        for start in range(0, len(events), PER_CALL):
            entries = [self._entry(e) for e in events[start : start + PER_CALL]]
            try:
                answer = self.client.put_events(Entries=entries)
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code", "Unknown")
                raise Unavailable(f"the event bus refused the events: {code}") from error
            failed += int(answer.get("FailedEntryCount") or 0)
        if failed:
            raise Unavailable(f"{failed} of {len(events)} events were not published")
        return len(events)

    def _entry(self, event: HeardEvent) -> dict[str, Any]:
        return {
            "EventBusName": self.bus_name,
            "Source": SOURCE,
            "DetailType": event.type.value,
            "Time": event.at,
            "Resources": [],
            "Detail": json.dumps(event.body(), separators=(",", ":"), default=_number),
        }
