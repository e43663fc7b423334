"""Who has a case open right now, and who is typing a reply in it (collision, issue #10)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

PRESENCE_SECONDS = 30  # a case view says "still here" every 10 s; silent for this long, it has gone


class Presence(BaseModel):
    model_config = ConfigDict(frozen=True)

    case_id: str
    email: str
    typing: bool = False
    at: datetime  # the last heartbeat
