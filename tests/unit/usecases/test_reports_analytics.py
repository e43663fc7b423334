"""Reports over the analytics store (DuckDB over Parquet), on fakes: the numbers, SLA states, patterns with
trend and suggestion, filters, drill-down and the CSV/XLSX/HTML files opened and checked."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import timedelta

import pytest

from shared.analytics.formats import safe_cell
from shared.errors import InvalidInput
from shared.models.case import Case, CaseStatus, ResolutionReason
from shared.models.triage import Category
from shared.usecases import analytics, reports
from tests.unit.domain.test_casework_rules import NOW, case

START, END = NOW - timedelta(days=1), NOW + timedelta(days=1)


def answered(case_id: str, minutes: int, **fields: object) -> Case:
    return case(
        case_id=case_id,
        first_response_due=NOW + timedelta(minutes=60),
        first_response_at=NOW + timedelta(minutes=minutes),
        **fields,
    )


@pytest.fixture
def world_with_cases(world):
    cases = [answered(f"c{i}", 5 * (i + 1)) for i in range(9)] + [
        # answered after its due time: a breach even if the monitor never flagged it
        answered("late", 90, topic="billing", operation="finance"),
        # flagged by the SLA monitor, never answered, still queued
        case(
            case_id="flagged",
            status=CaseStatus.QUEUED,
            owner=None,
            first_response_at=None,
            resolved_at=None,
            assigned_at=None,
            sla_breached=True,
            first_response_due=NOW + timedelta(minutes=60),
        ),
        # queued and unanswered, not due yet: pending, neither met nor breached (the old CSV said met)
        case(
            case_id="waiting",
            status=CaseStatus.QUEUED,
            owner=None,
            first_response_at=None,
            resolved_at=None,
            assigned_at=None,
            opened_at=NOW + timedelta(hours=9, minutes=50),
            first_response_due=NOW + timedelta(hours=11),
        ),
        # resolved as spam without a reply: not measured
        case(
            case_id="spam",
            category=Category.SPAM,
            first_response_at=None,
            resolution=ResolutionReason.SPAM,
            first_responder=None,
        ),
    ]
    world.analytics.record_cases(world.deps, cases)
    # An older snapshot of c0 arriving later (a redelivered stream batch) does not replace the newer one.
    stale = answered("c0", 5, version=-1, status=CaseStatus.QUEUED, resolved_at=None)
    world.analytics.record_cases(world.deps, [stale], batch="b0")
    return world


def test_sla_compliance_counts_only_settled_first_answers(world_with_cases, now):
    now["now"] = NOW + timedelta(hours=10)
    summary = reports.overview(world_with_cases.deps, start=START, end=END)
    assert summary["cases"] == 13
    assert summary["sla"] == {
        "measured": 11,
        "met": 9,
        "breached": 2,
        "pending": 1,
        "not_applicable": 1,
        "compliance_pct": 81.8,
    }
    frt = summary["first_response_minutes"]
    assert frt["count"] == 10 and frt["p50"] == 27.5 and frt["p90"] == 49.5
    assert summary["resolution_minutes"]["p50"] == 180.0
    assert summary["sentiment_conversion"]["rate_pct"] is not None


def test_an_unanswered_case_past_its_due_time_is_a_breach_even_before_the_monitor_runs(world_with_cases, now):
    now["now"] = NOW + timedelta(hours=12)  # "waiting" is now overdue
    summary = reports.overview(world_with_cases.deps, start=START, end=END)
    assert summary["sla"]["breached"] == 3 and summary["sla"]["pending"] == 0
    breaches = reports.drill(world_with_cases.deps, "sla_breached", start=START, end=END)
    assert {r["case_id"] for r in breaches} == {"late", "flagged", "waiting"}
    assert all(r["opened_at"].endswith("Z") for r in breaches)


def test_breakdowns_filters_and_hourly_volumes(world_with_cases, now):
    summary = reports.overview(world_with_cases.deps, start=START, end=END)
    by_topic = {r["key"]: r for r in summary["breakdowns"]["topic"]}
    assert by_topic["billing"]["cases"] == 1 and by_topic["billing"]["sla_compliance_pct"] == 0.0
    agents = {r["key"]: r for r in summary["breakdowns"]["agent"]}
    assert agents["agent@heard.local"]["first_response_p90"] is not None
    assert sum(h["cases_opened"] for h in summary["by_hour"]) == 13 and len(summary["by_hour"]) == 24
    only = reports.overview(world_with_cases.deps, start=START, end=END, filters={"topic": "billing"})
    assert only["cases"] == 1 and only["filters"] == {"topic": "billing"}
    with pytest.raises(InvalidInput, match="unknown filter"):
        reports.overview(world_with_cases.deps, start=START, end=END, filters={"customer": "x"})


def test_complaint_patterns_carry_their_trend_and_a_concrete_suggestion(world, now):
    now["now"] = NOW + timedelta(days=1)
    this_period = [answered(f"n{i}", 90, sla_breached=True) for i in range(6)]
    before = [answered(f"p{i}", 10, opened_at=NOW - timedelta(hours=22)) for i in range(3)]
    world.analytics.record_cases(world.deps, this_period + before)
    summary = reports.overview(
        world.deps, start=NOW - timedelta(hours=1), end=NOW + timedelta(days=1) - timedelta(hours=1)
    )
    (pattern,) = summary["complaint_patterns"]
    assert (pattern["operation"], pattern["complaints"], pattern["previous_complaints"]) == (
        "logistics",
        6,
        3,
    )
    assert pattern["trend_pct"] == 100.0
    assert "up 100.0%" in pattern["suggestion"] and "logistics operation" in pattern["suggestion"]
    assert "add care staff around 10:00 UTC" in pattern["suggestion"]


def test_a_report_writes_safe_csv_a_real_workbook_and_a_self_contained_page(world, now):
    hostile = case(case_id="h1", topic='=HYPERLINK("http://x")', owner="+agent@heard.local")
    world.analytics.record_cases(world.deps, [hostile, answered("c2", 5)])
    report = reports.generate(world.deps, start=START, end=END, requested_by="sup@heard.local")
    files = {fmt: world.report_files.files[key][0] for fmt, key in report["keys"].items()}
    assert set(files) == {"json", "csv", "xlsx", "html"}
    # CSV: one row per case, formula-like text quoted, unanswered-and-pending is not "met"
    rows = list(csv.DictReader(io.StringIO(files["csv"].decode())))
    assert len(rows) == 2
    h1 = next(r for r in rows if r["case_id"] == "h1")
    assert h1["topic"].startswith("'=") and h1["owner"] == "'+agent@heard.local"
    # XLSX: a zip of sheets; the hostile topic is a string cell, never a formula
    with zipfile.ZipFile(io.BytesIO(files["xlsx"])) as book:
        names = book.namelist()
        sheets = "".join(book.read(n).decode() for n in names if n.startswith("xl/worksheets/"))
        workbook = book.read("xl/workbook.xml").decode()
    # (constant-memory workbooks keep text inline in the sheets, as <is><t>...</t></is>)
    assert "<f>" not in sheets and "'=HYPERLINK" in sheets
    assert re.search(r'name="Cases"', workbook) and re.search(r'name="Complaint patterns"', workbook)
    # HTML: self-contained, charts inline, text escaped
    page = files["html"].decode()
    assert "<svg" in page and "<script" not in page and "http" not in page.replace("http://x", "")
    assert "=HYPERLINK(&quot;http://x&quot;)" in page
    summary = json.loads(files["json"])
    assert summary["cases"] == 2 and report["case_count"] == 2


def test_a_large_period_s_workbook_holds_the_newest_cases_and_says_the_csv_has_them_all(
    world, now, monkeypatch
):
    # Given three cases opened an hour apart and a workbook that holds two cases
    from shared.analytics import formats

    monkeypatch.setattr(formats, "XLSX_MAX_CASES", 2)
    opened = {f"o{i}": NOW + timedelta(hours=i) for i in range(3)}
    world.analytics.record_cases(world.deps, [case(case_id=k, opened_at=v) for k, v in opened.items()])
    # When the report is made
    report = reports.generate(world.deps, start=START, end=END, requested_by="sup@heard.local")
    files = {fmt: world.report_files.files[key][0] for fmt, key in report["keys"].items()}
    # Then the CSV has every case, and the cases sheet the two newest, newest first, and a note
    assert len(list(csv.DictReader(io.StringIO(files["csv"].decode())))) == 3
    with zipfile.ZipFile(io.BytesIO(files["xlsx"])) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
        cases_sheet = book.read(sorted(sheets, key=lambda n: int(re.sub(r"\D", "", n)))[-1]).decode()
    ids = re.findall(r"<t>(o\d)</t>", cases_sheet)
    assert ids == ["o2", "o1"] and "The 2 most recently opened cases; the CSV has every case." in cases_sheet


def test_periods_resolve_and_bad_ones_are_refused(world, now):
    start, end = reports.period_bounds("week", None, None, NOW)
    assert end - start == timedelta(days=7) and end == NOW
    with pytest.raises(InvalidInput, match="period must be one of"):
        reports.period_bounds("year", None, None, NOW)
    with pytest.raises(InvalidInput, match="at most 93 days"):
        reports.period_bounds("custom", NOW - timedelta(days=100), NOW, NOW)
    with pytest.raises(InvalidInput, match="start before"):
        reports.generate(world.deps, start=NOW, end=NOW - timedelta(days=1))


def test_stream_images_become_records_without_personal_data(world):
    image = {**json.loads(case(case_id="x1").model_dump_json()), "type": "case"}
    entry = {
        "type": "entry",
        "case_id": "x1",
        "entry_id": "e1",
        "kind": "reply",
        "at": "2026-11-17T10:12:00.000Z",
        "actor": "agent@heard.local",
        "text": "secret words",
    }
    pointer = {"type": "customer", "case_id": "x1"}
    written = analytics.record(world.deps, [image, entry, pointer], "s1-s3")
    assert written == {"cases": 1, "interactions": 1}
    blobs = b"".join(world.analytics.objects.values())
    assert b"secret words" not in blobs
    assert {(d, day) for d, day, _ in world.analytics.objects} == {
        ("cases", "2026-11-17"),
        ("interactions", "2026-11-17"),
    }


def test_safe_cell_quotes_every_formula_start():
    assert [safe_cell(v) for v in ("=1", "+1", "-1", "@a", "\tx", "ok", 5, None)] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "ok",
        5,
        "",
    ]


def test_the_old_report_generation_still_lists_and_links(world, now):
    world.analytics.record_cases(world.deps, [case(case_id="c1", opened_at=NOW - timedelta(hours=1))])
    report = reports.generate(world.deps, requested_by="sup@heard.local")
    assert report["case_count"] == 1 and world.cases.list_reports()[0]["id"] == report["id"]
    assert "filename=heard-report-" in reports.download_url(world.deps, report["id"], "xlsx")


def test_hours_count_in_the_teams_time_zone_and_reports_break_down_by_brand(world, now):
    # Given two cases of the Spanish team (Europe/Madrid), one through a second brand's account
    world.analytics.record_cases(
        world.deps, [case(case_id="b1", brand="acme", team="care-es"), case(case_id="b2", team="care-es")]
    )
    zone = world.deps.config.get().team("care-es").calendar.timezone
    # When the period's report is computed
    summary = reports.overview(world.deps, start=START, end=END)
    # Then the hours are the team's own (its calendar's time zone), not UTC
    from zoneinfo import ZoneInfo

    local_hour = NOW.astimezone(ZoneInfo(zone)).hour
    assert zone == "Europe/Madrid" and local_hour == NOW.hour + 1 and summary["by_hour_zone"] == zone
    assert {h["hour"]: h["cases_opened"] for h in summary["by_hour"]}[local_hour] == 2
    # And the brand is a breakdown and a filter ("default" for the company's own accounts)
    brands = {r["key"]: r["cases"] for r in summary["breakdowns"]["brand"]}
    assert brands == {"acme": 1, "default": 1}
    only = reports.overview(world.deps, start=START, end=END, filters={"brand": "acme"})
    assert only["cases"] == 1
