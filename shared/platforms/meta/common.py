"""What every Meta product's parser shares: the per-entry context and Meta's two time formats."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.models.interaction import (
    Interaction,
)
from shared.platforms.base import (
    from_epoch,
    from_iso,
    ident,
)


class Context:
    """What every event in one `entry` shares: our account id, its time, where the bytes are."""

    def __init__(self, entry: dict[str, Any], received_at: datetime, archive_key: str | None):
        self.entry = entry
        self.account_id = ident(entry.get("id"))
        self.received_at = received_at
        self.archive_key = archive_key
        self.entry_time = from_epoch(entry.get("time"), millis=looks_like_millis(entry.get("time")))

    def when(self, *candidates: datetime | None) -> datetime:
        for moment in candidates:
            if moment is not None:
                return moment
        return self.entry_time or self.received_at

    def build(self, **fields: Any) -> Interaction:
        fields.setdefault("account_id", self.account_id)
        return Interaction(archive_key=self.archive_key, **fields)


def looks_like_millis(value: Any) -> bool:
    # Page entries carry seconds, messaging entries milliseconds: tell them apart by magnitude.
    try:
        return float(value) > 10_000_000_000
    except (TypeError, ValueError, OverflowError):
        return False


def event_time(value: Any) -> datetime | None:
    if isinstance(value, str) and not value.strip().isdigit():
        return from_iso(value)
    return from_epoch(value, millis=looks_like_millis(value))
