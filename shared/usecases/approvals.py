"""Probation for new agents (R12): a trainee's reply goes public only once a supervisor approves it.

A trainee's reply is recorded on the timeline with delivery "awaiting_approval" and a pending item under
one partition (the approvals list is a Query). Approving moves it to "queued" and puts it on the outbox
exactly as an agent's reply; rejecting moves it to "rejected" with the supervisor's feedback on the
timeline for the trainee. Either decision deletes the pending item in the same transaction, conditionally,
so two supervisors deciding at once cannot both win.

SLA: a reply counts as the case's first response when it is approved, not when it is written: until then
the customer has heard nothing, so the clock keeps running and an overdue pending reply breaches the SLA.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared import clock
from shared.errors import Conflict, Forbidden, NotFound
from shared.models.agent import Agent
from shared.models.case import Case, CaseStatus, TimelineEntry, TimelineKind
from shared.models.notification import NotificationKind
from shared.models.records import (
    ApprovalDecided,
    DeliveryMoved,
    PendingApproval,
    SideWrite,
)
from shared.models.records import entry_key as entry_sk
from shared.models.timeline import new_entry
from shared.observability import logger, metrics
from shared.usecases.deps import Deps
from shared.usecases.notifications import notify
from shared.usecases.replies import AWAITING_APPROVAL, ensure_window_open, queue_reply, sent_updates

AWAITING = AWAITING_APPROVAL


@dataclass(frozen=True)
class Decision:
    case: Case
    reply: TimelineEntry  # the reply as it now stands
    entry: TimelineEntry  # the approval or rejection on the timeline


def pending(deps: Deps, supervisor: Agent, limit: int = 50) -> list[PendingApproval]:
    _check(supervisor)
    return deps.quality.pending_approvals(limit)


def _check(agent: Agent) -> None:
    if not agent.is_supervisor:
        raise Forbidden("only supervisors and admins approve trainees' replies")


def _pending_reply(deps: Deps, case_id: str, reply_id: str) -> tuple[Case, TimelineEntry]:
    case, timeline = deps.cases.get_with_timeline(case_id)
    reply = next((e for e in timeline if e.entry_id == reply_id and e.kind is TimelineKind.REPLY), None)
    if reply is None:
        raise NotFound(f"case {case_id} has no reply {reply_id}")
    if reply.data.get("delivery") != AWAITING:
        raise Conflict(f"reply {reply_id} is not awaiting approval (it is {reply.data.get('delivery')})")
    return case, reply


def approve(deps: Deps, supervisor: Agent, case_id: str, reply_id: str) -> Decision:
    _check(supervisor)
    case, reply = _pending_reply(deps, case_id, reply_id)
    if case.status is CaseStatus.RESOLVED:
        raise Conflict("the case was resolved meanwhile; reject the reply instead")
    now = clock.now()
    ensure_window_open(case, now)
    entry = new_entry(
        case_id=case_id,
        kind=TimelineKind.REPLY_APPROVED,
        at=now,
        actor=supervisor.email,
        text=f"Reply by {reply.actor} approved; it is on its way to the customer.",
        data={"reply_id": reply_id, "author": reply.actor},
    )
    updates: dict[str, Any] = {"updated_at": now, "version": case.version + 1}
    also = sent_updates(deps, case, reply, reply.actor, now, updates)
    quality = deps.quality
    also += [
        DeliveryMoved(
            case_id,
            entry_sk(reply),
            AWAITING,
            "queued",
            {"approved_by": supervisor.email, "approved_at": clock.iso(now)},
        ),
        ApprovalDecided(reply.at, case_id, reply_id),
    ]
    updated = case.model_copy(update=updates)
    deps.cases.save(updated, case.version, [entry], also=also)
    queue_reply(deps, updated, reply, reply.actor)
    # The approver has read the customer's post (the approvals list shows it): never their blind review.
    quality.record_view(case_id, supervisor.email, now)
    notify(
        deps,
        reply.actor,
        NotificationKind.REPLY_APPROVED,
        f"{supervisor.email} approved your reply on case {case_id}; it is on its way.",
        actor=supervisor.email,
        case_id=case_id,
    )
    metrics.add_metric(name="ReplyApproved", unit="Count", value=1)
    logger.info("reply approved", extra={"case_id": case_id, "reply_id": reply_id})
    sent = reply.model_copy(
        update={"data": {**reply.data, "delivery": "queued", "approved_by": supervisor.email}}
    )
    return Decision(case=updated, reply=sent, entry=entry)


def reject(deps: Deps, supervisor: Agent, case_id: str, reply_id: str, feedback: str) -> Decision:
    _check(supervisor)
    case, reply = _pending_reply(deps, case_id, reply_id)
    now = clock.now()
    entry = new_entry(
        case_id=case_id,
        kind=TimelineKind.REPLY_REJECTED,
        at=now,
        actor=supervisor.email,
        text=f"Reply by {reply.actor} not sent. Feedback: {feedback.strip()}",
        data={"reply_id": reply_id, "author": reply.actor, "feedback": feedback.strip()},
    )
    quality = deps.quality
    also: list[SideWrite] = [
        DeliveryMoved(
            case_id,
            entry_sk(reply),
            AWAITING,
            "rejected",
            {"rejected_by": supervisor.email, "feedback": feedback.strip()},
        ),
        ApprovalDecided(reply.at, case_id, reply_id),
    ]
    updated = case.model_copy(update={"updated_at": now, "version": case.version + 1})
    deps.cases.save(updated, case.version, [entry], also=also)
    quality.record_view(case_id, supervisor.email, now)
    notify(
        deps,
        reply.actor,
        NotificationKind.REPLY_REJECTED,
        f"{supervisor.email} sent back your reply on case {case_id}: {feedback.strip()}",
        actor=supervisor.email,
        case_id=case_id,
    )
    metrics.add_metric(name="ReplyRejected", unit="Count", value=1)
    logger.info("reply rejected", extra={"case_id": case_id, "reply_id": reply_id})
    rejected = reply.model_copy(
        update={"data": {**reply.data, "delivery": "rejected", "feedback": feedback.strip()}}
    )
    return Decision(case=updated, reply=rejected, entry=entry)
