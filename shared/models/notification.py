"""A notification: something one agent should know about, shown in their console until read."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class NotificationKind(StrEnum):
    HANDED_TO_YOU = "handed_to_you"  # a colleague (or a supervisor) gave you a case
    MENTIONED = "mentioned"  # an internal note @mentions you
    REPLY_APPROVED = "reply_approved"  # your reply (as a trainee) was approved and is being sent
    REPLY_REJECTED = "reply_rejected"  # ... or sent back with feedback
    REPLY_FAILED = "reply_failed"  # the platform refused or could not take your reply
    FOLLOWUP_DUE = "followup_due"  # a follow-up on your case came due (R20)
    ESCALATION_ANSWERED = "escalation_answered"  # a department answered your escalation through its link
    REPORT_READY = "report_ready"  # the report you asked for is ready to download (issue #13)
    REPORT_FAILED = "report_failed"  # the report you asked for could not be made; a supervisor may retry it


class Notification(BaseModel):
    model_config = ConfigDict(frozen=True)

    recipient: str  # the agent's email
    notification_id: str  # time-sortable
    kind: NotificationKind
    at: datetime
    actor: str  # who caused it: a colleague's email, "system" or "platform"
    text: str
    case_id: str | None = None
    read_at: datetime | None = None
