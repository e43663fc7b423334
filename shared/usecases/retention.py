"""Retention of cases and their timelines (R27; docs/privacy.md): a daily sweep deletes every case that was
opened and resolved more than `retention.cases_days` ago, with its timeline, its message pointers and its
line in the customer's history.

The sweep walks the days cases were opened (the `by_day` index, no Scan) from a cursor kept in the table,
oldest first, up to the cutoff; a day whose cases are all gone moves the cursor past it, a day that still
holds a case kept for longer (resolved late, or still open) stops it there, to be looked at again tomorrow.
A case resolved after the cutoff is kept until its own resolution is old enough. DynamoDB's TTL is not used
for cases: a timeline's entries are written before anyone knows when the case will end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from shared import clock
from shared.models.case import Case, TimelineKind
from shared.observability import logger, metrics
from shared.usecases.deps import Deps
from shared.usecases.outcomes import message_key

DAYS_PER_RUN = 62  # a fresh deployment catches up two months a day
FIRST_DAY = date(2024, 1, 1)  # where a sweep without a cursor starts


@dataclass(frozen=True)
class Swept:
    deleted: int
    kept: int
    days: int
    cursor: date


def expired(case: Case, cutoff: datetime) -> bool:
    return case.resolved_at is not None and case.resolved_at < cutoff and case.opened_at < cutoff


def _delete(deps: Deps, case: Case) -> None:
    _, timeline = deps.cases.get_with_timeline(case.case_id)
    keys = [
        message_key(case.platform.value, str(e.data["platform_id"]))
        for e in timeline
        if e.kind is TimelineKind.MESSAGE_IN and e.data.get("platform_id")
    ]
    deps.cases.delete_case(case, keys)


def _sweep_day(deps: Deps, day: date, cutoff: datetime) -> tuple[int, int]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    end = min(start + timedelta(days=1) - timedelta(milliseconds=1), cutoff)
    deleted = kept = 0
    for case in deps.cases.opened_between(start, end):
        if expired(case, cutoff):
            _delete(deps, case)
            deleted += 1
        else:
            kept += 1
    return deleted, kept


def sweep(deps: Deps, now: datetime | None = None) -> Swept:
    now = now or clock.now()
    cutoff = now - timedelta(days=deps.config.get().retention.cases_days)
    day = deps.cases.retention_cursor() or FIRST_DAY
    deleted = kept = days = 0
    while day <= cutoff.date() and days < DAYS_PER_RUN:
        gone, stay = _sweep_day(deps, day, cutoff)
        deleted, kept, days = deleted + gone, kept + stay, days + 1
        if stay or day == cutoff.date():
            break  # look at this day again tomorrow (the cutoff's day: its later cases are not due yet)
        day += timedelta(days=1)
        deps.cases.set_retention_cursor(day)
    metrics.add_metric(name="CasesExpired", unit="Count", value=deleted)
    logger.info(
        "retention sweep", extra={"deleted": deleted, "kept": kept, "days": days, "cursor": day.isoformat()}
    )
    return Swept(deleted, kept, days, day)
