"""A month's supervisor report: the analytics path (DuckDB over Parquet) against today's path before issue
13 (every case as a `Case` object, summary and CSV in Python), in the same run, on the same synthetic data.

    python -m bench reports                     # 100,000 cases (both paths) and 1,000,000 (new path)
    python -m bench reports --cases 1000000     # one size (today's path only up to 200,000 cases)

The data: N cases opened over 30 days (and N more in the 30 days before, for the complaint trends) and 3
interactions per case, written by DuckDB straight to Parquet as the stream lays them out: per day, one batch
file per step of a case's life (queued, answered, as it ends). Each measured run is its own Python process,
so its peak memory (ru_maxrss, DuckDB's native memory included) is its own; each path runs REPEATS times at
sizes both paths run, and the median counts.
- compaction: the product's hourly compaction over every day, once, measured on its own; then "the hour
  since": 1% of the cases get a newer snapshot in fresh batch files the report must rank.
- new: open the month's files (and the previous month's, for trends) from a folder, the summary
  (distributions, breakdowns, by hour, patterns) and the CSV; then the XLSX (cases sheet capped at
  `formats.XLSX_MAX_CASES`) and the HTML. DuckDB as in the reports function: memory_limit 512MB, threads
  from the function's memory (AWS_LAMBDA_FUNCTION_MEMORY_SIZE set to the wiring's: one vCPU, one thread),
  its instance created before the clock starts, as the function's container does when it starts (the
  imports, on both paths, are not timed either).
- before: the month's cases, each at its newest snapshot, as dicts (what DynamoDB's reads give; not timed)
  -> `Case` objects -> summary + CSV.
The speed-up compares like with like: today's "build cases + summary + CSV" against the new "open the
files + summary + CSV". Goals (issue 13): the new path (every file: summary, CSV, XLSX, HTML) under 60 s
and 1 GB at 1,000,000 cases; at least 20x faster than today's at 100,000. Wall times depend on the
machine's load (printed with the results); CPU seconds are given alongside.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from shared.ports import AnalyticsStore

ROOT = Path(__file__).resolve().parent.parent
END = datetime(2026, 11, 30, tzinfo=UTC)
DAYS = 30
OLD_PATH_LIMIT = 200_000
SIZES = (100_000, 1_000_000)
REPEATS = 3
GOAL_SECONDS, GOAL_MB, GOAL_SPEEDUP = 60, 1024, 20

_CASES_SQL = """
CREATE TABLE final AS
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
"""
# Each case's life as the stream writes it: opened (queued), then answered, then as it ends; one batch file
# per step and day. Then the hour since the last compaction: 1% of the cases changed again (version 4).
_SNAPSHOTS = {
    "b1": """SELECT * REPLACE (1::BIGINT AS version, opened_at AS updated_at, 'queued' AS status,
               NULL::VARCHAR AS owner, NULL::TIMESTAMP AS first_response_at, NULL::TIMESTAMP AS assigned_at,
               NULL::TIMESTAMP AS resolved_at, NULL::VARCHAR AS resolution, FALSE AS sla_breached,
               1 AS message_count, 0 AS reply_count, NULL::VARCHAR AS first_responder,
               NULL::INTEGER AS empathy, first_sentiment AS last_sentiment) FROM final""",
    "b2": """SELECT * REPLACE (2::BIGINT AS version, coalesce(first_response_at, opened_at) AS updated_at,
               CASE WHEN status = 'queued' THEN 'queued' ELSE 'assigned' END AS status,
               NULL::TIMESTAMP AS resolved_at, NULL::VARCHAR AS resolution, NULL::INTEGER AS empathy) FROM final""",
    "b3": "SELECT * FROM final",
}
_FRESH = """SELECT * REPLACE (4::BIGINT AS version, updated_at + INTERVAL 1 DAY AS updated_at,
              'positive' AS last_sentiment) FROM final WHERE hash(case_id) % 100 = 0"""
_WRITE = "COPY ({select}) TO '{target}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (dt), FILENAME_PATTERN '{name}-{{i}}', OVERWRITE_OR_IGNORE)"

_INTERACTIONS_SQL = """
COPY (
  SELECT c.case_id || '#e' || k::VARCHAR AS entry_id, c.case_id,
    ['message_in', 'reply', 'message_in'][k] AS kind,
    c.opened_at + to_minutes(((k - 1) * 40)::BIGINT) AS occurred_at,
    ['customer', 'agent', 'customer'][k] AS actor,
    strftime(c.opened_at + to_minutes(((k - 1) * 40)::BIGINT), '%Y-%m-%d') AS dt
  FROM final c, range(1, 4) r(k)
) TO '{target}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (dt), FILENAME_PATTERN 'b3-{{i}}')
"""


def generate(folder: Path, n: int) -> dict[str, Any]:
    """N synthetic cases in the month (three snapshots each) and 3N interactions as the stream writes them,
    batch files per day, not yet compacted; and as many in the month before (the complaint trends read it)."""
    import duckdb

    started = time.perf_counter()
    start = (END - timedelta(days=2 * DAYS)).replace(tzinfo=None)
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        con.execute(_CASES_SQL, {"start": start, "spread": DAYS * 86400 / n, "n": 2 * n})
        for name, select in _SNAPSHOTS.items():
            con.execute(_WRITE.format(select=select, target=folder / "cases", name=name))
        con.execute(_INTERACTIONS_SQL.format(target=folder / "interactions"))
        (folder / "later").mkdir()
        con.execute(_WRITE.format(select=_FRESH, target=folder / "later" / "cases", name="b4"))
    size = sum(p.stat().st_size for p in folder.rglob("*.parquet"))
    return {"seconds": round(time.perf_counter() - started, 1), "parquet_mb": round(size / 1e6, 1)}


def add_fresh(folder: Path) -> None:
    """The changes since the last compaction (it runs hourly), held aside by `generate`: now written."""
    for path in sorted((folder / "later").rglob("*.parquet")):
        target = folder / path.relative_to(folder / "later")
        target.parent.mkdir(parents=True, exist_ok=True)
        path.rename(target)


class FolderStore:
    """The analytics store over a local folder (S3 reads are not what is measured): the reports' `fetch`
    and the compaction's `files`, `download`, `replace` and `delete`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _day(self, dataset: str, day: str) -> Path:
        return self.folder / dataset / f"dt={day}"

    def fetch(self, dataset: str, days: list[str], into: Path) -> list[Path]:
        return [p for day in days for p in sorted(self._day(dataset, day).glob("*.parquet"))]

    def put(self, dataset: str, day: str, name: str, body: bytes) -> None:
        self.replace(dataset, day, name, body, expected=None)

    def files(self, dataset: str, day: str) -> dict[str, str]:
        return {p.stem: str(p.stat().st_mtime_ns) for p in self._day(dataset, day).glob("*.parquet")}

    def files_by_day(self, dataset: str, days: Sequence[str]) -> dict[str, dict[str, str]]:
        listed = {day: self.files(dataset, day) for day in days}
        return {day: files for day, files in listed.items() if files}

    def download(self, dataset: str, day: str, names: Sequence[str], into: Path) -> list[Path]:
        return [self._day(dataset, day) / f"{name}.parquet" for name in names]

    def replace(self, dataset: str, day: str, name: str, body: bytes, *, expected: str | None) -> None:
        (self._day(dataset, day) / f"{name}.parquet").write_bytes(body)

    def delete(self, dataset: str, day: str, names: Sequence[str]) -> None:
        for name in names:
            (self._day(dataset, day) / f"{name}.parquet").unlink()


def _cpu() -> float:
    usage = os.times()
    return usage.user + usage.system


def _peak_mb() -> int:
    """This process's peak resident memory so far (Linux: ru_maxrss in kilobytes), DuckDB's included."""
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


class Clock:
    """Wall and CPU seconds of each phase, in order."""

    def __init__(self) -> None:
        self.phases: dict[str, dict[str, float]] = {}
        self._wall, self._cpu = time.perf_counter(), _cpu()

    def lap(self, name: str) -> None:
        wall, cpu = time.perf_counter(), _cpu()
        self.phases[name] = {
            "seconds": round(wall - self._wall, 2),
            "cpu_seconds": round(cpu - self._cpu, 2),
            "peak_rss_mb_so_far": _peak_mb(),
        }
        self._wall, self._cpu = wall, cpu


def new_path(folder: Path) -> dict[str, Any]:
    """In a child process: the report as Heard now computes it."""
    from shared.analytics import engine, formats
    from shared.models.config import parse_config
    from shared.usecases import reports

    engine.database()  # created while the reports function's container starts (functions/reports/handler.py)

    # The repository's configuration: its teams' time zones apply to the hourly volumes, as in Heard.
    heard = parse_config((ROOT / "config" / "heard.json").read_text())
    config = type("Config", (), {"get": staticmethod(lambda: heard)})()
    store: AnalyticsStore = FolderStore(folder)  # mypy holds the bench's store to the port
    deps = type("Deps", (), {"analytics": store, "config": config})()
    clock = Clock()
    with reports.analysed(deps, END - timedelta(days=DAYS), END, {}, END) as analytics:  # type: ignore[arg-type]
        summary = reports.summarise(analytics, END - timedelta(days=DAYS), END)
        csv_bytes = formats.to_csv(analytics.case_rows())
        clock.lap("summary_and_csv")
        xlsx = formats.to_xlsx(summary, analytics.case_rows(newest=formats.XLSX_MAX_CASES + 1))
        clock.lap("xlsx")
        html = formats.to_html(summary)
        clock.lap("html")
    return {
        "phases": clock.phases,
        "cases": summary["cases"],
        "csv_mb": round(len(csv_bytes) / 1e6, 1),
        "xlsx_mb": round(len(xlsx) / 1e6, 1),
        "html_kb": round(len(html) / 1e3, 1),
        "sla_compliance_pct": summary["sla"]["compliance_pct"],
    }


def compaction(folder: Path) -> dict[str, Any]:
    """In a child process: the compaction function's work over the whole month (every day's batches)."""
    from shared.usecases import analytics

    store: AnalyticsStore = FolderStore(folder)
    deps = type("Deps", (), {"analytics": store})()
    clock = Clock()
    merged = analytics.compact(deps, END.date())  # type: ignore[arg-type]
    clock.lap("compaction")
    return {"phases": clock.phases, "batches_merged": merged}


def _dynamodb_items(folder: Path) -> list[dict[str, Any]]:
    """The cases as DynamoDB's reads give them to the old path (plain dicts, ISO times)."""
    import duckdb

    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        # DynamoDB holds each case once, as it is now: its newest snapshot.
        cursor = con.execute(
            f"""SELECT * FROM read_parquet('{folder}/cases/*/*.parquet', union_by_name = true, hive_partitioning = false)
                WHERE opened_at >= $start QUALIFY row_number() OVER (PARTITION BY case_id ORDER BY version DESC) = 1""",
            {"start": (END - timedelta(days=DAYS)).replace(tzinfo=None)},
        )
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    items = []
    for row in rows:
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
    return items


def old_path(folder: Path) -> dict[str, Any]:
    """In a child process: today's path before issue 13 on the same cases."""
    from bench import reports_before
    from shared.models.case import Case

    items = _dynamodb_items(folder)
    clock = Clock()
    cases = [Case.model_validate(i) for i in items]  # what the repository does for every item read
    clock.lap("build_cases")
    summary = reports_before.summarise(cases, END - timedelta(days=DAYS), END)
    text = reports_before.to_csv(cases)
    clock.lap("summary_and_csv")
    return {"phases": clock.phases, "cases": summary["cases"], "csv_mb": round(len(text) / 1e6, 1)}


def child(kind: str, folder: str, n: int = 0) -> None:
    """The child process's entry point: one measured run, its result as the last line of stdout. The data
    is generated in a child too: a process's peak memory (ru_maxrss) starts from its parent's when it
    execs, so the parent must stay small."""
    if kind == "generate":
        result = generate(Path(folder), n)
    else:
        result = {"new": new_path, "before": old_path, "compaction": compaction}[kind](Path(folder))
    result["peak_rss_mb"] = _peak_mb()
    print("RESULT " + json.dumps(result))


def _function_memory(kind: str) -> int:
    from infra.wiring import heard

    return heard().function("compaction" if kind == "compaction" else "reports").memory_mb


def _measure(kind: str, folder: Path, n: int = 0) -> dict[str, Any]:
    code = f"from bench.bench_reports import child; child({kind!r}, {str(folder)!r}, {n})"
    env = {
        "PATH": "/usr/bin:/bin",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "POWERTOOLS_METRICS_NAMESPACE": "bench",
        # The function's memory, as Lambda tells it: DuckDB takes as many threads as it buys vCPUs.
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(_function_memory(kind)),
    }
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return dict(json.loads(out.stdout.rsplit("RESULT ", 1)[1].strip()))


def _median_run(kind: str, folder: Path, repeats: int) -> dict[str, Any]:
    """The run whose timed work (every phase but the last for `new`: summary + CSV) is the median."""
    runs = [_measure(kind, folder) for _ in range(repeats)]
    runs.sort(key=lambda r: _seconds(r, kind))
    chosen = runs[len(runs) // 2]
    if repeats > 1:
        chosen["all_runs_seconds"] = [_seconds(r, kind) for r in runs]
    return chosen


def _seconds(run: dict[str, Any], kind: str, cpu: bool = False) -> float:
    """The like-for-like part: new = open + summary + CSV; before = build cases + summary + CSV."""
    field = "cpu_seconds" if cpu else "seconds"
    phases = ("summary_and_csv",) if kind == "new" else ("build_cases", "summary_and_csv")
    return round(sum(run["phases"][p][field] for p in phases), 2)


def _total(run: dict[str, Any], cpu: bool = False) -> float:
    field = "cpu_seconds" if cpu else "seconds"
    return round(sum(p[field] for p in run["phases"].values()), 2)


def _ratio(before: float, new: float) -> float:
    """How many times faster (two decimals below 1: small sizes are dominated by DuckDB's start)."""
    ratio = before / max(0.01, new)
    return round(ratio, 1 if ratio >= 1 else 2)


def measure_size(n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="heard-bench-reports-") as tmp:
        folder = Path(tmp)
        result: dict[str, Any] = {
            "cases": n,
            "interactions": 3 * n,
            "generate": _measure("generate", folder, n),
        }
        result["compaction"] = _measure("compaction", folder)
        add_fresh(folder)
        both = n <= OLD_PATH_LIMIT
        result["new"] = _median_run("new", folder, REPEATS if both else 1)
        if both:
            result["before"] = _median_run("before", folder, REPEATS)
            result["speedup"] = _ratio(_seconds(result["before"], "before"), _seconds(result["new"], "new"))
            result["speedup_cpu"] = _ratio(
                _seconds(result["before"], "before", cpu=True), _seconds(result["new"], "new", cpu=True)
            )
    return result


def goals(sizes: list[dict[str, Any]]) -> dict[str, bool | None]:
    """Each goal at the size it is stated for (None: that size was not run)."""
    by_n = {s["cases"]: s for s in sizes}
    big, small = by_n.get(1_000_000), by_n.get(100_000)
    return {
        "new_under_60s_at_1M": None if big is None else _total(big["new"]) < GOAL_SECONDS,
        "new_under_1GB_at_1M": None if big is None else big["new"]["peak_rss_mb"] < GOAL_MB,
        "at_least_20x_at_100k": None if small is None else small["speedup"] >= GOAL_SPEEDUP,
    }


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} CPUs"


def table(result: dict[str, Any]) -> str:
    """The results as a plain-text table."""
    head = (
        "cases",
        "path",
        "open+summary+CSV s",
        "(CPU s)",
        "XLSX s",
        "HTML s",
        "total s",
        "(CPU s)",
        "peak MB",
    )
    lines = [" | ".join(head), " | ".join("-" * len(h) for h in head)]
    for size in result["sizes"]:
        for kind in ("new", "before"):
            run = size.get(kind)
            if not run:
                continue
            phases = run["phases"]
            cells = (
                f"{size['cases']:,}",
                "new (DuckDB)" if kind == "new" else "before (Case objects)",
                f"{_seconds(run, kind):.2f}",
                f"{_seconds(run, kind, cpu=True):.2f}",
                f"{phases['xlsx']['seconds']:.2f}" if "xlsx" in phases else "-",
                f"{phases['html']['seconds']:.2f}" if "html" in phases else "-",
                f"{_total(run):.2f}",
                f"{_total(run, cpu=True):.2f}",
                str(run["peak_rss_mb"]),
            )
            lines.append(" | ".join(cells))
        made = size["compaction"]["phases"]["compaction"]
        lines.append(
            f"compaction of {size['cases']:,} cases' batches (3 snapshots each) and {size['interactions']:,} "
            f"interactions, once, off the report's path: {made['seconds']:.2f} s ({made['cpu_seconds']:.2f} CPU s), "
            f"peak {size['compaction']['peak_rss_mb']} MB"
        )
        if "speedup" in size:
            lines.append(
                f"speed-up at {size['cases']:,}: {size['speedup']}x wall, {size['speedup_cpu']}x CPU "
                f"(median of {REPEATS} runs each)"
            )
    lines.append(f"load average {result['load_before']} before, {result['load_after']} after")
    lines.append("goals: " + ", ".join(f"{k}={v}" for k, v in result["goals"].items()))
    return "\n".join(lines)


def run(args: Any) -> dict[str, Any]:
    chosen = getattr(args, "report_cases", None)
    result: dict[str, Any] = {"load_before": _load()}
    result["sizes"] = [measure_size(n) for n in ([chosen] if chosen else SIZES)]
    result["load_after"] = _load()
    result["goals"] = goals(result["sizes"])
    print(table(result), file=sys.stderr)
    return result
