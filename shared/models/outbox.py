"""The event payload on the outbox queue: one reply for the dispatcher to send."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from shared.models.interaction import Channel, Platform


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
