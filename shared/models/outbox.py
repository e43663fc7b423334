"""The event payload on the outbox queue: one reply for the dispatcher to send."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from shared.models.case import Case, TimelineEntry
from shared.models.interaction import Channel, Platform
from shared.models.records import entry_key


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
    # A crisis update (docs/outreach.md): "<crisis id>#<statement version>", so the dispatcher counts it
    broadcast: str | None = None
    # Issue #16: a moderation to carry out instead of a reply ("hide"), on this platform id.
    moderation: str | None = None
    target_id: str | None = None
    # An image the agent attached (issue #16): {"key", "content_type", "size"} of Heard's copy.
    attachment: dict[str, Any] | None = None
    # Quick-answer buttons (a survey, R21): [{"title", "payload"}], shown where the platform has them.
    choices: list[dict[str, str]] = []

    @classmethod
    def for_reply(cls, case: Case, entry: TimelineEntry, author: str) -> OutboxMessage:
        """The message that sends `entry` (a reply on `case`) where the customer wrote last."""
        return cls(
            case_id=case.case_id,
            reply_id=entry.entry_id,
            entry_sk=entry_key(entry),
            platform=case.platform,
            channel=case.channel,
            conversation_id=case.conversation_id,
            reply_context=case.reply_context,
            text=entry.text,
            private=bool(entry.data.get("private", False)),
            last_customer_at=case.last_customer_at,
            author=author,
            attachment=entry.data.get("attachment"),
        )
