"""Factories for timeline entries: one place that gives an entry its id, so use cases say only what
happened, to which case, when and by whom."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.ids import new_id
from shared.models.case import TimelineEntry, TimelineKind

SYSTEM = "system"


def new_entry(
    *,
    case_id: str,
    kind: TimelineKind,
    at: datetime,
    actor: str,
    text: str,
    data: dict[str, Any] | None = None,
    prefix: str = "e",
) -> TimelineEntry:
    """A new timeline entry with a fresh time-ordered id (prefix "r" for replies, "e" for the rest)."""
    return TimelineEntry(
        case_id=case_id,
        entry_id=new_id(prefix, at),
        kind=kind,
        at=at,
        actor=actor,
        text=text,
        data=data or {},
    )


def delivery_failed(case_id: str, reply_id: str, at: datetime, reason: str) -> TimelineEntry:
    """The platform (or the dispatcher) could not deliver a reply: the agent sees why on the case."""
    return new_entry(
        case_id=case_id,
        kind=TimelineKind.DELIVERY,
        at=at,
        actor="platform",
        text=f"Reply not sent: {reason}",
        data={"reply_id": reply_id, "state": "failed"},
    )


def handed_over(case_id: str, at: datetime, text: str, owner: str, to: str | None) -> TimelineEntry:
    """An away owner's case went to their backup (`to`) or back to the queue (`to` None)."""
    return new_entry(
        case_id=case_id,
        kind=TimelineKind.HANDED_OVER,
        at=at,
        actor=SYSTEM,
        text=text,
        data={"from": owner, "to": to},
    )
