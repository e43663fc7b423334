"""Case and crisis lifecycle events from the cases table's stream, for the company's tools (issue #17).

Off the hot path: the stream delivers each new item image after the write, this turns the ones that mark
a lifecycle step into `HeardEvent`s and publishes them on Heard's bus. A case opened is a new case item;
assigned, replied, resolved, reopened, escalated and SLA breached are new timeline entries of that kind;
a crisis declared, updated or ended is a crisis write that added that history event (its time is the
crisis's `updated_at`). Only ids, states and times go out (docs/events.md), never what anyone wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from shared.models.events import EventType, HeardEvent
from shared.observability import logger, metrics
from shared.usecases.deps import Deps

ENTRY_EVENTS = {
    "assigned": EventType.CASE_ASSIGNED,
    "reply": EventType.CASE_REPLIED,
    "resolved": EventType.CASE_RESOLVED,
    "reopened": EventType.CASE_REOPENED,
    "escalated": EventType.CASE_ESCALATED,
    "sla_breached": EventType.SLA_BREACHED,
}
CRISIS_EVENTS = {
    "declared": EventType.CRISIS_DECLARED,
    "updated": EventType.CRISIS_UPDATED,
    "ended": EventType.CRISIS_ENDED,
}
CASE_FIELDS = ("status", "team", "owner", "platform", "channel", "priority", "category", "topic", "brand")
# What an entry's data may add: states and ids, never text or personal data.
ENTRY_FIELDS = (
    "resolution",
    "automatic",
    "private",
    "urgency",
    "urgent",  # an escalation that must reach someone now (the chat notifier's rule matches it)
    "contact_id",
    "to",
    "delivery",
    "crisis_id",
)


def _when(value: Any) -> datetime:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _picked(source: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    return {n: source[n] for n in names if source.get(n) not in (None, "", [])}


def _case_opened(image: Mapping[str, Any]) -> HeardEvent:
    case_id = str(image["case_id"])
    detail = {"case_id": case_id, **_picked(image, CASE_FIELDS)}
    return HeardEvent(
        type=EventType.CASE_OPENED, event_id=f"{case_id}#opened", at=_when(image["opened_at"]), detail=detail
    )


def _entry(image: Mapping[str, Any]) -> HeardEvent | None:
    kind = ENTRY_EVENTS.get(str(image.get("kind")))
    if kind is None:
        return None
    case_id, entry_id = str(image["case_id"]), str(image["entry_id"])
    data = image.get("data") or {}
    detail = {
        "case_id": case_id,
        "entry_id": entry_id,
        "actor": image.get("actor"),
        **_picked(data, ENTRY_FIELDS),
    }
    return HeardEvent(type=kind, event_id=f"{case_id}#{entry_id}", at=_when(image["at"]), detail=detail)


def _crisis(image: Mapping[str, Any]) -> HeardEvent | None:
    history = image.get("history") or []
    if not history or str(history[-1].get("at")) != str(image.get("updated_at")):
        return None  # a write that added no history event (e.g. a status page's link)
    last = history[-1]
    kind = CRISIS_EVENTS.get(str(last.get("action")))
    if kind is None:
        return None
    crisis_id, version = str(image["crisis_id"]), int(last.get("statement_version") or 0)
    detail = {
        "crisis_id": crisis_id,
        "crisis_type": image.get("crisis_type"),
        "status": image.get("status"),
        "statement_version": version,
        "status_url": image.get("status_url") or None,
        "actor": last.get("actor"),
    }
    event_id = f"{crisis_id}#{last.get('action')}#{version}"
    return HeardEvent(type=kind, event_id=event_id, at=_when(last["at"]), detail=detail)


def event_for(change: str, image: Mapping[str, Any]) -> HeardEvent | None:
    """The lifecycle event one stream record stands for (`change`: INSERT or MODIFY), or None."""
    kind = image.get("type")
    if kind == "case" and change == "INSERT" and image.get("sk") == "CASE":
        return _case_opened(image)
    if kind == "entry" and change == "INSERT":
        return _entry(image)
    if kind == "crisis" and image.get("pk") == "CRISIS":  # not its copy among the active crises
        return _crisis(image)
    return None


def publish(deps: Deps, changes: Iterable[tuple[str, Mapping[str, Any]]]) -> int:
    """Publish the batch's lifecycle events; how many (Unavailable: the stream retries the batch)."""
    events = [e for change, image in changes if (e := event_for(change, image)) is not None]
    if not events:
        return 0
    published = deps.events.publish(events)
    metrics.add_metric(name="EventsPublished", unit="Count", value=published)
    logger.info("events published", extra={"events": published})
    return published
