"""A report's files: CSV (one row per case), XLSX (summary, breakdowns, patterns, cases) and a
self-contained HTML page with inline SVG charts.

Spreadsheet safety: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would
run as a formula in Excel, LibreOffice or Sheets (CSV injection); such cells get a leading apostrophe in
the CSV, and the XLSX writes every text as a string cell (never a formula).
"""

from __future__ import annotations

import html
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import xlsxwriter

from shared.analytics.records import FORMULA_STARTS

BATCH = 10_000
_NUMERIC = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "DOUBLE", "FLOAT", "DECIMAL"})
# The workbook's cases sheet holds the most recently opened cases up to this many; the CSV has every case.
# XlsxWriter writes cell by cell in Python (about 0.12 ms of CPU per 24-column row, bench/bench_reports.py):
# 50,000 rows cost about 6 s, where the whole summary and CSV of 1,000,000 cases cost about 13 s.
XLSX_MAX_CASES = 50_000


def safe_cell(value: Any) -> Any:
    """A value for a spreadsheet cell: text that would start a formula is quoted; times in ISO form."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(relation: duckdb.DuckDBPyRelation) -> bytes:
    """The rows as CSV, written by DuckDB (streamed to a scratch file: a million rows take seconds)."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "cases.csv"
        relation.write_csv(str(target), header=True)
        return target.read_bytes()


# ---- XLSX ----------------------------------------------------------------------------------------------


def _write_row(sheet: Any, row_number: int, values: list[Any], fmt: Any = None) -> None:
    for column, value in enumerate(values):
        if isinstance(value, bool):
            sheet.write_boolean(row_number, column, value, fmt)
        elif isinstance(value, int | float):
            sheet.write_number(row_number, column, value, fmt)
        elif value is None:
            sheet.write_blank(row_number, column, None, fmt)
        else:  # a string cell, never a formula, whatever it starts with
            text = safe_cell(value)
            sheet.write_string(row_number, column, text if isinstance(text, str) else str(text), fmt)


def _table_sheet(book: Any, name: str, rows: list[dict[str, Any]], bold: Any) -> None:
    sheet = book.add_worksheet(name)
    if not rows:
        sheet.write_string(0, 0, "No data for this period")
        return
    headers = list(rows[0])
    _write_row(sheet, 0, headers, bold)
    for number, row in enumerate(rows, start=1):
        _write_row(sheet, number, [row[h] for h in headers])
    sheet.set_column(0, len(headers) - 1, 16)


def _summary_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    sla = summary["sla"]
    rows = [
        {"measure": "Period start", "value": summary["period"]["start"]},
        {"measure": "Period end", "value": summary["period"]["end"]},
        {"measure": "Cases", "value": summary["cases"]},
        {"measure": "SLA compliance %", "value": sla["compliance_pct"]},
        {"measure": "SLA met", "value": sla["met"]},
        {"measure": "SLA breached", "value": sla["breached"]},
        {"measure": "Awaiting a first answer, not yet due", "value": sla["pending"]},
    ]
    for name in ("first_response_minutes", "handling_minutes", "resolution_minutes"):
        for stat in ("p50", "p90", "mean"):
            rows.append({"measure": f"{name.replace('_', ' ')} {stat}", "value": summary[name][stat]})
    return rows


def to_xlsx(summary: dict[str, Any], relation: duckdb.DuckDBPyRelation) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "report.xlsx"
        _workbook(str(target), summary, relation)
        return target.read_bytes()


def _workbook(path: str, summary: dict[str, Any], relation: duckdb.DuckDBPyRelation) -> None:
    # constant_memory: rows go to disk as they are written, whatever the number of cases.
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "tmpdir": str(Path(path).parent),
    }
    book = xlsxwriter.Workbook(path, options)
    bold = book.add_format({"bold": True})
    _table_sheet(book, "Summary", _summary_rows(summary), bold)
    for dimension, rows in summary["breakdowns"].items():
        _table_sheet(book, f"By {dimension}", rows, bold)
    _table_sheet(book, "Complaint patterns", summary["complaint_patterns"], bold)
    _table_sheet(book, "By hour", summary["by_hour"], bold)
    cases = book.add_worksheet("Cases")
    _write_row(cases, 0, list(relation.columns), bold)
    number = _case_rows(cases, relation)
    if number > XLSX_MAX_CASES:
        cases.write_string(
            number, 0, f"The {XLSX_MAX_CASES:,} most recently opened cases; the CSV has every case."
        )
    book.close()


def _case_rows(sheet: Any, relation: duckdb.DuckDBPyRelation) -> int:
    """The cases, at most XLSX_MAX_CASES (the caller passes the newest, `Analytics.case_rows(newest=...)`):
    one typed writer per column, chosen once from the relation's types (its text is already formula-safe,
    its times ISO text); empty cells skipped."""
    writers = [
        sheet.write_boolean
        if str(kind) == "BOOLEAN"
        else sheet.write_number
        if str(kind).split("(")[0] in _NUMERIC
        else sheet.write_string
        for kind in relation.types
    ]
    number = 1
    for row in relation.limit(XLSX_MAX_CASES + 1).iter_rows(BATCH):  # one batch held at a time
        if number > XLSX_MAX_CASES:
            return number
        for column, value in enumerate(row):
            if value is not None:
                writers[column](number, column, value)
        number += 1
    return number


# ---- HTML ----------------------------------------------------------------------------------------------


def bar_chart(
    title: str, labels: list[str], values: list[float], *, width: int = 640, height: int = 180
) -> str:
    """An accessible inline SVG bar chart (a title, one labelled bar per value)."""
    top = max(values, default=0) or 1
    step = width / max(1, len(values))
    bars = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = round((height - 30) * value / top, 1)
        x = round(i * step + 2, 1)
        bars.append(
            f"<g><title>{html.escape(label)}: {value:g}</title>"
            f'<rect x="{x}" y="{height - 20 - h}" width="{max(1.0, step - 4):.1f}" height="{h}" fill="#2f6fb0"/>'
            f'<text x="{x + step / 2 - 2:.1f}" y="{height - 6}" font-size="10" text-anchor="middle">'
            f"{html.escape(label)}</text></g>"
        )
    return (
        f"<figure><figcaption>{html.escape(title)}</figcaption>"
        f'<svg role="img" aria-label="{html.escape(title)}" viewBox="0 0 {width} {height}" width="100%">'
        + "".join(bars)
        + "</svg></figure>"
    )


def _table(rows: list[dict[str, Any]], caption: str) -> str:
    if not rows:
        return f"<h2>{html.escape(caption)}</h2><p>No data for this period.</p>"
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(safe_cell(v)))}</td>" for v in row.values()) + "</tr>"
        for row in rows
    )
    return (
        f"<h2>{html.escape(caption)}</h2><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


_STYLE = """body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1f24}table{border-collapse:collapse;
margin:.5rem 0 1.5rem}td,th{border:1px solid #ccd;padding:.25rem .5rem;text-align:left}th{background:#eef}
figure{margin:1rem 0}figcaption{font-weight:600}.kpi{display:inline-block;margin:0 2rem 1rem 0}
.kpi b{display:block;font-size:1.6rem}"""


def to_html(summary: dict[str, Any]) -> bytes:
    period = summary["period"]
    sla = summary["sla"]
    kpis = [
        ("Cases", summary["cases"]),
        ("SLA compliance", "—" if sla["compliance_pct"] is None else f"{sla['compliance_pct']}%"),
        ("SLA breaches", sla["breached"]),
        (
            "First response p50 / p90 (min)",
            f"{summary['first_response_minutes']['p50']} / {summary['first_response_minutes']['p90']}",
        ),
        (
            "Resolution p50 / p90 (min)",
            f"{summary['resolution_minutes']['p50']} / {summary['resolution_minutes']['p90']}",
        ),
    ]
    hours = summary["by_hour"]
    days = summary["by_day"]
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Heard report {html.escape(period['start'])} – {html.escape(period['end'])}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Heard supervisor report</h1><p>{html.escape(period['start'])} – {html.escape(period['end'])} (UTC)</p>",
        "".join(f"<div class='kpi'>{html.escape(k)}<b>{html.escape(str(v))}</b></div>" for k, v in kpis),
        bar_chart(
            f"Messages in by hour of day ({html.escape(str(summary.get('by_hour_zone', 'UTC')))})",
            [str(h["hour"]) for h in hours],
            [h["messages_in"] for h in hours],
        ),
        bar_chart("Cases opened per day", [d["day"][5:] for d in days], [d["cases"] for d in days]),
        _table(summary["complaint_patterns"], "Complaint patterns and suggestions"),
    ]
    parts += [_table(rows, f"By {dimension}") for dimension, rows in summary["breakdowns"].items()]
    parts.append("</body></html>")
    return "".join(parts).encode("utf-8")
