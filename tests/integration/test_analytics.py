"""The analytics store and supervisor reports through the real handlers under moto: the cases table's stream
feeds the analytics function (Parquet per day in S3), the reports function (only its own environment and
role) computes with DuckDB and writes CSV, XLSX and HTML, and the dashboard's API answers supervisors."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta
from urllib.parse import quote

import boto3
import duckdb

from infra.local.events import sqs_event
from tests.integration.conftest import TUESDAY_MORNING
from tests.integration.test_case_lifecycle import api, comment, deliver

WEEK = "period=week"


def _objects(bucket: str, prefix: str) -> dict[str, bytes]:
    s3 = boto3.client("s3")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])]
    return {k: s3.get_object(Bucket=bucket, Key=k)["Body"].read() for k in keys}


def _two_cases_one_answered(aws, context, clock_at) -> str:
    deliver(
        [comment(), comment("c-9", author_id="cust-9", text="Where is my refund? Still nothing")],
        aws,
        context,
    )
    status, claimed = api("POST", "/api/queues/care/next", context=context)
    assert status == 200
    case_id = claimed["case"]["case_id"]
    clock_at["now"] += timedelta(minutes=10)
    assert api(
        "POST", f"/api/cases/{case_id}/replies", body={"text": "So sorry, checking now."}, context=context
    )[0] in (
        200,
        201,
        202,
    )
    return case_id


def test_the_stream_writes_case_changes_and_interactions_as_parquet_per_day(
    aws, lambda_context, at_tuesday_morning, analytics_stream, tmp_path
):
    case_id = _two_cases_one_answered(aws, lambda_context, at_tuesday_morning)
    # When the cases table's stream reaches the analytics function
    assert analytics_stream() > 0
    # Then Parquet files sit under analytics/<dataset>/dt=<day>/ (the Glue table's layout)
    objects = _objects(aws.resolve["analytics"], "analytics/")
    day = TUESDAY_MORNING.date().isoformat()
    assert any(k.startswith(f"analytics/cases/dt={day}/") for k in objects)
    assert any(k.startswith(f"analytics/interactions/dt={day}/") for k in objects)
    # And DuckDB reads them: each case's newest snapshot knows its first answer; no customer's words
    rows = {k: _rows(b, tmp_path / f"{n}.parquet") for n, (k, b) in enumerate(objects.items())}
    assert "still hasn" not in str(rows).lower() and "jo customer" not in str(rows).lower()
    snapshots = [r for k, found in rows.items() if "/cases/" in k for r in found]
    answered = [r for r in snapshots if r["case_id"] == case_id and r["first_response_at"]]
    assert answered
    # And a second drain finds nothing new (the stream position is kept)
    assert analytics_stream() == 0


def _rows(body: bytes, path) -> list[dict]:
    path.write_bytes(body)
    cursor = duckdb.connect().execute("SELECT * FROM read_parquet(?)", [str(path)])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_the_daily_report_function_writes_csv_xlsx_and_html_from_the_store(
    aws, lambda_context, at_tuesday_morning, analytics_stream
):
    from functions.reports.handler import handler as daily

    _two_cases_one_answered(aws, lambda_context, at_tuesday_morning)
    analytics_stream()
    # When the daily schedule runs (the reports function: its own environment and role only)
    at_tuesday_morning["now"] += timedelta(minutes=20)  # 31 minutes in: the unanswered case is not due yet
    answer = daily({"id": "evt-1", "detail-type": "Scheduled Event"}, lambda_context)
    assert answer["cases"] == 2
    files = _objects(aws.resolve["reports"], "reports/")
    by_suffix = {k.rsplit(".", 1)[1]: v for k, v in files.items()}
    assert set(by_suffix) == {"json", "csv", "xlsx", "html"}
    # Then the CSV has one row per case, and the unanswered queued case is not marked as meeting the SLA
    rows = list(csv.DictReader(io.StringIO(by_suffix["csv"].decode())))
    assert len(rows) == 2
    states = {r["status"]: (r["sla_state"], r["sla_met"]) for r in rows}
    assert states["queued"] == ("pending", "") and states["assigned"] == ("met", "true")
    # And the XLSX opens as a workbook with the cases sheet
    with zipfile.ZipFile(io.BytesIO(by_suffix["xlsx"])) as book:
        assert 'name="Cases"' in book.read("xl/workbook.xml").decode()
    # And the HTML is one self-contained page with its charts
    page = by_suffix["html"].decode()
    assert page.startswith("<!doctype html>") and page.count("<svg") >= 2 and "<script" not in page


def test_supervisors_see_the_dashboard_drill_into_breaches_and_the_cases_at_risk(
    aws, lambda_context, at_tuesday_morning, analytics_stream
):
    from functions.sla.handler import handler as sla

    _two_cases_one_answered(aws, lambda_context, at_tuesday_morning)
    analytics_stream()
    # Before the hour is up, the unanswered case is at risk now
    at_tuesday_morning["now"] += timedelta(minutes=40)
    status, risk = api(
        "GET", "/api/analytics/at-risk", role="supervisor", query="within_minutes=30", context=lambda_context
    )
    assert status == 200 and len(risk["items"]) == 1 and 0 < risk["items"][0]["minutes_left"] <= 30
    # After it, the SLA monitor marks it and the dashboard counts one breach
    at_tuesday_morning["now"] += timedelta(minutes=40)
    sla({}, lambda_context)
    analytics_stream()
    status, overview = api(
        "GET", "/api/analytics/overview", role="supervisor", query=WEEK, context=lambda_context
    )
    assert status == 200, overview
    assert overview["cases"] == 2 and overview["sla"]["breached"] == 1 and overview["sla"]["met"] == 1
    assert overview["sla"]["compliance_pct"] == 50.0 and len(overview["by_hour"]) == 24
    # Drill-down: the breach is the case behind the number
    status, drill = api(
        "GET",
        "/api/analytics/cases",
        role="supervisor",
        query=f"{WEEK}&metric=sla_breached",
        context=lambda_context,
    )
    assert status == 200 and [r["sla_state"] for r in drill["items"]] == ["breached"]
    # Filters narrow it; a custom period needs a sane range
    status, team = api(
        "GET",
        "/api/analytics/overview",
        role="supervisor",
        query=f"{WEEK}&team=nosuchteam",
        context=lambda_context,
    )
    assert status == 200 and team["cases"] == 0 and team["sla"]["compliance_pct"] is None
    start = quote((TUESDAY_MORNING - timedelta(days=200)).isoformat())
    status, problem = api(
        "GET",
        "/api/analytics/overview",
        role="supervisor",
        query=f"period=custom&start={start}",
        context=lambda_context,
    )
    assert status == 422 and "93 days" in str(problem)
    # Agents may not; unknown metrics are refused naming the parameter
    assert api("GET", "/api/analytics/overview", role="agent", query=WEEK, context=lambda_context)[0] == 403
    status, problem = api(
        "GET", "/api/analytics/cases", role="supervisor", query="metric=everything", context=lambda_context
    )
    assert status == 422 and "metric" in str(problem)


def run_report_requests(aws, context) -> int:
    """The reports function on the report-requests queue, as Lambda's SQS mapping would run it."""
    from functions.reports.handler import handler as reports_function

    sqs, handled = boto3.client("sqs"), 0
    url = aws.resolve["report-requests"]
    while got := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        answer = reports_function(
            sqs_event(got, "arn:aws:sqs:eu-west-1:123456789012:report-requests"), context
        )
        assert answer == {"batchItemFailures": []}
        for message in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        handled += len(got)
    return handled


def test_a_report_on_demand_is_queued_made_by_the_reports_function_and_announced(
    aws, lambda_context, at_tuesday_morning, analytics_stream
):
    _two_cases_one_answered(aws, lambda_context, at_tuesday_morning)
    analytics_stream()
    # When a supervisor asks for the week's report of one team (twice: a double click)
    body = {"period": "week", "filters": {"team": "care"}, "request_key": "click-0001"}
    status, answer = api("POST", "/api/reports", role="supervisor", body=body, context=lambda_context)
    assert status == 202 and answer["report"]["status"] == "queued" and answer["report"]["formats"] == []
    report_id = answer["report"]["id"]
    again = api("POST", "/api/reports", role="supervisor", body=body, context=lambda_context)
    assert again[0] == 202 and again[1]["report"]["id"] == report_id
    # Then it cannot be downloaded yet
    status, problem = api(
        "GET",
        f"/api/reports/{report_id}/download",
        role="supervisor",
        query="format=xlsx",
        context=lambda_context,
    )
    assert status == 409 and "still being generated" in str(problem)
    # When the reports function takes the queue (only its own environment and role), it is made once
    assert run_report_requests(aws, lambda_context) >= 1
    status, polled = api("GET", f"/api/reports/{report_id}", role="supervisor", context=lambda_context)
    assert status == 200 and polled["report"]["status"] == "ready"
    assert polled["report"]["case_count"] == 2 and polled["report"]["filters"] == {"team": "care"}
    assert {"xlsx", "html", "csv", "json"} <= set(polled["report"]["formats"])
    # And the supervisor has a "report ready" notice
    status, inbox = api("GET", "/api/me/notifications", role="supervisor", context=lambda_context)
    ready = [n for n in inbox["items"] if n["kind"] == "report_ready"]
    assert status == 200 and len(ready) == 1 and "2 cases" in ready[0]["text"]
    # And the files download through short-lived links
    for fmt in ("xlsx", "html"):
        status, link = api(
            "GET",
            f"/api/reports/{report_id}/download",
            role="supervisor",
            query=f"format={fmt}",
            context=lambda_context,
        )
        assert status == 200 and f"heard-report-{report_id}.{fmt}" in link["url"]
    # A repeated request after it is made answers the made report and queues nothing
    status, made = api("POST", "/api/reports", role="supervisor", body=body, context=lambda_context)
    assert (
        status == 202
        and made["report"]["status"] == "ready"
        and run_report_requests(aws, lambda_context) == 0
    )


def test_report_requests_are_validated_and_for_supervisors_only(aws, lambda_context, at_tuesday_morning):
    def ask(body, role="supervisor"):
        return api("POST", "/api/reports", role=role, body=body, context=lambda_context)

    assert ask({"filters": {"customer": "x"}})[0] == 422
    status, problem = ask({"period": "fortnight"})
    assert status == 422 and "period" in str(problem)
    start = (TUESDAY_MORNING - timedelta(days=200)).isoformat()
    status, problem = ask({"period": "custom", "start": start})
    assert status == 422 and "93 days" in str(problem)
    status, problem = ask({"period": "week", "request_key": "x"})
    assert status == 422 and "request_key" in str(problem)
    assert ask({"period": "week"}, role="agent")[0] == 403
    assert api("GET", "/api/reports/rqnosuchreport", role="supervisor", context=lambda_context)[0] == 404
    assert run_report_requests(aws, lambda_context) == 0  # nothing was queued


def _sent_emails() -> list:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].sent_messages)


def test_the_weekly_schedule_emails_its_report_with_the_html_attached_once(
    aws, lambda_context, at_tuesday_morning, analytics_stream
):
    from functions.reports.handler import handler as reports_function
    from shared.usecases.deps import default_deps

    _two_cases_one_answered(aws, lambda_context, at_tuesday_morning)
    analytics_stream()
    # Given a weekly report for the care team is configured for two people
    config = default_deps().config.get()
    weekly = {"cadence": "weekly", "recipients": ["boss@example.com", "ops@example.com"], "team": "care"}
    data = config.model_dump(mode="json") | {"reports": {"schedules": [weekly]}}
    status, _ = api("PUT", "/api/config", role="admin", body=data, context=lambda_context)
    assert status == 200, _
    # When next Monday's weekly rule fires (its input names the cadence)
    at_tuesday_morning["now"] += timedelta(days=6)
    before = len(_sent_emails())
    answer = reports_function({"schedule": "reports-weekly", "input": "weekly"}, lambda_context)
    assert answer["cases"] == 2 and len(answer["reports"]) == 1
    # Then each recipient got the report, the HTML page attached
    sent = _sent_emails()[before:]
    assert sorted(m.destinations[0] for m in sent) == ["boss@example.com", "ops@example.com"]
    raw = sent[0].raw_data
    assert "weekly" in raw and "text/html" in raw and 'filename="heard-report-' in raw
    # And the rule delivered twice sends nothing again
    reports_function({"schedule": "reports-weekly", "input": "weekly"}, lambda_context)
    assert len(_sent_emails()) == len(sent) + before
    # And a configuration naming an unknown team is refused
    bad = data | {"reports": {"schedules": [weekly | {"team": "nosuchteam"}]}}
    status, problem = api("PUT", "/api/config", role="admin", body=bad, context=lambda_context)
    assert status in (400, 422) and "nosuchteam" in str(problem)


def test_the_compaction_function_merges_each_day_into_one_file_and_reports_are_unchanged(
    aws, lambda_context, at_tuesday_morning, analytics_stream
):
    from functions.compaction.handler import handler as compaction

    _two_cases_one_answered(aws, lambda_context, at_tuesday_morning)
    analytics_stream()
    at_tuesday_morning["now"] += timedelta(minutes=20)
    before = api("GET", f"/api/analytics/overview?{WEEK}", context=lambda_context)[1]
    # When the hourly compaction runs (its own role: read, write and delete in the analytics bucket)
    merged = compaction({"id": "evt-c", "detail-type": "Scheduled Event"}, lambda_context)
    assert merged["cases"] >= 1 and merged["interactions"] >= 1  # stream batches merged
    # Then each dataset's day is one compacted file, and the numbers are the same
    day = TUESDAY_MORNING.date().isoformat()
    keys = sorted(_objects(aws.resolve["analytics"], "analytics/"))
    assert keys == [
        f"analytics/cases/dt={day}/compacted.parquet",
        f"analytics/interactions/dt={day}/compacted.parquet",
    ]
    assert api("GET", f"/api/analytics/overview?{WEEK}", context=lambda_context)[1] == before
    # And running it again changes nothing
    assert compaction({"id": "evt-d", "detail-type": "Scheduled Event"}, lambda_context) == {
        "cases": 0,
        "interactions": 0,
    }
