"""Answering the customer: compose, record and queue a reply; a trainee's waits for approval (R4, R12)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from shared import clock
from shared.errors import Conflict, Forbidden, InvalidInput, Unavailable
from shared.ids import new_id
from shared.models.agent import Agent
from shared.models.case import Case, CaseStatus, TimelineEntry, TimelineKind
from shared.models.interaction import Platform
from shared.models.outbox import OutboxMessage
from shared.models.records import (
    ApprovalRequested,
    PendingApproval,
    PoolItem,
    ReviewPooled,
    SideWrite,
)
from shared.models.records import entry_key as entry_sk
from shared.models.timeline import new_entry
from shared.observability import logger, metrics
from shared.usecases import continuity, training
from shared.usecases.attachments import attached_image
from shared.usecases.deps import Deps
from shared.usecases.retrying import on_change

PLATFORM_TEXT_LIMITS = {Platform.X: 280, Platform.LINKEDIN: 1250}
AWAITING_APPROVAL = "awaiting_approval"
NOT_QUEUED = "could not be queued; send it again"
RESOLVED_REFUSAL = "the case is resolved; reopen it, or it reopens when the customer writes again"
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def compose(text: str, contact_line: str) -> str:
    """Every official reply carries a way to reach a real person (R4)."""
    body = text.strip()
    if contact_line.strip().lower() in body.lower():
        return body
    return f"{body}\n\n{contact_line.strip()}"


def with_dm_link(case: Case, text: str, private: bool, config: Any) -> str:
    """A public reply that moves the conversation to private carries the link that opens it (R14)."""
    from shared.rules.dm_links import dm_link, missing_account

    if private or not case.channel.is_public:
        raise InvalidInput("invite_private is for a public reply: this one is already private")
    link = dm_link(case.platform.value, case.reply_context, config.accounts)
    if link is None:
        raise InvalidInput(
            f"no private-conversation link for {case.platform.value}: set {missing_account(case.platform.value)} "
            "in the configuration"
        )
    return f"{text.rstrip()} {link}"


def _check_length(case: Case, final: str) -> None:
    limit = PLATFORM_TEXT_LIMITS.get(case.platform)
    if limit and len(final) > limit:
        raise InvalidInput(
            f"{case.platform.value} allows {limit} characters; with the contact line this reply has "
            f"{len(final)}"
        )


def editable(case: Case, agent: Agent) -> None:
    if case.owner and case.owner != agent.email and not agent.is_supervisor:
        raise Forbidden(f"case {case.case_id} is owned by {case.owner}")


@on_change
def post_reply(
    deps: Deps,
    agent: Agent,
    case_id: str,
    text: str,
    private: bool = False,
    idempotency_key: str | None = None,
    invite_private: bool = False,
    attachment: str | None = None,
) -> TimelineEntry:
    """Record a reply and queue it for sending; a trainee's reply waits for a supervisor instead (R12).

    With an idempotency key, the same agent sending the same key again gets the reply it already made
    (re-queued if it could not be queued the first time), never a second message to the customer. Two
    first attempts at once cannot both land: the case's version lets one save win; the other, run again
    (`on_change`), finds the reply its key already made."""
    if idempotency_key is not None and not IDEMPOTENCY_KEY.fullmatch(idempotency_key):
        raise InvalidInput("the idempotency key must be 1-128 letters, digits, '.', '_', ':' or '-'")
    case, earlier = _load(deps, case_id, agent, idempotency_key)
    if earlier is not None:
        return _again(deps, case, earlier)
    editable(case, agent)
    if case.status is CaseStatus.RESOLVED and due_follow_up(case) is None:
        raise Conflict(RESOLVED_REFUSAL)
    config = deps.config.get()
    if invite_private:
        text = with_dm_link(case, text, private, config)
    final = compose(text, config.brand(case.brand).contact_line)  # each brand its own (R4)
    _check_length(case, final)
    now = clock.now()
    ensure_window_open(case, now)
    probation = training.must_wait(deps, agent) is not None  # probation (R12) or training (R26)
    data: dict[str, Any] = {
        "delivery": AWAITING_APPROVAL if probation else "queued",
        "private": private,
        "channel": case.channel.value,
        "presend": _presend(deps, case, text, private),
    }
    if idempotency_key is not None:
        data["idempotency_key"] = idempotency_key
    if attachment is not None:  # an image the agent uploaded (issue #16), checked as stored
        data["attachment"] = attached_image(deps, case, attachment)
    if case.status is CaseStatus.RESOLVED:  # a follow-up that came due: the case stays resolved (R20)
        data["follow_up"] = due_follow_up(case)
    entry = new_entry(
        case_id=case_id, kind=TimelineKind.REPLY, at=now, actor=agent.email, text=final, data=data, prefix="r"
    )
    updates: dict[str, Any] = {"updated_at": now, "version": case.version + 1}
    if case.status is CaseStatus.QUEUED:  # answering a waiting case means owning it
        updates.update(status=CaseStatus.ASSIGNED, owner=agent.email, assigned_at=now)
    moving = case.channel.is_public and (private or invite_private)
    _store(deps, case, agent, entry, updates, probation=probation, moving=moving)
    return entry


def _store(
    deps: Deps, case: Case, agent: Agent, entry: TimelineEntry, updates: dict[str, Any], **how: bool
) -> None:
    """Save the reply (waiting for approval on probation, else queued). A reply moving a public
    conversation to private records the hand-over to the customer's DM (continuity.py) and, when it is
    itself the private message, posts the short public note that says so (R14)."""
    more = [continuity.expect_private(deps, case, agent.email, entry.at)] if how["moving"] else []
    if how["probation"]:
        _await_approval(deps, case, entry, updates, more)
        return
    config = deps.config.get()
    private = bool(entry.data.get("private"))
    note = _private_note(config, case, entry, entry.at) if how["moving"] and private else None
    also = sent_updates(deps, case, entry, agent.email, entry.at, updates)
    notes = [note.entry] if note else []
    deps.cases.save(case.model_copy(update=updates), case.version, [entry, *more, *notes], also=also)
    queue_reply(deps, case, entry, agent.email)
    if note:
        queue_reply(deps, case, note.entry, note.entry.actor)


def _private_note(config: Any, case: Case, entry: TimelineEntry, now: datetime) -> Any:
    """The short public note under the comment answered privately (R14), sent by heard-bot."""
    from shared.usecases.automation import bot_reply  # it imports this module

    text = continuity.public_note(config, case)
    return bot_reply(config, case, text, now, entry.entry_id + "#note", {"private_note": True})


def _presend(deps: Deps, case: Case, text: str, private: bool) -> list[dict[str, Any]]:
    """What the pre-send check (R13) says, stored with the reply (the agent may send anyway)."""
    from shared.usecases import knowledge_presend  # it imports this module

    return knowledge_presend.record(deps, case, text, private)


def _load(
    deps: Deps, case_id: str, agent: Agent, idempotency_key: str | None
) -> tuple[Case, TimelineEntry | None]:
    """The case, and the agent's earlier reply made with this idempotency key (if any)."""
    if idempotency_key is None:
        return deps.cases.get(case_id), None
    case, timeline = deps.cases.get_with_timeline(case_id)
    earlier = next(
        (
            e
            for e in timeline
            if e.kind is TimelineKind.REPLY
            and e.actor == agent.email
            and e.data.get("idempotency_key") == idempotency_key
        ),
        None,
    )
    return case, earlier


def _again(deps: Deps, case: Case, earlier: TimelineEntry) -> TimelineEntry:
    """A client's retry of a reply it already made: the same reply; queued again only if it never was."""
    if earlier.data.get("delivery") != "failed" or earlier.data.get("delivery_error") != NOT_QUEUED:
        return earlier
    if not deps.cases.transition_entry(case.case_id, entry_sk(earlier), "delivery", ("failed",), "queued"):
        return earlier  # another retry is queueing it right now
    deps.cases.update_entry(case.case_id, entry_sk(earlier), {"delivery_error": None})
    queue_reply(deps, case, earlier, earlier.actor)
    logger.info("reply queued again", extra={"case_id": case.case_id, "reply_id": earlier.entry_id})
    return earlier.model_copy(update={"data": {**earlier.data, "delivery": "queued", "delivery_error": None}})


def _await_approval(
    deps: Deps, case: Case, entry: TimelineEntry, updates: dict[str, Any], more: list[TimelineEntry]
) -> None:
    """A trainee's reply: recorded with a pending approval. Nothing reaches the customer yet, so the SLA
    clock keeps running until a supervisor approves."""
    pending = PendingApproval(
        case_id=case.case_id,
        reply_id=entry.entry_id,
        entry_sk=entry_sk(entry),
        author=entry.actor,
        text=entry.text,
        at=entry.at,
        case=approval_snapshot(case),
    )
    also = [ApprovalRequested(pending)]
    deps.cases.save(case.model_copy(update=updates), case.version, [entry, *more], also=also)
    metrics.add_metric(name="ReplyAwaitingApproval", unit="Count", value=1)
    logger.info("reply awaiting approval", extra={"case_id": case.case_id, "reply_id": entry.entry_id})


def due_follow_up(case: Case) -> str | None:
    """The label of a follow-up that came due on this (resolved) case: its owner may message the customer
    (R20), within the platform's window or with the approved template where one is required."""
    return next((f.label for f in case.followups if f.state == "due"), None)


def window_refusal(case: Case, now: datetime) -> str | None:
    """Why the platform would refuse a reply now (its messaging window closed), or None. WhatsApp is
    never closed: outside its 24 hours the dispatcher sends the approved template instead."""
    if case.reply_window_until and now > case.reply_window_until and case.platform is not Platform.WHATSAPP:
        return (
            f"{case.platform.value} stopped accepting replies in this conversation at "
            f"{clock.iso(case.reply_window_until)}; contact the customer by email or phone"
        )
    return None


def reply_refusal(case: Case, now: datetime) -> str | None:
    """Why a reply on this case would be refused now (what the console shows instead of the reply box)."""
    if case.status is CaseStatus.RESOLVED and due_follow_up(case) is None:
        return RESOLVED_REFUSAL
    return window_refusal(case, now)


def by_template(case: Case, now: datetime) -> bool:
    """A reply now goes as the platform's approved template (WhatsApp after its 24-hour window)."""
    from shared.rules.windows import free_form_until, is_open

    if case.platform is not Platform.WHATSAPP:
        return False
    return not is_open(free_form_until(case.platform, case.channel, case.last_customer_at), now)


def ensure_window_open(case: Case, now: datetime) -> None:
    refusal = window_refusal(case, now)
    if refusal:
        raise Conflict(refusal)


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
) -> list[SideWrite]:
    """Fill `updates` for a reply going public; the case's first human reply enters the blind empathy
    review pool (R11) in the same transaction. Returns the side writes to store with it."""
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
    return [ReviewPooled(review)]


def queue_reply(deps: Deps, case: Case, entry: TimelineEntry, author: str) -> None:
    message = OutboxMessage.for_reply(case, entry, author)
    try:
        deps.outbox.put(message.model_dump_json())
    except Unavailable as error:
        # The reply is recorded but will not be sent: say so on the case, never leave it "queued" forever.
        deps.cases.update_entry(
            case.case_id,
            entry_sk(entry),
            {"delivery": "failed", "delivery_error": NOT_QUEUED},
        )
        logger.error("reply could not be queued", extra={"case_id": case.case_id, "error": str(error)[:300]})
        raise Unavailable(
            "the reply was recorded but could not be queued for sending; send it again"
        ) from error
    metrics.add_metric(name="ReplyQueued", unit="Count", value=1)
