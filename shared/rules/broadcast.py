"""Crisis updates: who gets one, and how fast each platform may be messaged. Pure functions.

Rates are per platform and per minute, under what each platform accepts from one account (PLATFORMS.md):
X allows about 100 posts per 15 minutes; Meta's Send API 300 calls/s per Page (we stay far below it so
agents' own replies keep their share); Telegram about 30 messages/s per bot. A rate limit the platform
still answers with is retried through the outbox, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.models.broadcast import Skip
from shared.models.case import Case
from shared.rules.windows import is_open, reply_window_until

PER_MINUTE: dict[str, int] = {
    "x": 6,
    "facebook": 120,
    "messenger": 120,
    "instagram": 120,
    "whatsapp": 120,
    "telegram": 600,
    "linkedin": 30,
    "generic": 120,
}
DEFAULT_PER_MINUTE = 30


def per_minute(platform: str) -> int:
    return PER_MINUTE.get(platform, DEFAULT_PER_MINUTE)


def skip_reason(case: Case, crisis_id: str, version: int, now: datetime) -> Skip | None:
    """Why `case` does not get version `version` of crisis `crisis_id` now, or None when it does.

    Public conversations have no window (a public reply always goes); direct ones follow the platform's
    window, except WhatsApp, whose connector sends the approved template once free-form text is closed.
    """
    if case.crisis_id != crisis_id:
        return Skip.LEFT
    if case.updates_opt_out:
        return Skip.OPTED_OUT
    if case.crisis_statement_version >= version:
        return Skip.ALREADY
    until = reply_window_until(case.platform, case.channel, case.last_customer_at)
    if not is_open(until, now):
        return Skip.WINDOW_CLOSED
    return None


@dataclass(frozen=True)
class Slot:
    delay_seconds: int  # when, within the current minute, this message may leave
    next_minute: bool  # the platform's budget for this minute is spent: continue in the next one


def slot(platform: str, used: int, elapsed_seconds: float) -> Slot:
    """Where the (used+1)-th message to `platform` in this minute goes: spread evenly over the minute."""
    rate = per_minute(platform)
    if used >= rate:
        return Slot(0, True)
    return Slot(max(0, int(used * 60 / rate - elapsed_seconds)), False)
