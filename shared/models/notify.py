"""Reaching people by email and SMS when a case needs them now (issue #12: R9, R22).

Who: the on-call supervisor, or a crisis case's owner (its crisis type's point person), and the escalation
contact a case is urgently escalated to. How: each person's preferences (by email, by SMS, for which
events); without preferences a person gets email only, and a directory contact also gets an SMS for an
urgent escalation when their phone number is international.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# Deliberately permissive (internal directories use addresses like agent@heard.local).
Email = Annotated[str, Field(pattern=r"^[^@\s]{1,64}@[^@\s]{1,255}$", max_length=320)]
# E.164: what Amazon SNS needs to send an SMS.
E164 = Annotated[
    str, Field(pattern=r"^\+[1-9][0-9]{6,14}$", description="International format, e.g. +447700900123")
]


class NotifyEvent(StrEnum):
    SLA_BREACH = "sla_breach"
    URGENT_ESCALATION = "urgent_escalation"


class ContactPreference(BaseModel):
    """How one person wants to be reached, and for what."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    email: Email  # who (their sign-in or directory email), and where mail goes
    phone: E164 | None = None
    email_for: list[NotifyEvent] = [NotifyEvent.SLA_BREACH, NotifyEvent.URGENT_ESCALATION]
    sms_for: list[NotifyEvent] = [NotifyEvent.URGENT_ESCALATION]


class Recipient(BaseModel):
    """One person to reach for one event, and by which means."""

    model_config = ConfigDict(frozen=True)

    who: str  # their email: the record on the case names who was reached
    role: str  # "on call", "crisis owner", "escalation contact", "backup"
    email: str | None
    phone: str | None
