"""Heard's events for the company's tools (issue #17; the schema is docs/events.md).

Published on Heard's EventBridge bus with `source` "heard" and one `detail-type` per lifecycle step. The
detail carries ids, states and times, never what a customer or an agent wrote (no message or reply text,
no names, handles, emails or phones): a tool that needs more asks the API with the case id.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION = 1


class EventType(StrEnum):
    CASE_OPENED = "Case Opened"
    CASE_ASSIGNED = "Case Assigned"
    CASE_REPLIED = "Case Replied"
    CASE_RESOLVED = "Case Resolved"
    CASE_REOPENED = "Case Reopened"
    CASE_ESCALATED = "Case Escalated"
    SLA_BREACHED = "SLA Breached"
    CRISIS_DECLARED = "Crisis Declared"
    CRISIS_UPDATED = "Crisis Updated"
    CRISIS_ENDED = "Crisis Ended"


class HeardEvent(BaseModel):
    """One event: `event_id` is stable for the same fact (a redelivered stream batch publishes the same
    ids again), so consumers deduplicate on it; `at` is when it happened in Heard."""

    model_config = ConfigDict(frozen=True)

    type: EventType
    event_id: str
    at: datetime
    detail: dict[str, Any]

    def body(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "event_id": self.event_id,
            "at": self.at.isoformat().replace("+00:00", "Z"),
            **self.detail,
        }
