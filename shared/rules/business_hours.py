"""Business-hours calendars and SLA clocks (R10): pure functions over `BusinessCalendar`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from shared.models.config import WEEKDAYS, BusinessCalendar

_MAX_DAYS_SCANNED = 400  # a calendar with no opening at all in a year is treated as always open


def _intervals_on(calendar: BusinessCalendar, day: datetime) -> list[tuple[datetime, datetime]]:
    """Opening intervals (aware, in the calendar's zone) on the local date of `day`."""
    if day.date() in calendar.holidays:
        return []
    hours = calendar.week.get(WEEKDAYS[day.weekday()], [])
    tz = day.tzinfo
    return [
        (
            datetime.combine(day.date(), h.start, tzinfo=tz),
            datetime.combine(day.date(), h.end, tzinfo=tz),
        )
        for h in sorted(hours, key=lambda h: h.start)
    ]


def is_open(calendar: BusinessCalendar, at: datetime) -> bool:
    if calendar.always_open:
        return True
    local = at.astimezone(ZoneInfo(calendar.timezone))
    return any(start <= local < end for start, end in _intervals_on(calendar, local))


def add_business_minutes(calendar: BusinessCalendar, start: datetime, minutes: float) -> datetime:
    """The moment `minutes` of open time have passed after `start` (a post arriving while closed starts
    its clock at the next opening)."""
    if calendar.always_open or minutes <= 0:
        return start + timedelta(minutes=max(minutes, 0))
    tz = ZoneInfo(calendar.timezone)
    cursor = start.astimezone(tz)
    remaining = timedelta(minutes=minutes)
    day = cursor.replace(hour=0, minute=0, second=0, microsecond=0)
    for _ in range(_MAX_DAYS_SCANNED):
        for open_at, close_at in _intervals_on(calendar, day):
            begin = max(open_at, cursor)
            if begin >= close_at:
                continue
            available = close_at - begin
            if remaining <= available:
                return (begin + remaining).astimezone(UTC)
            remaining -= available
        # next local calendar day (normalise through UTC so DST changes are handled by zoneinfo)
        next_day = (day + timedelta(days=1, hours=3)).replace(hour=0, minute=0, second=0, microsecond=0)
        day = next_day.replace(tzinfo=tz)
    return start + timedelta(minutes=minutes)


def business_minutes_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> float:
    """Open minutes between two moments (for first-response time in business time)."""
    if end <= start:
        return 0.0
    if calendar.always_open:
        return (end - start).total_seconds() / 60
    tz = ZoneInfo(calendar.timezone)
    cursor, stop = start.astimezone(tz), end.astimezone(tz)
    total = timedelta()
    day = cursor.replace(hour=0, minute=0, second=0, microsecond=0)
    while day <= stop:
        for open_at, close_at in _intervals_on(calendar, day):
            lo, hi = max(open_at, cursor), min(close_at, stop)
            if hi > lo:
                total += hi - lo
        day = (day + timedelta(days=1, hours=3)).replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=tz)
    return total.total_seconds() / 60
