"""The one clock the domain reads.

In AWS it is the wall clock. The local runner may install a faster clock for demos
(`HEARD_CLOCK_SPEED`), so SLA checks and follow-ups can be watched without waiting an hour.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

_source: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """Current time, timezone-aware UTC."""
    return _source()


def set_source(source: Callable[[], datetime]) -> None:
    """Replace the clock (local runner's accelerated time, tests' frozen time)."""
    global _source
    _source = source


def reset() -> None:
    set_source(lambda: datetime.now(UTC))


def iso(moment: datetime) -> str:
    """Sortable ISO-8601 UTC with milliseconds, the form every stored timestamp uses."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
