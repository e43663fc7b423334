"""An escalation to a person of the directory, kept until they answer (issue #12: R9, R22).

Stages: `sent` (notified; an urgent one is reminded at `next_at`) -> `reminded` (handed to the backup at
`next_at`) -> `backup` (the backup was reached; nothing more is scheduled) -> `answered` (from any stage,
once). Only urgent escalations have a `next_at`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class EscalationStage(StrEnum):
    SENT = "sent"
    REMINDED = "reminded"
    BACKUP = "backup"
    ANSWERED = "answered"


class EscalationRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    escalation_id: str
    case_id: str
    contact: str  # the directory id escalated to
    backup: str | None = None  # the contact's backup (directory id)
    reason: str
    asked_by: str  # the agent's email
    asked_at: datetime
    urgent: bool = False
    stage: EscalationStage = EscalationStage.SENT
    next_at: datetime | None = None  # when the sweep acts next (urgent and unanswered only)
    answered_at: datetime | None = None
    answered_by: str | None = None  # the directory id of who answered
    answer: str | None = None
