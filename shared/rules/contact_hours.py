"""When an escalation contact can be reached (R9): their `hours` text, parsed and checked.

Accepted forms (case-insensitive):
- "24/7" (anything starting with it, e.g. "24/7 on call"): always;
- "business hours": Mon-Fri 09:00-17:00 UTC;
- "<days> HH:MM-HH:MM [time zone]", days as "Mon-Fri", "Sat,Sun", "Mon-Thu,Sat", "daily" or "weekdays";
  the time zone defaults to UTC, e.g. "Mon-Fri 08:00-18:00 Europe/London".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPEC = re.compile(
    r"^(?P<days>[a-z,\- ]+?)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})(?:\s+(?P<tz>\S+))?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ContactHours:
    always: bool = False
    days: frozenset[int] = frozenset()  # 0 = Monday
    start: time = time(0)
    end: time = time(0)
    timezone: str = "UTC"


def _days(text: str) -> frozenset[int]:
    text = text.strip().lower()
    if text in ("daily", "every day"):
        return frozenset(range(7))
    if text == "weekdays":
        return frozenset(range(5))
    chosen: set[int] = set()
    for part in text.replace(" ", "").split(","):
        ends = part.split("-")
        if len(ends) > 2 or any(e[:3] not in DAYS or len(e) < 3 for e in ends):
            raise ValueError(
                f"unknown day(s) {part!r}; use Mon..Sun, ranges like Mon-Fri, 'daily' or 'weekdays'"
            )
        first, last = DAYS.index(ends[0][:3]), DAYS.index(ends[-1][:3])
        chosen.update(range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)])
    return frozenset(chosen)


def _time(text: str) -> time:
    hours, minutes = (int(p) for p in text.split(":"))
    if hours == 24 and minutes == 0:
        return time(23, 59, 59)
    return time(hours, minutes)  # ValueError when out of range


def parse_hours(text: str) -> ContactHours:
    """Parse a contact's hours; ValueError (with what is accepted) when it cannot be understood."""
    value = text.strip()
    lowered = value.lower()
    if lowered.startswith("24/7"):
        return ContactHours(always=True)
    if lowered == "business hours":
        return ContactHours(days=frozenset(range(5)), start=time(9), end=time(17))
    found = _SPEC.match(value)
    if not found:
        raise ValueError(
            f"hours {text!r} not understood; use '24/7', 'business hours' or e.g. "
            "'Mon-Fri 08:00-18:00 Europe/London'"
        )
    tz = found["tz"] or "UTC"
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"hours {text!r}: unknown time zone {tz!r}") from error
    start, end = _time(found["start"]), _time(found["end"])
    if end <= start:
        raise ValueError(f"hours {text!r}: the end must be after the start")
    return ContactHours(days=_days(found["days"]), start=start, end=end, timezone=tz)


def is_available(hours: ContactHours, at: datetime) -> bool:
    if hours.always:
        return True
    local = at.astimezone(ZoneInfo(hours.timezone))
    return local.weekday() in hours.days and hours.start <= local.time() < hours.end
