"""The dispatcher: send one queued reply through its platform's connector, exactly once.

A reply moves queued -> sending -> sent|failed on its timeline entry. The conditional move to
"sending" stops a redelivered outbox message from messaging the customer twice, and carries a lease:
if the dispatcher dies mid-send, the redelivered message finds the lease expired. No connector can yet
tell whether the send reached the platform, nor send idempotently, so resending could message the
customer twice: the reply is marked "failed — needs attention" on the case (metric ReplyNeedsAttention,
alarmed) for the agent to check the conversation and send again. A redelivery while the lease still
holds waits (the queue retries later). Rate limits put the
reply back to "retrying" and raise, so the queue retries later (never dropped); a closed window or a
platform refusal is final and recorded on the case for the agent to see.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Any

from shared import clock
from shared.errors import NotFound, PlatformError, RateLimited, WindowClosed
from shared.models.notification import NotificationKind
from shared.models.outbox import OutboxMessage
from shared.models.records import SendLease
from shared.models.timeline import delivery_failed
from shared.observability import logger, metrics
from shared.usecases.deps import Deps
from shared.usecases.notifications import notify


class ReplyNotYetRecorded(Exception):
    """The outbox message arrived before the timeline entry it sends: try again later."""


class SendInProgress(Exception):
    """Another dispatcher holds this reply's send lease: try again once it has finished or expired."""


class Dispatch(StrEnum):
    SENT = "sent"
    FAILED = "failed"
    NEEDS_ATTENTION = "needs_attention"
    ALREADY_HANDLED = "already_handled"


# Twice the dispatcher's 30 s timeout: a live send always finishes inside its lease, and the outbox's
# 180 s visibility timeout means a crashed send is redelivered only after its lease has run out.
SEND_LEASE = timedelta(seconds=60)
NEEDS_ATTENTION = (
    "the dispatcher stopped while sending; it may or may not have reached the customer. "
    "Check the conversation and send it again if it is missing"
)


def dispatch(message: OutboxMessage, deps: Deps) -> Dispatch:
    from shared.platforms.outbound import Choice, OutboundReply, send_reply

    cases = deps.cases
    lease = cases.take_send_lease(message.case_id, message.entry_sk, clock.now() + SEND_LEASE)
    if not lease.taken:
        return _not_taken(message, lease, deps)
    if message.moderation:
        return _moderate(message, deps)
    reply = OutboundReply(
        case_id=message.case_id,
        reply_id=message.reply_id,
        platform=message.platform,
        channel=message.channel,
        conversation_id=message.conversation_id,
        reply_context=message.reply_context,
        text=message.text,
        private=message.private,
        last_customer_at=message.last_customer_at,
        image=_reply_image(deps, message),
        choices=tuple(Choice.model_validate(c) for c in message.choices),
    )
    now = clock.now()
    try:
        result = send_reply(reply, credentials_for(deps, message.reply_context), deps.settings)
    except RateLimited:
        cases.update_entry(
            message.case_id, message.entry_sk, {"delivery": "retrying", "retry_at": clock.iso(now)}
        )
        metrics.add_metric(name="ReplyRateLimited", unit="Count", value=1)
        raise
    except (WindowClosed, PlatformError) as error:
        reason = str(error)
        cases.update_entry(
            message.case_id, message.entry_sk, {"delivery": "failed", "delivery_error": reason}
        )
        cases.append(delivery_failed(message.case_id, message.reply_id, now, reason))
        _tell_author(deps, message, reason)
        _count(deps, message, reason)
        metrics.add_metric(name="ReplyFailed", unit="Count", value=1)
        logger.warning("reply refused", extra={"case_id": message.case_id, "reason": reason})
        return Dispatch.FAILED
    cases.update_entry(
        message.case_id,
        message.entry_sk,
        {
            "delivery": result.state,
            "platform_message_id": result.platform_message_id,
            "sent_at": clock.iso(now),
            **({"image_error": result.image_error} if result.image_error else {}),
        },
    )
    cases.remember_message(
        f"{message.platform.value}#{result.platform_message_id}", message.case_id, message.entry_sk
    )
    metrics.add_metric(name="ReplySent", unit="Count", value=1)
    _count(deps, message, None)
    return Dispatch.SENT


# The platform fetches an attached image from this link (WhatsApp, Messenger, Telegram) soon after the
# call; a retried send presigns a new one.
IMAGE_LINK_SECONDS = 900


def _reply_image(deps: Deps, message: OutboxMessage) -> Any:
    """A short-lived link to the agent's image (issue #16), or None for a text-only reply."""
    from shared.platforms import spec_for_product
    from shared.platforms.outbound import ReplyImage

    attached = message.attachment
    if not attached:
        return None
    key = str(attached["key"])
    spec = spec_for_product(message.platform.value)
    rule = spec.image_rule(message.platform.value, message.channel.value) if spec else None
    body = deps.attachment_files.read(key) if rule is not None and rule.upload else None
    url = deps.attachment_files.download_url(key, IMAGE_LINK_SECONDS)
    return ReplyImage(
        url=url, content_type=str(attached["content_type"]), size=int(attached["size"]), body=body
    )


def _moderate(message: OutboxMessage, deps: Deps) -> Dispatch:
    """An automatic moderation (a routing rule's hide, issue #16), carried out once under the send lease."""
    from shared.platforms.moderation import ModerationAction, ModerationRequest, moderate

    cases, now = deps.cases, clock.now()
    request = ModerationRequest(
        action=ModerationAction(message.moderation or ""),
        platform=message.platform.value,
        target_id=message.target_id or "",
        reply_context=message.reply_context,
    )
    try:
        moderate(request, credentials_for(deps, message.reply_context), deps.settings)
    except RateLimited:
        cases.update_entry(
            message.case_id, message.entry_sk, {"delivery": "retrying", "retry_at": clock.iso(now)}
        )
        raise
    except PlatformError as error:
        cases.update_entry(
            message.case_id, message.entry_sk, {"delivery": "failed", "delivery_error": str(error)}
        )
        metrics.add_metric(name="ModerationFailed", unit="Count", value=1)
        logger.warning("moderation refused", extra={"case_id": message.case_id, "reason": str(error)})
        return Dispatch.FAILED
    cases.update_entry(message.case_id, message.entry_sk, {"delivery": "done", "sent_at": clock.iso(now)})
    metrics.add_metric(name="Moderated", unit="Count", value=1)
    return Dispatch.SENT


def credentials_for(deps: Deps, reply_context: dict[str, str]) -> Any:
    """The connected account's own credentials (issue #16), else the single-account configuration's.
    An account removed since the message came in cannot answer: a PlatformError the agent sees."""
    from shared.platforms.credentials import load_credentials
    from shared.usecases.accounts import account_credentials

    account_id = reply_context.get("heard_account")
    if not account_id:
        return load_credentials(deps.settings)
    try:
        return account_credentials(account_id, deps.accounts, deps.account_secrets)[1]
    except NotFound as error:
        raise PlatformError(f"the account {account_id!r} this came in through is gone: {error}") from error


def _not_taken(message: OutboxMessage, lease: SendLease, deps: Deps) -> Dispatch:
    """The reply was not queued for sending: not recorded yet, being sent, abandoned mid-send, or done."""
    ids = {"case_id": message.case_id, "reply_id": message.reply_id}
    if lease.state is None:
        # An automatic reply is queued before its case write lands; retry rather than drop it. A reply
        # whose case write never lands ends in the outbox's DLQ after its receive limit.
        raise ReplyNotYetRecorded(f"reply {message.reply_id} of case {message.case_id} is not recorded yet")
    if lease.state != "sending":
        logger.info("reply already handled", extra=ids)
        return Dispatch.ALREADY_HANDLED
    now = clock.now()
    if lease.lease_until is not None and now < lease.lease_until:
        raise SendInProgress(f"reply {message.reply_id} is being sent until {clock.iso(lease.lease_until)}")
    # The send was abandoned mid-way. Only one redelivery wins the move to "failed".
    cases = deps.cases
    if not cases.transition_entry(message.case_id, message.entry_sk, "delivery", ("sending",), "failed"):
        return Dispatch.ALREADY_HANDLED
    cases.update_entry(
        message.case_id, message.entry_sk, {"delivery_error": NEEDS_ATTENTION, "needs_attention": True}
    )
    cases.append(delivery_failed(message.case_id, message.reply_id, now, NEEDS_ATTENTION))
    _tell_author(deps, message, NEEDS_ATTENTION)
    _count(deps, message, NEEDS_ATTENTION)
    metrics.add_metric(name="ReplyNeedsAttention", unit="Count", value=1)
    logger.error("reply send abandoned mid-way; marked for attention", extra=ids)
    return Dispatch.NEEDS_ATTENTION


def _count(deps: Deps, message: OutboxMessage, failure: str | None) -> None:
    """A crisis update's outcome counts towards its version's progress on the crisis page."""
    if not message.broadcast:
        return
    from shared.usecases import broadcast

    if failure is None:
        broadcast.sent(deps, message.broadcast)
    else:
        broadcast.failed(deps, message.broadcast, message.case_id, message.platform.value, failure)


def _tell_author(deps: Deps, message: OutboxMessage, reason: str) -> None:
    """The agent who wrote a reply that could not be sent hears about it (automatic replies have none)."""
    notify(
        deps,
        message.author,
        NotificationKind.REPLY_FAILED,
        f"Your reply on case {message.case_id} was not sent: {reason}",
        actor="platform",
        case_id=message.case_id,
    )
