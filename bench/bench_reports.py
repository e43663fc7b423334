"""A month's supervisor report: the analytics path (DuckDB over Parquet) against today's path before issue
13 (every case as a `Case` object, summary and CSV in Python), in the same run, on the same synthetic data.

The data: N cases (`--report-cases`, default 100,000) opened over 30 days and 3 interactions per case,
written as the analytics store holds them (Parquet, one folder per day). Each path runs in its own Python
process, so its peak memory (ru_maxrss) is its own:
- new: fetch the month's files (and the previous month's, for trends) from a folder, summary (distributions,
  breakdowns, by hour, patterns) + CSV; XLSX and HTML are timed apart.
- before: the same cases as dicts (what DynamoDB's reads give) -> `Case` objects -> summary + CSV.
DynamoDB and S3 reads are left out of both. The speed-up compares today's "build cases + summary + CSV"
with the new "open the files + summary + CSV"; XLSX (first 100,000 cases) and HTML are reported apart. Goals (issue 13): new path under 60 s and 1 GB at 1,000,000
cases; at least 20x faster than today's at 100,000. Today's path is measured up to 200,000 cases.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
END = datetime(2026, 11, 30, tzinfo=UTC)
DAYS = 30
OLD_PATH_LIMIT = 200_000

_CASES_SQL = """
COPY (
  SELECT 'c' || lpad(i::VARCHAR, 8, '0') AS case_id, 3::BIGINT AS version,
    opened_at + INTERVAL 3 HOUR AS updated_at, opened_at,
    CASE WHEN i % 10 = 0 THEN 'queued' WHEN i % 10 = 1 THEN 'assigned' ELSE 'resolved' END AS status,
    ['care', 'care-es', 'billing', 'tech'][1 + i % 4] AS team,
    CASE WHEN i % 10 = 0 THEN NULL ELSE 'agent' || (i % 50)::VARCHAR || '@heard.local' END AS owner,
    ['facebook', 'instagram', 'x', 'whatsapp', 'messenger', 'telegram'][1 + i % 6] AS platform,
    ['comment', 'direct', 'mention'][1 + i % 3] AS channel,
    ['complaint', 'complaint', 'question', 'praise', 'feedback'][1 + i % 5] AS category,
    'topic' || (hash(i) % 12)::VARCHAR AS topic, 'operation' || (hash(i) % 6)::VARCHAR AS operation,
    ['en', 'es', 'fr', 'de'][1 + i % 4] AS language, NULL::VARCHAR AS crisis, (1 + i % 4)::INTEGER AS priority,
    'negative' AS first_sentiment, ['negative', 'neutral', 'positive'][1 + i % 3] AS last_sentiment,
    opened_at + INTERVAL 60 MINUTE AS first_response_due,
    CASE WHEN i % 10 = 0 THEN NULL ELSE opened_at + to_minutes((hash(i * 7) % 120)::BIGINT) END
      AS first_response_at,
    NULL::TIMESTAMP AS reply_due,
    CASE WHEN i % 10 = 0 THEN NULL ELSE opened_at + INTERVAL 5 MINUTE END AS assigned_at,
    CASE WHEN i % 10 >= 2 THEN opened_at + to_minutes((60 + hash(i * 13) % 2000)::BIGINT) END AS resolved_at,
    CASE WHEN i % 10 >= 2 THEN 'solved' END AS resolution,
    (i % 10 <> 0 AND hash(i * 7) % 120 > 60) AS sla_breached,
    (1 + i % 5)::INTEGER AS message_count, (i % 4)::INTEGER AS reply_count,
    CASE WHEN i % 10 = 0 THEN NULL ELSE 'agent' || (i % 50)::VARCHAR || '@heard.local' END AS first_responder,
    CASE WHEN i % 3 = 0 THEN (1 + i % 5)::INTEGER END AS empathy,
    strftime(opened_at, '%Y-%m-%d') AS dt
  FROM (SELECT i, $start::TIMESTAMP + to_seconds((i * $spread)::BIGINT) AS opened_at FROM range($n) t(i))
) TO '{target}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (dt))
"""
_INTERACTIONS_SQL = """
COPY (
  SELECT c.case_id || '#e' || k::VARCHAR AS entry_id, c.case_id,
    ['message_in', 'reply', 'message_in'][k] AS kind,
    c.opened_at + to_minutes(((k - 1) * 40)::BIGINT) AS occurred_at,
    ['customer', 'agent', 'customer'][k] AS actor,
    strftime(c.opened_at, '%Y-%m-%d') AS dt
  FROM read_parquet('{cases}/*/*.parquet') c, range(1, 4) r(k)
) TO '{target}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (dt))
"""


def generate(folder: Path, n: int) -> dict[str, Any]:
    """N synthetic cases and 3N interactions as the analytics store lays them out."""
    import duckdb

    started = time.perf_counter()
    start = (END - timedelta(days=DAYS)).replace(tzinfo=None)
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        con.execute(
            _CASES_SQL.format(target=folder / "cases"),
            {"start": start, "spread": DAYS * 86400 / n, "n": n},
        )
        con.execute(_INTERACTIONS_SQL.format(cases=folder / "cases", target=folder / "interactions"))
    size = sum(p.stat().st_size for p in folder.rglob("*.parquet"))
    return {"seconds": round(time.perf_counter() - started, 1), "parquet_mb": round(size / 1e6, 1)}


class FolderStore:
    """The analytics store's `fetch` over a local folder (S3 reads are not what is measured)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def fetch(self, dataset: str, days: list[str], into: Path) -> list[Path]:
        return [p for day in days for p in sorted((self.folder / dataset / f"dt={day}").glob("*.parquet"))]


def new_path(folder: Path) -> dict[str, Any]:
    """In a child process: the report as Heard now computes it."""
    from shared.analytics import formats
    from shared.models.config import parse_config
    from shared.usecases import reports

    # The repository's configuration: its teams' time zones apply to the hourly volumes, as in Heard.
    heard = parse_config((Path(__file__).resolve().parent.parent / "config" / "heard.json").read_text())
    config = type("Config", (), {"get": staticmethod(lambda: heard)})()
    deps = type("Deps", (), {"analytics": FolderStore(folder), "config": config})()
    timings: dict[str, Any] = {}
    started = time.perf_counter()
    with reports.analysed(deps, END - timedelta(days=DAYS), END, {}, END) as analytics:  # type: ignore[arg-type]
        summary = reports.summarise(analytics, END - timedelta(days=DAYS), END)
        csv_bytes = formats.to_csv(analytics.case_rows())
        timings["summary_and_csv_seconds"] = round(time.perf_counter() - started, 2)
        formatted = time.perf_counter()
        xlsx = formats.to_xlsx(summary, analytics.case_rows())
        html = formats.to_html(summary)
        timings["xlsx_and_html_seconds"] = round(time.perf_counter() - formatted, 2)
    timings.update(
        cases=summary["cases"],
        csv_mb=round(len(csv_bytes) / 1e6, 1),
        xlsx_mb=round(len(xlsx) / 1e6, 1),
        html_kb=round(len(html) / 1e3, 1),
        sla_compliance_pct=summary["sla"]["compliance_pct"],
    )
    return timings


def old_path(folder: Path) -> dict[str, Any]:
    """In a child process: today's path before issue 13 on the same cases."""
    import duckdb

    from bench import reports_before
    from shared.models.case import Case

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    cursor = con.execute(f"SELECT * FROM read_parquet('{folder}/cases/*/*.parquet')")
    names = [d[0] for d in cursor.description]
    items = []
    for row in cursor.fetchall():
        item = dict(zip(names, row, strict=True))
        for key, value in item.items():
            if isinstance(value, datetime):
                item[key] = value.replace(tzinfo=UTC).isoformat()
        item.update(
            sentiment=item.pop("last_sentiment"),
            customer={"id": "u"},
            conversation_id="t",
            last_customer_at=item["opened_at"],
        )
        items.append(item)
    started = time.perf_counter()
    cases = [Case.model_validate(i) for i in items]  # what the repository does for every item read
    built = time.perf_counter()
    summary = reports_before.summarise(cases, END - timedelta(days=DAYS), END)
    text = reports_before.to_csv(cases)
    done = time.perf_counter()
    return {
        "cases": summary["cases"],
        "build_cases_seconds": round(built - started, 2),
        "summary_and_csv_seconds": round(done - built, 2),
        "csv_mb": round(len(text) / 1e6, 1),
    }


def _child(kind: str, folder: Path) -> dict[str, Any]:
    code = (
        "import json, resource, time, sys; from bench import bench_reports as b; from pathlib import Path; "
        f"t = time.perf_counter(); r = b.{kind}(Path({str(folder)!r})); "
        "r['total_seconds'] = round(time.perf_counter() - t, 2); "
        "r['peak_rss_mb'] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024); "
        "print('RESULT ' + json.dumps(r))"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "POWERTOOLS_METRICS_NAMESPACE": "bench",
    }
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    # (the last line: DuckDB's progress bar may share it, without a newline)
    return dict(json.loads(out.stdout.rsplit("RESULT ", 1)[1].strip()))


def run(args: Any) -> dict[str, Any]:
    n = int(getattr(args, "report_cases", None) or 100_000)
    with tempfile.TemporaryDirectory(prefix="heard-bench-reports-") as tmp:
        folder = Path(tmp)
        result: dict[str, Any] = {"cases": n, "interactions": 3 * n, "generate": generate(folder, n)}
        result["new"] = _child("new_path", folder)
        if n <= OLD_PATH_LIMIT:
            result["before"] = _child("old_path", folder)
            before = result["before"]["build_cases_seconds"] + result["before"]["summary_and_csv_seconds"]
            result["speedup"] = round(before / result["new"]["summary_and_csv_seconds"], 1)
        else:
            result["before"] = f"skipped above {OLD_PATH_LIMIT:,} cases (it holds every case in memory)"
    result["goals"] = {
        "new_under_60s_at_1M": n >= 1_000_000 and result["new"]["summary_and_csv_seconds"] < 60,
        "new_under_1GB_at_1M": n >= 1_000_000 and result["new"]["peak_rss_mb"] < 1024,
        "at_least_20x_at_100k": n == 100_000 and result.get("speedup", 0) >= 20,
    }
    return result
