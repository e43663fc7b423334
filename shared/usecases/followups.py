"""Resolving a case and following up everyone who complained (R20)."""

from __future__ import annotations

from datetime import datetime, timedelta

from shared import clock
from shared.errors import Conflict, NotFound
from shared.models.agent import Agent
from shared.models.case import Case, CaseStatus, FollowUp, ResolutionReason, TimelineEntry, TimelineKind
from shared.models.notification import NotificationKind
from shared.models.timeline import new_entry
from shared.models.triage import Category, Sentiment
from shared.observability import metrics
from shared.usecases import knowledge_past, surveys, training
from shared.usecases.deps import Deps
from shared.usecases.notifications import notify
from shared.usecases.replies import AWAITING_APPROVAL, editable
from shared.usecases.retrying import on_change

FOLLOW_UPS = (
    ("1 week", timedelta(days=7)),
    ("1 month", timedelta(days=30)),
    ("6 months", timedelta(days=182)),
)


def needs_follow_up(case: Case) -> bool:
    """Everyone who complained is followed up (R20)."""
    return case.category is Category.COMPLAINT or case.first_sentiment is Sentiment.NEGATIVE


@on_change
def resolve(
    deps: Deps,
    agent: Agent,
    case_id: str,
    note: str = "",
    reason: ResolutionReason = ResolutionReason.SOLVED,
) -> Case:
    """Resolve with a reason; complaints are followed up, except spam (R20)."""
    case = _resolvable(deps, agent, case_id)
    if case.status is CaseStatus.RESOLVED:
        return case
    now = clock.now()
    default = "Marked as spam." if reason is ResolutionReason.SPAM else "Resolved."
    entries = [
        new_entry(
            case_id=case_id,
            kind=TimelineKind.RESOLVED,
            at=now,
            actor=agent.email,
            text=note or default,
            data={"reason": reason.value},
        )
    ]
    followups, scheduled = _follow_ups(deps, case, reason, now)
    entries += scheduled
    survey, asked = surveys.on_resolve(deps, case, reason, now)
    entries += asked
    resolved = case.model_copy(
        update={
            "survey": survey,
            "status": CaseStatus.RESOLVED,
            "resolved_at": now,
            "resolution": reason,
            "reply_due": None,
            "followups": followups,
            "owner": case.owner or agent.email,
            "updated_at": now,
            "version": case.version + 1,
        }
    )
    deps.cases.save(resolved, case.version, entries)
    metrics.add_metric(name="CaseResolved", unit="Count", value=1)
    knowledge_past.remember(deps, resolved)  # its final reply is offered for similar cases (R16)
    return resolved


def _follow_ups(
    deps: Deps, case: Case, reason: ResolutionReason, now: datetime
) -> tuple[list[FollowUp], list[TimelineEntry]]:
    """Schedule the follow-ups of a complaint being resolved (once per case), with their timeline entry."""
    case_id = case.case_id
    followups: list[FollowUp] = list(case.followups)
    entries: list[TimelineEntry] = []
    if needs_follow_up(case) and not followups and reason is not ResolutionReason.SPAM:
        followups = [FollowUp(label=label, due_at=now + delta) for label, delta in FOLLOW_UPS]
        for f in followups:
            deps.scheduler.schedule_once(
                name=f"fu-{case_id}-{f.label.replace(' ', '')}",
                at=f.due_at,
                payload={"case_id": case_id, "label": f.label},
            )
        entries.append(
            new_entry(
                case_id=case_id,
                kind=TimelineKind.FOLLOWUPS_SCHEDULED,
                at=now,
                actor="system",
                text="Follow-ups scheduled: "
                + ", ".join(f"{f.label} ({f.due_at.date().isoformat()})" for f in followups),
            )
        )
    return followups, entries


def _resolvable(deps: Deps, agent: Agent, case_id: str) -> Case:
    """The case, if this agent may resolve it. A trainee may not resolve a case while a reply waits for
    a supervisor's approval: resolving would stop the SLA clock with nothing sent (#7.5)."""
    if training.must_wait(deps, agent) is None:
        case = deps.cases.get(case_id)
        editable(case, agent)
        return case
    case, timeline = deps.cases.get_with_timeline(case_id)
    editable(case, agent)
    waiting = case.status.is_open and any(
        e.kind is TimelineKind.REPLY and e.data.get("delivery") == AWAITING_APPROVAL for e in timeline
    )
    if waiting:
        raise Conflict("a reply on this case is waiting for a supervisor's approval; resolve it once decided")
    return case


def follow_up_due(deps: Deps, case_id: str, label: str) -> Case:
    """A scheduled follow-up fired: it becomes a task on the case for its owner."""
    case = deps.cases.get(case_id)
    if not any(f.label == label for f in case.followups):
        raise NotFound(f"case {case_id} has no follow-up {label!r}")
    if any(f.label == label and f.state != "scheduled" for f in case.followups):
        return case  # already fired (schedules deliver at least once)
    now = clock.now()
    entry = new_entry(
        case_id=case_id,
        kind=TimelineKind.FOLLOWUP_DUE,
        at=now,
        actor="system",
        text=f"Follow-up due ({label} after resolution): ask {case.customer.name or 'the customer'} whether the "
        f"problem stayed solved.",
        data={"label": label, "owner": case.owner},
    )
    updated = _mark(deps, case, label, "due", entry)
    notify(
        deps,
        case.owner,
        NotificationKind.FOLLOWUP_DUE,
        f"Follow-up due on case {case_id} ({label} after resolution).",
        actor="system",
        case_id=case_id,
    )
    metrics.add_metric(name="FollowUpDue", unit="Count", value=1)
    return updated


def complete_follow_up(deps: Deps, agent: Agent, case_id: str, label: str, note: str = "") -> Case:
    case = deps.cases.get(case_id)
    editable(case, agent)
    if not any(f.label == label for f in case.followups):
        raise NotFound(f"case {case_id} has no follow-up {label!r}")
    text = f"Follow-up {label} done. {note}".strip()
    entry = new_entry(case_id=case_id, kind=TimelineKind.NOTE, at=clock.now(), actor=agent.email, text=text)
    return _mark(deps, case, label, "done", entry)


def _mark(deps: Deps, case: Case, label: str, state: str, entry: TimelineEntry) -> Case:
    """Move one follow-up to `state`, with `entry` on the timeline."""
    followups = [f.model_copy(update={"state": state}) if f.label == label else f for f in case.followups]
    updated = case.model_copy(
        update={"followups": followups, "updated_at": entry.at, "version": case.version + 1}
    )
    deps.cases.save(updated, case.version, [entry])
    return updated


def reopens_until(deps: Deps, case: Case) -> datetime | None:
    """Until when the customer writing again reaches this resolved case and its owner (R8), per the
    configuration's `reopen_within_days`; None for an open case or when customers never reopen."""
    days = deps.config.get().reopen_within_days
    if case.resolved_at is None or days == 0:
        return None
    return case.resolved_at + timedelta(days=days)


def reopen(deps: Deps, agent: Agent, case_id: str, note: str = "") -> Case:
    """Reopen a resolved case for its owner (the one reopening it when it had none). Its follow-ups stay."""
    case = deps.cases.get(case_id)
    editable(case, agent)
    if case.status is not CaseStatus.RESOLVED:
        raise Conflict(f"case {case_id} is not resolved")
    now = clock.now()
    owner = case.owner or agent.email
    entry = new_entry(
        case_id=case_id,
        kind=TimelineKind.REOPENED,
        at=now,
        actor=agent.email,
        text=f"Reopened by {agent.email} for {owner}." + (f" {note.strip()}" if note.strip() else ""),
        data={"was": case.resolution.value if case.resolution else None},
    )
    reopened = case.model_copy(
        update={
            "status": CaseStatus.ASSIGNED,
            "owner": owner,
            "resolved_at": None,
            "resolution": None,
            "updated_at": now,
            "version": case.version + 1,
        }
    )
    deps.cases.save(reopened, case.version, [entry])
    metrics.add_metric(name="CaseReopened", unit="Count", value=1)
    return reopened
