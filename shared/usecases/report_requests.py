"""Reports made off the API's path (issue #13): asked for in the console, or on a schedule and emailed.

- **On demand**: the API validates the period and filters, stores the report as `queued` and puts a job on
  the report-requests queue, answering at once (202 with the report's id). The reports function makes it
  (`fulfil`), marks it `ready` and leaves a "report ready" notice for the person who asked; the console
  polls the report and downloads it through a short-lived link. A repeated request (the same person and
  request key, e.g. a double click or a retried POST) answers with the same report and queues nothing new;
  a redelivered job finds the report ready and does nothing.
- **Failed**: a job that fails on its last attempt (the queue's `MAX_ATTEMPTS`th receive) marks the report
  `failed` with the reason and tells the person who asked (`give_up`); a supervisor may `retry` it, which
  queues it again. Earlier failures are left to the queue's redelivery.
- **Scheduled**: daily, weekly and monthly EventBridge rules run `scheduled` with their cadence; each
  configured schedule (config `reports.schedules`) gets its report of the 24 hours, week (Monday to Monday)
  or calendar month before, emailed to its recipients with the HTML report attached. A rule delivered twice
  finds its report already made and sends nothing again.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from shared import clock
from shared.errors import Conflict, NotFound
from shared.ids import stable_id
from shared.models.config import ReportSchedule
from shared.models.notification import NotificationKind
from shared.observability import logger, metrics
from shared.usecases import reports
from shared.usecases.deps import Deps
from shared.usecases.notifications import notify

Cadence = Literal["daily", "weekly", "monthly"]
SCHEDULER = "schedule"
# The report-requests queue's max_receive_count (infra/wiring.py; a test keeps the two equal): the receive
# that fails this many times is the last one, after which SQS would move the job to the DLQ.
MAX_ATTEMPTS = 3
REASON_CHARS = 300


class ReportJob(BaseModel):
    """The report-requests queue's message: one report to make."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    report_id: str
    start: datetime
    end: datetime
    filters: dict[str, str]
    requested_by: str
    requested_at: datetime


def request_id(requested_by: str, request_key: str) -> str:
    """The report's id for a person's request key: the same request always names the same report."""
    return "rq" + hashlib.sha256(f"{requested_by.lower()}#{request_key}".encode()).hexdigest()[:30]


def request(
    deps: Deps,
    requested_by: str,
    *,
    request_key: str | None = None,
    period: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    filters: dict[str, str | None] | None = None,
) -> dict[str, Any]:
    """Queue a report of the period; the queued (or, for a repeated request, the existing) report."""
    now = clock.now()
    start, end = reports.period_bounds(period, start, end, now)
    chosen = reports.check_filters(filters)
    report_id = request_id(requested_by, request_key) if request_key else stable_id("rq", now, requested_by)
    report = {
        "id": report_id,
        "status": "queued",
        "requested_at": clock.iso(now),
        "generated_at": clock.iso(now),
        "requested_by": requested_by,
        "period_start": clock.iso(start),
        "period_end": clock.iso(end),
        "case_count": 0,
        "filters": chosen,
        "keys": {},
    }
    try:
        deps.cases.put_report(report, new=True)
    except Conflict:
        report = deps.cases.get_report(report_id)
        if report.get("status") != "queued":
            return report  # already made: nothing to queue
    job = ReportJob(
        report_id=report_id,
        start=start,
        end=end,
        filters=chosen,
        requested_by=requested_by,
        requested_at=now,
    )
    # Queued again when a repeated request finds it still queued (the first send may have failed); the
    # reports function makes each report once.
    deps.report_requests.put(job.model_dump_json())
    metrics.add_metric(name="ReportRequested", unit="Count", value=1)
    return report


def fulfil(deps: Deps, job: ReportJob) -> dict[str, Any]:
    """Make a queued report and tell the person who asked; a report already made is left as it is."""
    report = deps.cases.get_report(job.report_id)
    if report.get("status", "ready") == "ready":
        return report
    report, _ = reports.make(
        deps,
        job.report_id,
        job.start,
        job.end,
        job.filters,
        requested_by=job.requested_by,
        requested_at=job.requested_at,
    )
    span = f"{job.start:%d %b %Y %H:%M} to {job.end:%d %b %Y %H:%M} UTC"
    notify(
        deps,
        job.requested_by,
        NotificationKind.REPORT_READY,
        f"Your report for {span} is ready: {report['case_count']} cases. Download it from Reports.",
        actor="system",
    )
    return report


def give_up(deps: Deps, job: ReportJob, error: Exception, attempts: int) -> dict[str, Any]:
    """The job failed on its last attempt: the report becomes `failed` with the reason (a report made in
    the meantime stays as it is), and the person who asked is told."""
    report = deps.cases.get_report(job.report_id)
    if report.get("status", "ready") != "queued":
        return report
    reason = f"{type(error).__name__}: {error}"[:REASON_CHARS]
    failed = {**report, "status": "failed", "failure_reason": reason, "attempts": attempts}
    failed["failed_at"] = clock.iso(clock.now())
    deps.cases.put_report(failed)
    notify(
        deps,
        job.requested_by,
        NotificationKind.REPORT_FAILED,
        f"Your report for {job.start:%d %b %Y %H:%M} to {job.end:%d %b %Y %H:%M} UTC could not be made "
        f"after {attempts} attempts. Retry it from Reports.",
        actor="system",
    )
    metrics.add_metric(name="ReportFailed", unit="Count", value=1)
    logger.error("report request failed", extra={"report_id": job.report_id, "attempts": attempts})
    return failed


def retry(deps: Deps, report_id: str, by: str) -> dict[str, Any]:
    """Queue a failed report again (Conflict unless it failed), keeping its period, filters and asker."""
    report = deps.cases.get_report(report_id)
    if report.get("status") != "failed":
        raise Conflict(
            f"report {report_id} is {report.get('status', 'ready')}: only a failed report is retried"
        )
    queued = {k: v for k, v in report.items() if k not in ("failure_reason", "failed_at", "attempts")}
    queued.update(status="queued", retried_by=by, retried_at=clock.iso(clock.now()))
    deps.cases.put_report(queued)
    job = ReportJob(
        report_id=report_id,
        start=datetime.fromisoformat(report["period_start"]),
        end=datetime.fromisoformat(report["period_end"]),
        filters=dict(report.get("filters") or {}),
        requested_by=str(report["requested_by"]),
        requested_at=datetime.fromisoformat(report.get("requested_at") or report["generated_at"]),
    )
    deps.report_requests.put(job.model_dump_json())
    metrics.add_metric(name="ReportRetried", unit="Count", value=1)
    return queued


# ---- scheduled --------------------------------------------------------------------------------------


def scheduled_period(cadence: Cadence, now: datetime) -> tuple[datetime, datetime]:
    """The 24 hours up to the run (to the minute), the week (Monday to Monday) or the calendar month before
    `now` (UTC)."""
    if cadence == "daily":
        end = now.astimezone(UTC).replace(second=0, microsecond=0)
        return end - timedelta(days=1), end
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if cadence == "weekly":
        monday = today - timedelta(days=today.weekday())
        return monday - timedelta(days=7), monday
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1), first


def scheduled(deps: Deps, cadence: Cadence) -> list[dict[str, Any]]:
    """The cadence's reports, one per configured schedule, each emailed to its recipients. Without any
    configured, the daily run still makes the day's report for the Reports list (as before)."""
    start, end = scheduled_period(cadence, clock.now())
    wanted = [s for s in deps.config.get().reports.schedules if s.cadence == cadence]
    if not wanted and cadence == "daily":
        return [_scheduled_one(deps, cadence, start, end, None, 0)]
    return [_scheduled_one(deps, cadence, start, end, s, n) for n, s in enumerate(wanted)]


def _scheduled_one(
    deps: Deps,
    cadence: Cadence,
    start: datetime,
    end: datetime,
    schedule: ReportSchedule | None,
    index: int,
) -> dict[str, Any]:
    report_id = stable_id("rp", start, f"{cadence}#{index}#{schedule}")
    try:
        return deps.cases.get_report(report_id)  # a redelivered rule: made (and sent) already
    except NotFound:
        pass
    filters = reports.check_filters(schedule.filters() if schedule else None)
    report, html = reports.make(deps, report_id, start, end, filters, requested_by=SCHEDULER)
    for recipient in schedule.recipients if schedule else ():
        _email(deps, recipient, cadence, report, html)
    return report


def _email(deps: Deps, recipient: str, cadence: Cadence, report: dict[str, Any], html: bytes) -> None:
    start, end = report["period_start"][:10], report["period_end"][:10]
    scope = ", ".join(f"{k} {v}" for k, v in report["filters"].items()) or "all teams"
    compliance = report["sla_compliance_pct"]
    text = (
        f"Heard's {cadence} supervisor report for {start} to {end} ({scope}): {report['case_count']} cases, "
        f"SLA met {'n/a' if compliance is None else f'{compliance}%'}.\n\n"
        "The full report (charts, complaint patterns with suggestions, breakdowns) is attached as a web "
        f"page; the CSV and XLSX are in Heard under Reports (report {report['id']})."
    )
    deps.notifier.email(
        recipient,
        f"Heard {cadence} report {start} to {end}",
        text,
        attachment=(f"heard-report-{start}.html", html, "text/html; charset=utf-8"),
    )
    metrics.add_metric(name="ReportEmailed", unit="Count", value=1)
    logger.info("scheduled report emailed", extra={"report_id": report["id"], "cadence": cadence})
