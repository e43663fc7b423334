"""The one clock the domain reads, and the one way a moment is written down.

In AWS it is the wall clock. The local runner may install a faster clock for demos
(`HEARD_CLOCK_SPEED`), so SLA checks and follow-ups can be watched without waiting an hour.

Stored timestamps are compared as strings (DynamoDB sort keys, SLA checks), so `iso` must give every
moment the same width: four-digit years, always. Moments from outside (API bodies, platform payloads) are
checked against `EARLIEST`..`LATEST` at the edge: nothing Heard does has a meaning in year 735 or 9999.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

_source: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731

# The range of moments Heard accepts from outside: social platforms did not exist before 2000, and
# anything after 2200 is a typo or an attack (adding a day or a year to it must still be a valid datetime).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)

# A year written with fewer than four digits (how `strftime("%Y")` wrote years before 1000 on Linux).
_SHORT_YEAR = re.compile(r"^(\d{1,3})-")


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
    """Sortable ISO-8601 UTC with milliseconds, the form every stored timestamp uses (always 24 characters,
    so string order is time order for every year 1-9999)."""
    at = moment.astimezone(UTC)
    return (
        f"{at.year:04d}-{at.month:02d}-{at.day:02d}T{at.hour:02d}:{at.minute:02d}:{at.second:02d}."
        f"{at.microsecond // 1000:03d}Z"
    )


def parse_iso(value: str) -> datetime:
    """Read a stored timestamp (also those written with a short year before `iso` padded it)."""
    return datetime.fromisoformat(
        _SHORT_YEAR.sub(lambda m: f"{int(m.group(1)):04d}-", value).replace("Z", "+00:00")
    )


def is_sane(moment: datetime) -> bool:
    """Whether a moment from outside is one Heard can mean: timezone-aware and within EARLIEST..LATEST."""
    return moment.tzinfo is not None and EARLIEST <= moment <= LATEST


def sane(moment: datetime) -> datetime:
    """`moment` if it `is_sane`, else ValueError naming the range (usable as a pydantic validator)."""
    if moment.tzinfo is None:
        raise ValueError("give a time zone (e.g. Z or +01:00)")
    if not is_sane(moment):
        raise ValueError(f"must be between {iso(EARLIEST)} and {iso(LATEST)}")
    return moment
