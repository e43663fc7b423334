"""Case states agents need besides open and resolved: waiting on the customer, and snoozed until a time.
Both pause the SLA clock (R10) without a job to wake the case up: waiting clears the reply due time (the
customer's next message sets a new one, as any message does), snoozing moves it later by the snooze."""

from __future__ import annotations

from datetime import datetime, timedelta

from shared import clock
from shared.errors import Conflict, InvalidInput
from shared.models.agent import Agent
from shared.models.case import Case, CaseStatus, TimelineKind
from shared.models.timeline import new_entry
from shared.observability import metrics
from shared.usecases.deps import Deps
from shared.usecases.replies import editable

MAX_SNOOZE = timedelta(days=30)


def snooze(deps: Deps, agent: Agent, case_id: str, until: datetime | None, note: str = "") -> Case:
    """Wait on the customer (`until` None) or snooze until a time (at most 30 days ahead)."""
    now = clock.now()
    if until is not None and not now < until <= now + MAX_SNOOZE:
        raise InvalidInput("a snooze must end in the future, at most 30 days from now")
    case = deps.cases.get(case_id)
    editable(case, agent)
    if case.status is not CaseStatus.ASSIGNED:
        raise Conflict(f"only an owned, open case can wait or be snoozed (case {case_id} is {case.status})")
    updates: dict[str, object] = {"updated_at": now, "version": case.version + 1}
    if until is None:
        text = f"Waiting on the customer ({agent.email}); the SLA clock stops until they write."
        updates.update(waiting_since=now, snoozed_until=None, reply_due=None)
    else:
        pause = until - now
        text = f"Snoozed until {clock.iso(until)} by {agent.email}; the SLA clock is paused as long."
        updates["snoozed_until"] = until
        if case.reply_due is not None:
            updates["reply_due"] = max(case.reply_due, now) + pause
        if case.first_response_at is None and case.first_response_due is not None:
            updates["first_response_due"] = max(case.first_response_due, now) + pause
    entry = new_entry(
        case_id=case_id,
        kind=TimelineKind.SNOOZED,
        at=now,
        actor=agent.email,
        text=text + (f" {note.strip()}" if note.strip() else ""),
        data={"until": clock.iso(until) if until else None, "reply_due_was": _iso(case.reply_due)},
    )
    updated = case.model_copy(update=updates)
    deps.cases.save(updated, case.version, [entry])
    metrics.add_metric(name="CaseSnoozed", unit="Count", value=1)
    return updated


def _iso(moment: datetime | None) -> str | None:
    return clock.iso(moment) if moment else None
