"""Today's report path before issue 13, kept verbatim as the benchmark's baseline (bench_reports.py):
every case of the period as a `Case` object, the summary and the one-row-per-case CSV computed in Python.
Not used by Heard any more (shared/usecases/reports.py computes with DuckDB over the analytics store)."""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from datetime import datetime
from typing import Any

from shared import clock
from shared.models.case import Case
from shared.models.triage import Category, Sentiment
from shared.rules.empathy import average as empathy_average

CSV_COLUMNS = (
    "case_id",
    "opened_at",
    "platform",
    "channel",
    "team",
    "owner",
    "status",
    "priority",
    "category",
    "topic",
    "operation",
    "language",
    "crisis",
    "first_sentiment",
    "last_sentiment",
    "first_response_minutes",
    "handling_minutes",
    "resolution_minutes",
    "sla_met",
    "messages",
    "replies",
    "resolved_at",
    "empathy",
)
PATTERN_MIN_CASES = 3


def _minutes(start: datetime | None, end: datetime | None) -> float | None:
    if not start or not end:
        return None
    return round((end - start).total_seconds() / 60, 1)


def case_row(case: Case) -> dict[str, Any]:
    return {
        "case_id": case.case_id,
        "opened_at": clock.iso(case.opened_at),
        "platform": case.platform.value,
        "channel": case.channel.value,
        "team": case.team,
        "owner": case.owner or "",
        "status": case.status.value,
        "priority": case.priority,
        "category": case.category.value,
        "topic": case.topic,
        "operation": case.operation,
        "language": case.language,
        "crisis": case.crisis or "",
        "first_sentiment": (case.first_sentiment or case.sentiment).value,
        "last_sentiment": case.sentiment.value,
        "first_response_minutes": _minutes(case.opened_at, case.first_response_at),
        "handling_minutes": _minutes(case.assigned_at, case.resolved_at),
        "resolution_minutes": _minutes(case.opened_at, case.resolved_at),
        "sla_met": not case.sla_breached,
        "messages": case.message_count,
        "replies": case.reply_count,
        "resolved_at": clock.iso(case.resolved_at) if case.resolved_at else "",
        "empathy": case.empathy,  # the first reply's blind review grade (R11), empty until graded
    }


def _stats(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"median": None, "p90": None, "mean": None}
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return {
        "median": round(statistics.median(ordered), 1),
        "p90": round(p90, 1),
        "mean": round(statistics.fmean(ordered), 1),
    }


def _patterns(cases: list[Case]) -> list[dict[str, Any]]:
    """Complaint clusters by operation and topic, largest first, with a suggestion each (R24)."""
    complaints = [c for c in cases if c.category is Category.COMPLAINT]
    counts = Counter((c.operation, c.topic) for c in complaints)
    patterns = []
    for (operation, topic), count in counts.most_common():
        if count < PATTERN_MIN_CASES:
            break
        share = round(100 * count / max(1, len(complaints)), 1)
        breached = sum(
            1 for c in complaints if (c.operation, c.topic) == (operation, topic) and c.sla_breached
        )
        patterns.append(
            {
                "operation": operation,
                "topic": topic,
                "complaints": count,
                "share_of_complaints_pct": share,
                "sla_breaches": breached,
                "suggestion": f"{count} complaints ({share}% of all) concern {topic} — review the {operation} operation "
                f"with its owner, and add an approved answer for it to the knowledge base.",
            }
        )
    return patterns


def summarise(cases: list[Case], start: datetime, end: datetime) -> dict[str, Any]:
    rows = [case_row(c) for c in cases]
    frt = [r["first_response_minutes"] for r in rows if r["first_response_minutes"] is not None]
    aht = [r["handling_minutes"] for r in rows if r["handling_minutes"] is not None]
    ttr = [r["resolution_minutes"] for r in rows if r["resolution_minutes"] is not None]
    answered_or_due = [c for c in cases if c.first_response_at or c.sla_breached]
    met = sum(1 for c in answered_or_due if not c.sla_breached)
    negative_first = [c for c in cases if c.first_sentiment is Sentiment.NEGATIVE]
    converted = sum(1 for c in negative_first if c.sentiment is not Sentiment.NEGATIVE)
    per_agent: dict[str, dict[str, Any]] = {}

    def agent_row(email: str) -> dict[str, Any]:
        return per_agent.setdefault(
            email,
            {"cases": 0, "resolved": 0, "sla_breaches": 0, "empathy_graded": 0, "empathy_average": None},
        )

    for c in cases:
        if not c.owner:
            continue
        agent = agent_row(c.owner)
        agent["cases"] += 1
        agent["resolved"] += int(c.resolved_at is not None)
        agent["sla_breaches"] += int(c.sla_breached)
    # Empathy belongs to whoever wrote the graded first reply, who may not own the case any more.
    grades: dict[str, list[int]] = {}
    for c in cases:
        if c.empathy is not None and c.first_responder:
            grades.setdefault(c.first_responder, []).append(c.empathy)
    for email, values in grades.items():
        agent_row(email)["empathy_graded"], agent_row(email)["empathy_average"] = empathy_average(values)
    return {
        "period": {"start": clock.iso(start), "end": clock.iso(end)},
        "cases": len(cases),
        "by_status": dict(Counter(c.status.value for c in cases)),
        "by_category": dict(Counter(c.category.value for c in cases)),
        "by_platform": dict(Counter(c.platform.value for c in cases)),
        "by_team": dict(Counter(c.team for c in cases)),
        "first_response_minutes": _stats(frt),
        "handling_minutes": _stats(aht),
        "resolution_minutes": _stats(ttr),
        "sla": {
            "measured": len(answered_or_due),
            "met": met,
            "compliance_pct": round(100 * met / len(answered_or_due), 1) if answered_or_due else None,
        },
        "sentiment_conversion": {
            "negative_at_start": len(negative_first),
            "no_longer_negative": converted,
            "rate_pct": round(100 * converted / len(negative_first), 1) if negative_first else None,
        },
        "complaint_patterns": _patterns(cases),
        "agents": per_agent,
    }


def to_csv(cases: list[Case]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for case in cases:
        writer.writerow({k: ("" if v is None else v) for k, v in case_row(case).items()})
    return buffer.getvalue()
