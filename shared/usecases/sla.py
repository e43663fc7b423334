"""The SLA monitor (R10): every minute, cases whose reply is overdue are marked, escalated and alerted.

Reads the sparse `sla_due` index (only cases awaiting a reply are in it), never the whole table. A
breached case leaves the index, so each breach alerts once; a still-queued case jumps to the most
urgent lane.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared import clock
from shared.errors import Conflict
from shared.models.case import Case, CaseStatus, TimelineKind
from shared.models.notify import NotifyEvent
from shared.models.timeline import new_entry
from shared.observability import logger, metrics
from shared.usecases import notify
from shared.usecases.deps import Deps

BATCH = 200


@dataclass(frozen=True)
class SweepResult:
    breached: list[str]
    skipped: int


def sweep(deps: Deps) -> SweepResult:
    now = clock.now()
    breached: list[str] = []
    skipped = 0
    for case in deps.cases.due_for_reply(now, BATCH):
        if case.reply_due is None or case.reply_due >= now or not case.status.is_open:
            continue
        late = int((now - case.reply_due).total_seconds() // 60)
        updates: dict[str, Any] = {
            "sla_breached": True,
            "reply_due": None,
            "updated_at": now,
            "version": case.version + 1,
        }
        if case.status is CaseStatus.QUEUED:
            updates["priority"] = 1
            updates["priority_reasons"] = sorted(set(case.priority_reasons) | {"waiting time"})
        entry = new_entry(
            case_id=case.case_id,
            kind=TimelineKind.SLA_BREACHED,
            at=now,
            actor="system",
            text=f"No reply within the first-response target: overdue since {clock.iso(case.reply_due)}.",
            data={
                "due": clock.iso(case.reply_due),
                "minutes_late": late,
                "owner": case.owner,
                "team": case.team,
            },
        )
        try:
            deps.cases.save(case.model_copy(update=updates), case.version, [entry])
        except Conflict:
            skipped += 1  # changed meanwhile (maybe answered): the next sweep looks again
            continue
        if case.status is CaseStatus.QUEUED and case.priority != 1:
            deps.work.enqueue(case.team, 1, case.case_id)
        breached.append(case.case_id)
        metrics.add_metric(name="SLABreached", unit="Count", value=1)
        _alert(deps, case, late)
    if breached:
        logger.warning("SLA breaches marked", extra={"count": len(breached), "case_ids": breached[:20]})
    return SweepResult(breached, skipped)


def _alert(deps: Deps, case: Case, late: int) -> None:
    """The alerts topic's message, and the crisis owner or on-call person by email/SMS (never raises on a
    failed send: the breach is already recorded)."""
    assert case.reply_due is not None
    deps.alerts.notify(
        subject=f"SLA breached: case {case.case_id} ({case.team})",
        detail={
            "case_id": case.case_id,
            "team": case.team,
            "owner": case.owner,
            "due": clock.iso(case.reply_due),
            "minutes_late": late,
            "priority": case.priority,
            "summary": case.summary,
        },
        kind="sla_breach",
    )
    people = notify.responsible(deps.config.get(), case, NotifyEvent.SLA_BREACH)
    if people:
        subject = f"SLA breached: case {case.case_id} ({case.team}), {late} min late"
        notify.reach(
            deps, people, subject, notify.case_text(case, f"No reply within the target; {late} min late.")
        )
