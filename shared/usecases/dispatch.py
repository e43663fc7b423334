"""The dispatcher: send one queued reply through its platform's connector, exactly once.

A reply moves queued -> sending -> sent|failed on its timeline entry. The conditional move to
"sending" stops a redelivered outbox message from messaging the customer twice. Rate limits put the
reply back to "retrying" and raise, so the queue retries later (never dropped); a closed window or a
platform refusal is final and recorded on the case for the agent to see.
"""

from __future__ import annotations

from enum import StrEnum

from shared import clock
from shared.errors import PlatformError, RateLimited, WindowClosed
from shared.ids import new_id
from shared.models.case import TimelineEntry, TimelineKind
from shared.observability import logger, metrics
from shared.usecases.casework import OutboxMessage
from shared.usecases.deps import Deps


class ReplyNotYetRecorded(Exception):
    """The outbox message arrived before the timeline entry it sends: try again later."""


class Dispatch(StrEnum):
    SENT = "sent"
    FAILED = "failed"
    ALREADY_HANDLED = "already_handled"


def dispatch(message: OutboxMessage, deps: Deps) -> Dispatch:
    from shared.platforms.credentials import load_credentials
    from shared.platforms.outbound import OutboundReply, send_reply

    cases = deps.cases
    if not cases.transition_entry(
        message.case_id, message.entry_sk, "delivery", ("queued", "retrying"), "sending"
    ):
        if not cases.entry_exists(message.case_id, message.entry_sk):
            # An automatic reply is queued before its case write lands; retry rather than drop it. A reply
            # whose case write never lands ends in the outbox's DLQ after its receive limit.
            raise ReplyNotYetRecorded(
                f"reply {message.reply_id} of case {message.case_id} is not recorded yet"
            )
        logger.info("reply already handled", extra={"case_id": message.case_id, "reply_id": message.reply_id})
        return Dispatch.ALREADY_HANDLED
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
    )
    now = clock.now()
    try:
        result = send_reply(reply, load_credentials(deps.settings), deps.settings)
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
        cases.append(
            TimelineEntry(
                case_id=message.case_id,
                entry_id=new_id("e", now),
                kind=TimelineKind.DELIVERY,
                at=now,
                actor="platform",
                text=f"Reply not sent: {reason}",
                data={"reply_id": message.reply_id, "state": "failed"},
            )
        )
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
        },
    )
    cases.remember_message(
        f"{message.platform.value}#{result.platform_message_id}", message.case_id, message.entry_sk
    )
    metrics.add_metric(name="ReplySent", unit="Count", value=1)
    return Dispatch.SENT
