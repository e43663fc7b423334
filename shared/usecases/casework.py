"""What agents do with cases: list, open, claim the most urgent, reply, resolve (R8, R10, R18, R20)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

from shared import clock
from shared.adapters.cases_repo import entry_sk
from shared.adapters.quality_repo import PendingApproval, PoolItem
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound, Unavailable
from shared.ids import new_id
from shared.models.case import Case, CaseStatus, FollowUp, TimelineEntry, TimelineKind
from shared.models.interaction import Channel, Platform
from shared.models.roles import REVIEWERS, SUPERVISORS, needs_approval
from shared.models.triage import Category, Sentiment
from shared.observability import logger, metrics
from shared.usecases.deps import Deps

FOLLOW_UPS = (
    ("1 week", timedelta(days=7)),
    ("1 month", timedelta(days=30)),
    ("6 months", timedelta(days=182)),
)
PLATFORM_TEXT_LIMITS = {Platform.X: 280}


@dataclass(frozen=True)
class Agent:
    email: str
    groups: frozenset[str]

    @property
    def is_supervisor(self) -> bool:
        return bool(self.groups & SUPERVISORS)


class OutboxMessage(BaseModel):
    """The event payload on the outbox queue: one reply to send."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    reply_id: str
    entry_sk: str
    platform: Platform
    channel: Channel
    conversation_id: str
    reply_context: dict[str, str]
    text: str
    private: bool = False
    last_customer_at: datetime
    author: str


# ---- reading ----------------------------------------------------------------------------------------


def list_cases(
    deps: Deps,
    agent: Agent,
    *,
    status: CaseStatus | None,
    owner: str | None,
    team: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[Case], str | None]:
    if owner:
        email = agent.email if owner == "me" else owner
        return [c for c in deps.cases.list_by_owner(email, status, limit) if not team or c.team == team], None
    cases, next_cursor = deps.cases.list_by_status(status or CaseStatus.QUEUED, limit, cursor)
    return [c for c in cases if not team or c.team == team], next_cursor


def get_case(deps: Deps, case_id: str, reader: Agent | None = None) -> tuple[Case, list[TimelineEntry]]:
    """A case and its timeline. A reviewer who reads it is recorded: they may no longer grade its first
    reply blind (R11)."""
    case, timeline = deps.cases.get_with_timeline(case_id)
    if reader is not None and reader.groups & REVIEWERS:
        deps.quality.record_view(case_id, reader.email, clock.now())
    return case, timeline


def queues(deps: Deps) -> list[dict[str, Any]]:
    config = deps.config.get()
    answer = []
    for team in config.teams:
        depth = deps.work.depths(team.id) if team.id in deps.work.teams else {}
        answer.append({"team": team.id, "name": team.name, "depth": depth, "total": sum(depth.values())})
    return answer


# ---- claiming ---------------------------------------------------------------------------------------


def claim_next(deps: Deps, agent: Agent, team: str) -> Case | None:
    """Hand the agent the most urgent waiting case of the team: they own it from now on (R8).

    Lanes are drained most urgent first. A message whose case is gone, already claimed or resolved is
    stale and discarded; capacity is checked before anything is taken.
    """
    config = deps.config.get()
    if team not in {t.id for t in config.teams}:
        raise NotFound(f"team {team!r} does not exist")
    capacity = config.team(team).agent_capacity
    if deps.cases.count_open_by_owner(agent.email) >= capacity:
        raise Conflict(
            f"you already own {capacity} open cases, the team's capacity per agent; resolve one first"
        )
    for _ in range(50):  # bounded: never loop forever on a lane full of stale messages
        item = deps.work.receive_next(team)
        if item is None:
            return None
        try:
            case = deps.cases.get(item.case_id)
        except NotFound:
            deps.work.done(item)
            continue
        if case.status is not CaseStatus.QUEUED or case.team != team:
            deps.work.done(item)
            continue
        now = clock.now()
        claimed = case.model_copy(
            update={
                "status": CaseStatus.ASSIGNED,
                "owner": agent.email,
                "assigned_at": now,
                "updated_at": now,
                "version": case.version + 1,
            }
        )
        entry = TimelineEntry(
            case_id=case.case_id,
            entry_id=new_id("e", now),
            kind=TimelineKind.ASSIGNED,
            at=now,
            actor=agent.email,
            text=f"Claimed by {agent.email} from the {team} queue.",
        )
        try:
            deps.cases.save(claimed, case.version, [entry])
        except Conflict:
            deps.work.release(item)  # someone changed it meanwhile; let the next claim look again
            continue
        deps.work.done(item)
        metrics.add_metric(name="CaseClaimed", unit="Count", value=1)
        logger.info("case claimed", extra={"case_id": case.case_id, "agent": agent.email, "team": team})
        return claimed
    return None


# ---- replying ---------------------------------------------------------------------------------------


def compose(text: str, contact_line: str) -> str:
    """Every official reply carries a way to reach a real person (R4)."""
    body = text.strip()
    if contact_line.strip().lower() in body.lower():
        return body
    return f"{body}\n\n{contact_line.strip()}"


def _editable(case: Case, agent: Agent) -> None:
    if case.owner and case.owner != agent.email and not agent.is_supervisor:
        raise Forbidden(f"case {case.case_id} is owned by {case.owner}")


def post_reply(deps: Deps, agent: Agent, case_id: str, text: str, private: bool = False) -> TimelineEntry:
    """Record a reply and queue it for sending; a trainee's reply waits for a supervisor instead (R12)."""
    case = deps.cases.get(case_id)
    _editable(case, agent)
    if case.status is CaseStatus.RESOLVED:
        raise Conflict("the case is resolved; it reopens when the customer writes again")
    final = compose(text, deps.config.get().contact_line)
    limit = PLATFORM_TEXT_LIMITS.get(case.platform)
    if limit and len(final) > limit:
        raise InvalidInput(
            f"{case.platform.value} allows {limit} characters; with the contact line this reply has "
            f"{len(final)}"
        )
    now = clock.now()
    ensure_window_open(case, now)
    probation = needs_approval(agent.groups)
    entry = TimelineEntry(
        case_id=case_id,
        entry_id=new_id("r", now),
        kind=TimelineKind.REPLY,
        at=now,
        actor=agent.email,
        text=final,
        data={
            "delivery": "awaiting_approval" if probation else "queued",
            "private": private,
            "channel": case.channel.value,
        },
    )
    updates: dict[str, Any] = {"updated_at": now, "version": case.version + 1}
    if case.status is CaseStatus.QUEUED:  # answering a waiting case means owning it
        updates.update(status=CaseStatus.ASSIGNED, owner=agent.email, assigned_at=now)
    if probation:
        # Nothing reaches the customer yet, so the SLA clock keeps running until a supervisor approves.
        pending = PendingApproval(
            case_id=case_id,
            reply_id=entry.entry_id,
            entry_sk=entry_sk(entry),
            author=agent.email,
            text=final,
            at=now,
            case=approval_snapshot(case),
        )
        deps.cases.save(
            case.model_copy(update=updates),
            case.version,
            [entry],
            also=[deps.quality.put_approval_op(pending)],
        )
        metrics.add_metric(name="ReplyAwaitingApproval", unit="Count", value=1)
        logger.info("reply awaiting approval", extra={"case_id": case_id, "reply_id": entry.entry_id})
        return entry
    also = sent_updates(deps, case, entry, agent.email, now, updates)
    deps.cases.save(case.model_copy(update=updates), case.version, [entry], also=also)
    queue_reply(deps, case, entry, agent.email)
    return entry


def ensure_window_open(case: Case, now: datetime) -> None:
    if case.reply_window_until and now > case.reply_window_until and case.platform is not Platform.WHATSAPP:
        raise Conflict(
            f"{case.platform.value} stopped accepting replies in this conversation at "
            f"{clock.iso(case.reply_window_until)}; contact the customer by email or phone"
        )


def approval_snapshot(case: Case) -> dict[str, Any]:
    """What a supervisor needs to judge a pending reply, copied so the approvals list is one Query."""
    return {
        "summary": case.summary,
        "platform": case.platform.value,
        "channel": case.channel.value,
        "team": case.team,
        "priority": case.priority,
        "category": case.category.value,
        "customer": case.customer.name or case.customer.handle or case.customer.id,
        "reply_due": clock.iso(case.reply_due) if case.reply_due else None,
    }


def sent_updates(
    deps: Deps, case: Case, entry: TimelineEntry, author: str, now: datetime, updates: dict[str, Any]
) -> list[dict[str, Any]]:
    """Fill `updates` for a reply going public; the case's first human reply enters the blind empathy
    review pool (R11) in the same transaction. Returns the extra transaction operations."""
    updates.update(
        first_response_at=case.first_response_at or now, reply_due=None, reply_count=case.reply_count + 1
    )
    if case.first_responder is not None:
        return []
    updates["first_responder"] = author
    review = PoolItem(
        review_id=new_id("rv", now),
        case_id=case.case_id,
        reply_id=entry.entry_id,
        entry_sk=entry_sk(entry),
        author=author,
        text=entry.text,
        platform=case.platform.value,
        channel=case.channel.value,
        claimed_by=None,
        claimed_at=None,
    )
    return [deps.quality.put_pool_op(review)]


def queue_reply(deps: Deps, case: Case, entry: TimelineEntry, author: str) -> None:
    message = OutboxMessage(
        case_id=case.case_id,
        reply_id=entry.entry_id,
        entry_sk=entry_sk(entry),
        platform=case.platform,
        channel=case.channel,
        conversation_id=case.conversation_id,
        reply_context=case.reply_context,
        text=entry.text,
        private=bool(entry.data.get("private", False)),
        last_customer_at=case.last_customer_at,
        author=author,
    )
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        deps.outbox.put(message.model_dump_json())
    except (ClientError, BotoCoreError) as error:
        # The reply is recorded but will not be sent: say so on the case, never leave it "queued" forever.
        deps.cases.update_entry(
            case.case_id,
            entry_sk(entry),
            {"delivery": "failed", "delivery_error": "could not be queued; send it again"},
        )
        logger.error("reply could not be queued", extra={"case_id": case.case_id, "error": str(error)[:300]})
        raise Unavailable(
            "the reply was recorded but could not be queued for sending; send it again"
        ) from error
    metrics.add_metric(name="ReplyQueued", unit="Count", value=1)


# ---- resolving and following up ---------------------------------------------------------------------


def needs_follow_up(case: Case) -> bool:
    """Everyone who complained is followed up (R20)."""
    return case.category is Category.COMPLAINT or case.first_sentiment is Sentiment.NEGATIVE


def resolve(deps: Deps, agent: Agent, case_id: str, note: str = "") -> Case:
    case = deps.cases.get(case_id)
    _editable(case, agent)
    if case.status is CaseStatus.RESOLVED:
        return case
    now = clock.now()
    entries = [
        TimelineEntry(
            case_id=case_id,
            entry_id=new_id("e", now),
            kind=TimelineKind.RESOLVED,
            at=now,
            actor=agent.email,
            text=note or "Resolved.",
        )
    ]
    followups: list[FollowUp] = list(case.followups)
    if needs_follow_up(case) and not followups:
        followups = [FollowUp(label=label, due_at=now + delta) for label, delta in FOLLOW_UPS]
        for f in followups:
            deps.scheduler.schedule_once(
                name=f"fu-{case_id}-{f.label.replace(' ', '')}",
                at=f.due_at,
                payload={"case_id": case_id, "label": f.label},
            )
        entries.append(
            TimelineEntry(
                case_id=case_id,
                entry_id=new_id("e", now),
                kind=TimelineKind.FOLLOWUPS_SCHEDULED,
                at=now,
                actor="system",
                text="Follow-ups scheduled: "
                + ", ".join(f"{f.label} ({f.due_at.date().isoformat()})" for f in followups),
            )
        )
    resolved = case.model_copy(
        update={
            "status": CaseStatus.RESOLVED,
            "resolved_at": now,
            "reply_due": None,
            "followups": followups,
            "owner": case.owner or agent.email,
            "updated_at": now,
            "version": case.version + 1,
        }
    )
    deps.cases.save(resolved, case.version, entries)
    metrics.add_metric(name="CaseResolved", unit="Count", value=1)
    return resolved


def follow_up_due(deps: Deps, case_id: str, label: str) -> Case:
    """A scheduled follow-up fired: it becomes a task on the case for its owner."""
    case = deps.cases.get(case_id)
    if not any(f.label == label for f in case.followups):
        raise NotFound(f"case {case_id} has no follow-up {label!r}")
    if any(f.label == label and f.state != "scheduled" for f in case.followups):
        return case  # already fired (schedules deliver at least once)
    now = clock.now()
    followups = [f.model_copy(update={"state": "due"}) if f.label == label else f for f in case.followups]
    entry = TimelineEntry(
        case_id=case_id,
        entry_id=new_id("e", now),
        kind=TimelineKind.FOLLOWUP_DUE,
        at=now,
        actor="system",
        text=f"Follow-up due ({label} after resolution): ask {case.customer.name or 'the customer'} whether the "
        f"problem stayed solved.",
        data={"label": label, "owner": case.owner},
    )
    updated = case.model_copy(update={"followups": followups, "updated_at": now, "version": case.version + 1})
    deps.cases.save(updated, case.version, [entry])
    metrics.add_metric(name="FollowUpDue", unit="Count", value=1)
    return updated


def complete_follow_up(deps: Deps, agent: Agent, case_id: str, label: str, note: str = "") -> Case:
    case = deps.cases.get(case_id)
    _editable(case, agent)
    if not any(f.label == label for f in case.followups):
        raise NotFound(f"case {case_id} has no follow-up {label!r}")
    now = clock.now()
    followups = [f.model_copy(update={"state": "done"}) if f.label == label else f for f in case.followups]
    entry = TimelineEntry(
        case_id=case_id,
        entry_id=new_id("e", now),
        kind=TimelineKind.NOTE,
        at=now,
        actor=agent.email,
        text=f"Follow-up {label} done. {note}".strip(),
    )
    updated = case.model_copy(update={"followups": followups, "updated_at": now, "version": case.version + 1})
    deps.cases.save(updated, case.version, [entry])
    return updated
