"""Supervisor reports (R23, R24) computed with DuckDB over the analytics store's Parquet files.

Any period (the last day, week or month, or a custom one up to 93 days), optionally for one team, agent,
platform, topic or language. Care numbers as distributions (p50, p90, mean), SLA compliance over the cases
whose first answer is settled (met or breached), complaint patterns with their trend against the previous
period of the same length and suggestions tied to the operation behind them, volumes by hour for staffing.
Files: the summary (JSON), one row per case (CSV, formula-safe), a workbook (XLSX) and a self-contained
HTML page with charts.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shared import clock
from shared.analytics.records import CASES, DIMENSIONS, INTERACTIONS
from shared.errors import Conflict, InvalidInput
from shared.ids import new_id
from shared.observability import logger, metrics
from shared.usecases.deps import Deps

if TYPE_CHECKING:  # DuckDB and XlsxWriter load on first use: the api's cold start does not pay for them
    from shared.analytics.engine import Analytics

MAX_PERIOD = timedelta(days=93)
PERIODS = {"day": timedelta(days=1), "week": timedelta(days=7), "month": timedelta(days=30)}
FILES = {
    "json": ("summary.json", "application/json"),
    "csv": ("cases.csv", "text/csv; charset=utf-8"),
    "xlsx": ("report.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "html": ("report.html", "text/html; charset=utf-8"),
}
RISING_PCT = 25.0
BREACH_SHARE = 0.2


def period_bounds(
    period: str | None, start: datetime | None, end: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """[start, end) for a named period ending now (day, week, month) or a custom one; InvalidInput when wrong."""
    if period and period != "custom":
        if period not in PERIODS:
            raise InvalidInput(f"period must be one of {sorted([*PERIODS, 'custom'])}")
        end = now
        start = now - PERIODS[period]
    end = end or now
    start = start or end - PERIODS["day"]
    if start >= end:
        raise InvalidInput("the report period must start before it ends")
    if end - start > MAX_PERIOD:
        raise InvalidInput(f"a report covers at most {MAX_PERIOD.days} days")
    return start, end


def check_filters(filters: dict[str, str | None] | None) -> dict[str, str]:
    chosen = {k: v for k, v in (filters or {}).items() if v}
    unknown = sorted(set(chosen) - set(DIMENSIONS))
    if unknown:
        raise InvalidInput(f"unknown filter {unknown[0]}: filters are {sorted(DIMENSIONS)}")
    return chosen


def _days(start: datetime, end: datetime) -> list[str]:
    last = (end - timedelta(microseconds=1)).date()
    return [(start.date() + timedelta(days=i)).isoformat() for i in range((last - start.date()).days + 1)]


@contextmanager
def analysed(
    deps: Deps, start: datetime, end: datetime, filters: dict[str, str], as_of: datetime | None = None
) -> Iterator[Analytics]:
    """The period (and the one before it, for trends) fetched into a scratch directory and opened."""
    from shared.analytics.engine import Analytics

    with tempfile.TemporaryDirectory(prefix="heard-analytics-") as tmp:
        # Each period's queries open only its own days' files; the day both periods share, both.
        edge = start.date().isoformat()
        shared = deps.analytics.fetch(CASES, [edge], Path(tmp) / "cases-edge")
        now = deps.analytics.fetch(CASES, [d for d in _days(start, end) if d != edge], Path(tmp) / CASES)
        before_days = [d for d in _days(start - (end - start), start) if d != edge]
        before = deps.analytics.fetch(CASES, before_days, Path(tmp) / "cases-before")
        interaction_files = deps.analytics.fetch(INTERACTIONS, _days(start, end), Path(tmp) / INTERACTIONS)
        zones = {team.id: team.calendar.timezone for team in deps.config.get().teams}
        with Analytics(
            [*shared, *now],
            interaction_files,
            start=start,
            end=end,
            as_of=as_of or clock.now(),
            filters=filters,
            zones=zones,
            previous_case_files=[*before, *shared],
        ) as analytics:
            yield analytics


# ---- the summary -------------------------------------------------------------------------------------


def _trend(now: int, before: int) -> tuple[float | None, str]:
    if not before:
        return None, "new this period"
    change = round(100 * (now - before) / before, 1)
    word = "up" if change > 0 else "down" if change < 0 else "flat"
    return change, f"{word} {abs(change)}% against the previous period ({before})"


def suggestion(pattern: dict[str, Any]) -> str:
    """A concrete suggestion tied to the operation behind a complaint pattern (R24)."""
    operation, topic, count = pattern["operation"], pattern["topic"], pattern["complaints"]
    change, trend = _trend(count, pattern["previous_complaints"])
    parts = [f"{count} complaints about {topic} ({pattern['share_of_complaints_pct']}% of all), {trend}."]
    if change is None or change >= RISING_PCT:
        parts.append(
            f"Raise it with the owner of the {operation} operation now and agree a holding statement for {topic}."
        )
    else:
        parts.append(f"Review the {operation} operation's fix for {topic} with its owner.")
    if pattern["sla_breaches"] >= max(1, BREACH_SHARE * count):
        parts.append(
            f"{pattern['sla_breaches']} breached the SLA: add {pattern['team']} staff around "
            f"{pattern['peak_hour']:02d}:00 UTC, when most of them arrive."
        )
    parts.append(f"Add an approved answer about {topic} to the knowledge base.")
    return " ".join(parts)


def _patterns(analytics: Analytics) -> list[dict[str, Any]]:
    patterns = analytics.patterns()
    for pattern in patterns:
        pattern["trend_pct"], _ = _trend(pattern["complaints"], pattern["previous_complaints"])
        pattern["suggestion"] = suggestion(pattern)
    return patterns


def _agents(breakdown: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The per-agent block earlier reports had (kept for readers of the JSON)."""
    return {
        row["key"]: {
            "cases": row["cases"],
            "resolved": row["resolved"],
            "sla_breaches": row["sla_breached"],
            "empathy_graded": row["empathy_graded"],
            "empathy_average": row["empathy_average"],
        }
        for row in breakdown
        if row["key"]
    }


def summarise(analytics: Analytics, start: datetime, end: datetime) -> dict[str, Any]:
    head = analytics.headline()
    measured = head["sla_met"] + head["sla_breached"]
    breakdowns = analytics.breakdowns()
    counts = analytics.counts("status", "category", "platform", "team")
    negative = head["negative_at_start"]
    return {
        "period": {"start": clock.iso(start), "end": clock.iso(end)},
        "cases": head["cases"],
        "open": head["open"],
        "resolved": head["resolved"],
        "by_status": counts["status"],
        "by_category": counts["category"],
        "by_platform": counts["platform"],
        "by_team": counts["team"],
        "first_response_minutes": head["first_response_minutes"],
        "handling_minutes": head["handling_minutes"],
        "resolution_minutes": head["resolution_minutes"],
        "sla": {
            "measured": measured,
            "met": head["sla_met"],
            "breached": head["sla_breached"],
            "pending": head["sla_pending"],
            "not_applicable": head["sla_not_applicable"],
            "compliance_pct": round(100 * head["sla_met"] / measured, 1) if measured else None,
        },
        "sentiment_conversion": {
            "negative_at_start": negative,
            "no_longer_negative": head["no_longer_negative"],
            "rate_pct": round(100 * head["no_longer_negative"] / negative, 1) if negative else None,
        },
        "by_hour": analytics.by_hour(),
        "by_hour_zone": analytics.hour_zone(),
        "by_day": analytics.by_day(),
        "breakdowns": breakdowns,
        "complaint_patterns": _patterns(analytics),
        "agents": _agents(breakdowns["agent"]),
    }


def overview(
    deps: Deps,
    *,
    period: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    filters: dict[str, str | None] | None = None,
) -> dict[str, Any]:
    """The dashboard's numbers for a period, computed now (nothing stored)."""
    now = clock.now()
    start, end = period_bounds(period, start, end, now)
    chosen = check_filters(filters)
    with analysed(deps, start, end, chosen, now) as analytics:
        summary = summarise(analytics, start, end)
    summary["filters"] = chosen
    return summary


def drill(
    deps: Deps,
    metric: str,
    *,
    period: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    filters: dict[str, str | None] | None = None,
) -> list[dict[str, Any]]:
    """The cases behind one of the dashboard's numbers (e.g. the SLA breaches), newest first."""
    now = clock.now()
    start, end = period_bounds(period, start, end, now)
    with analysed(deps, start, end, check_filters(filters), now) as analytics:
        rows = analytics.drill(metric)
    return [
        {k: (clock.iso(v.replace(tzinfo=UTC)) if isinstance(v, datetime) else v) for k, v in r.items()}
        for r in rows
    ]


# ---- stored reports ----------------------------------------------------------------------------------


def _files(analytics: Analytics, summary: dict[str, Any]) -> dict[str, bytes]:
    from shared.analytics import formats

    return {
        "json": json.dumps(summary, indent=2, default=str).encode(),
        "csv": formats.to_csv(analytics.case_rows()),
        "xlsx": formats.to_xlsx(summary, analytics.case_rows(newest=formats.XLSX_MAX_CASES + 1)),
        "html": formats.to_html(summary),
    }


def generate(
    deps: Deps,
    *,
    period: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    filters: dict[str, str | None] | None = None,
    requested_by: str = "schedule",
) -> dict[str, Any]:
    """A report of the period made now (the reports function; the API queues instead: report_requests)."""
    now = clock.now()
    start, end = period_bounds(period, start, end, now)
    return make(deps, new_id("rp", now), start, end, check_filters(filters), requested_by=requested_by)[0]


def make(
    deps: Deps,
    report_id: str,
    start: datetime,
    end: datetime,
    filters: dict[str, str],
    *,
    requested_by: str,
    requested_at: datetime | None = None,
) -> tuple[dict[str, Any], bytes]:
    """Compute the report, store its files and its ready record; the record and the HTML page."""
    now = clock.now()
    with analysed(deps, start, end, filters, now) as analytics:
        summary = summarise(analytics, start, end)
        summary["filters"] = filters
        files = _files(analytics, summary)
    prefix = f"reports/{now.strftime('%Y/%m/%d')}/{report_id}"
    keys = {fmt: f"{prefix}/{FILES[fmt][0]}" for fmt in FILES}
    for fmt, body in files.items():
        deps.report_files.put(keys[fmt], body, FILES[fmt][1])
    report = {
        "id": report_id,
        "status": "ready",
        "requested_at": clock.iso(requested_at or now),
        "generated_at": clock.iso(now),
        "requested_by": requested_by,
        "period_start": clock.iso(start),
        "period_end": clock.iso(end),
        "case_count": summary["cases"],
        "sla_compliance_pct": summary["sla"]["compliance_pct"],
        "filters": filters,
        "keys": keys,
    }
    deps.cases.put_report(report)
    metrics.add_metric(name="ReportGenerated", unit="Count", value=1)
    logger.info("report generated", extra={"report_id": report_id, "cases": summary["cases"]})
    return report, files["html"]


def download_url(deps: Deps, report_id: str, fmt: str, expires_seconds: int = 300) -> str:
    report = deps.cases.get_report(report_id)
    if report.get("status") == "failed":
        raise Conflict(f"report {report_id} failed ({report.get('failure_reason')}); retry it first")
    if report.get("status", "ready") != "ready":
        raise Conflict(f"report {report_id} is still being generated; try again when it is ready")
    if fmt not in report["keys"]:
        raise InvalidInput(f"format must be one of {sorted(report['keys'])}")
    filename = f"heard-report-{report_id}.{fmt}"
    return deps.report_files.download_url(report["keys"][fmt], filename, expires_seconds)


def at_risk(deps: Deps, within_minutes: int, limit: int = 100) -> list[dict[str, Any]]:
    """Open cases whose reply falls due within the next minutes (or already overdue), soonest first."""
    now = clock.now()
    due = deps.cases.due_for_reply(now + timedelta(minutes=within_minutes), limit)
    return [
        {
            "case_id": c.case_id,
            "team": c.team,
            "owner": c.owner,
            "priority": c.priority,
            "platform": c.platform.value,
            "topic": c.topic,
            "summary": c.brief or c.summary,  # the case summarised (#11), else its first message
            "reply_due": c.reply_due,
            "minutes_left": round((c.reply_due - now).total_seconds() / 60, 1),
        }
        for c in due
        if c.status.is_open and c.reply_due is not None
    ]
