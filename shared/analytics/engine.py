"""DuckDB over the analytics Parquet files: writing a batch, and every number a report shows.

DuckDB runs embedded (in the stream consumer, the reports function and the api alike); it reads local
files only, so callers fetch a period's objects from S3 first (DuckDB's httpfs extension would be
downloaded at run time, which neither Lambda nor an offline machine should do).

A period's cases are those opened in [start, end); each case counts once, at its newest snapshot.
SLA state, per case, as of the report's time:
- `met`: answered, never flagged, and the first answer came by its due time;
- `breached`: flagged by the SLA monitor, answered late, or still unanswered after its due time;
- `pending`: open, unanswered, not due yet (left out of compliance: nobody has failed yet);
- `not_applicable`: resolved without a reply (spam, duplicate, no reply needed) and never overdue.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from collections.abc import Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb

from shared.analytics.records import (
    CASES,
    COLUMNS,
    DIMENSIONS,
    FORMULA_STARTS,
    INTERACTIONS,
    is_compacted,
    utc_naive,
)

DRILL_LIMIT = 500
MEMORY_LIMIT = "512MB"  # DuckDB's, of the reports function's 2,048 MB (the rest: Python, the files)
LAMBDA_MB_PER_VCPU = 1769
PATTERN_MIN_CASES = 3

_SLA_STATE = """
    CASE
      WHEN sla_breached THEN 'breached'
      WHEN first_response_at IS NOT NULL AND first_response_due IS NOT NULL
           AND first_response_at > first_response_due THEN 'breached'
      WHEN first_response_at IS NOT NULL THEN 'met'
      WHEN resolved_at IS NOT NULL THEN 'not_applicable'
      WHEN first_response_due IS NOT NULL AND first_response_due <= $as_of THEN 'breached'
      ELSE 'pending'
    END"""
# Read to rank snapshots or derive the SLA state and times, not kept in the period's table; never read.
_RANK_ONLY = ("version", "updated_at", "assigned_at", "sla_breached")
_SPAN_COLUMNS = tuple(c for c in COLUMNS[CASES] if c not in ("reply_due", "resolution", "first_responder"))
# What the filters may compare (shared/analytics/records.py DIMENSIONS).
_FILTER_COLUMNS = ("team", "owner", "platform", "topic", "language", "brand")
# The entries the hourly volumes count (the others, such as assignments and notes, are not joined).
_COUNTED_ENTRIES = "occurred_at >= $start AND occurred_at < $end AND kind IN ('message_in', 'reply')"
_TIMES = ("first_response_minutes", "handling_minutes", "resolution_minutes")
# Each case once, at its newest snapshot: the highest version, then the latest update.
_NEWEST_SNAPSHOT = (
    "QUALIFY row_number() OVER (PARTITION BY case_id ORDER BY version DESC, updated_at DESC) = 1"
)
_MINUTES = "round(date_diff('second', {a}, {b}) / 60.0, 1)"
_DRILL_WHERE = {
    "all": "TRUE",
    "sla_breached": "sla_state = 'breached'",
    "sla_met": "sla_state = 'met'",
    "sla_pending": "sla_state = 'pending'",
    "unanswered": "first_response_at IS NULL AND resolved_at IS NULL",
    "resolved": "resolved_at IS NOT NULL",
    "complaints": "category = 'complaint'",
}


def to_parquet(dataset: str, rows: Sequence[dict[str, Any]]) -> bytes:
    """One Parquet file (zstd) holding `rows` with the dataset's schema."""
    columns = COLUMNS[dataset]
    with tempfile.TemporaryDirectory() as tmp, database().cursor() as con:
        con.execute(f"CREATE TEMP TABLE batch ({', '.join(f'{n} {t}' for n, t in columns.items())})")
        names = list(columns)
        con.executemany(
            f"INSERT INTO batch VALUES ({', '.join('?' for _ in names)})",
            [[row.get(n) for n in names] for row in rows],
        )
        target = Path(tmp) / "batch.parquet"
        con.execute(f"COPY batch TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
        return target.read_bytes()


def compact(dataset: str, paths: Sequence[Path]) -> bytes:
    """One Parquet file with the files' rows, each case once at its newest snapshot (highest version, then
    latest update) or each entry once, in the order they happened, with every column of the dataset.
    Snappy, not zstd: written once an hour, read by every report, and decoded ~30% faster for twice the
    bytes (2.5 -> 4.7 MB a month at 100,000 cases; bench/bench_reports.py)."""
    if dataset == CASES:
        keep = _NEWEST_SNAPSHOT
        order = "opened_at, case_id"
    else:
        keep = "QUALIFY row_number() OVER (PARTITION BY entry_id ORDER BY occurred_at) = 1"
        order = "occurred_at, entry_id"
    columns = ", ".join(COLUMNS[dataset])
    with tempfile.TemporaryDirectory() as tmp, database().cursor() as con:
        con.execute("SET enable_progress_bar = false")
        target = Path(tmp) / "compacted.parquet"
        con.execute(
            f"""COPY (SELECT {columns} FROM {_source(dataset, paths)} {keep} ORDER BY {order})
                TO '{target}' (FORMAT parquet, COMPRESSION snappy)"""
        )
        return target.read_bytes()


def _file_list(paths: Sequence[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def _source(dataset: str, paths: Sequence[Path]) -> str:
    """A relation over the files with every column of the dataset (files written before a column was added
    read it as NULL), or an empty one when there are none. The file names are the store's, never a
    partition folder to read columns from (`hive_partitioning` off: the bench's folders look like one)."""
    columns = ", ".join(f"NULL::{t} AS {n}" for n, t in COLUMNS[dataset].items())
    empty = f"(SELECT {columns} WHERE FALSE)"
    if not paths:
        return empty
    files = _file_list(paths)
    return f"({empty} UNION ALL BY NAME SELECT * FROM read_parquet({files}, union_by_name = true, hive_partitioning = false))"


def _split(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """(compacted, fresh): compacted files hold one row per case (or entry) of their day; fresh ones are
    stream batches written since, which may repeat a case at any version (or an entry)."""
    compacted = [p for p in paths if is_compacted(p.name)]
    return compacted, [p for p in paths if not is_compacted(p.name)]


_RANK = "(version, coalesce(updated_at, TIMESTAMP '1970-01-01'))"


def _fresh_cases(paths: Sequence[Path], period: str) -> str:
    """The stream batches written since the last compaction (a few percent of the rows), each case once at
    its newest snapshot among them, with the columns both periods' tables read."""
    columns = ", ".join(_SPAN_COLUMNS)
    return f"SELECT {columns} FROM {_source(CASES, paths)} WHERE {period} {_NEWEST_SNAPSHOT}"


def _kept_cases(paths: Sequence[Path], period: str, columns: Sequence[str]) -> str:
    """The compacted days' cases (each once) that no newer snapshot in the `fresh` table replaces (on a tie
    the compacted row stays); the fresh rows to add are then those of the cases not kept. Each case once at
    its newest snapshot with one scan of the compacted files: ranking every row cost a third of opening the
    period, and a second scan for the compacted rows' ranks a bind over every file (bench/bench_reports.py)."""
    compacted, _ = _split(paths)
    wanted = ", ".join(dict.fromkeys(["case_id", *columns]))
    return f"""SELECT {wanted} FROM {_source(CASES, compacted)}
        LEFT JOIN (SELECT case_id AS fresh_case, {_RANK} AS fresh_rank FROM fresh) ON fresh_case = case_id
        WHERE {period} AND (fresh_rank IS NULL OR {_RANK} >= fresh_rank)"""


def _each_entry(paths: Sequence[Path], period: str) -> str:
    """Each timeline entry once: compacted days hold each entry once; fresh files may repeat one."""
    compacted, fresh = _split(paths)
    columns = "case_id, kind, occurred_at"
    if not fresh:
        return f"SELECT {columns} FROM {_source(INTERACTIONS, compacted)} WHERE {period}"
    again = f"SELECT DISTINCT ON (entry_id) entry_id, {columns} FROM {_source(INTERACTIONS, fresh)} WHERE {period}"
    if not compacted:
        return f"SELECT {columns} FROM ({again})"
    return f"""
        WITH fresh AS ({again})
        SELECT {columns} FROM {_source(INTERACTIONS, compacted)}
        WHERE {period} AND entry_id NOT IN (SELECT entry_id FROM fresh)
        UNION ALL SELECT {columns} FROM fresh"""


def threads() -> int:
    """DuckDB's threads: the function's share of vCPUs. Lambda gives one vCPU per 1,769 MB (the reports
    function's 2,048 MB: one); a second thread on a CPU already busy costs more than it gains
    (bench/bench_reports.py). Outside Lambda: two, at most."""
    memory = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "")
    if memory.isdigit():
        return max(1, int(memory) // LAMBDA_MB_PER_VCPU)
    return min(2, os.cpu_count() or 1)


_DATABASE: list[duckdb.DuckDBPyConnection] = []  # this process's instance, once created
_DATABASE_LOCK = threading.Lock()  # the local stack runs its functions on threads of one process


def database() -> duckdb.DuckDBPyConnection:
    """This process's DuckDB instance (a Lambda container's, like its SDK clients): creating one takes ~20 ms
    and its first queries fault in memory that later ones reuse; each report, stream batch written and day
    compacted takes a connection of its own (`cursor()`, 0.02 ms; its temporary tables are its own). A
    batch's file took 30 ms with an instance each, 9 ms with a connection. In memory, spilling to /tmp past
    MEMORY_LIMIT (the working directory is read-only in Lambda). The reports function creates it while its
    container starts (functions/reports/handler.py)."""
    with _DATABASE_LOCK:
        if not _DATABASE:
            spill = str(Path(tempfile.gettempdir()) / "heard-duckdb")
            config: dict[str, str | bool | int | float | list[str]] = {
                "memory_limit": MEMORY_LIMIT,
                "threads": threads(),
                "temp_directory": spill,
            }
            _DATABASE.append(duckdb.connect(config=config))
        return _DATABASE[0]


class Analytics:
    """One report's view of the store: the period's cases (newest snapshot each), filtered."""

    def __init__(
        self,
        case_files: Sequence[Path],
        interaction_files: Sequence[Path],
        *,
        start: datetime,
        end: datetime,
        as_of: datetime,
        filters: dict[str, str] | None = None,
        zones: dict[str, str] | None = None,
        previous_case_files: Sequence[Path] | None = None,
    ) -> None:
        self.start, self.end, self.as_of = _naive(start), _naive(end), _naive(as_of)
        # A connection of its own: its temporary tables are its own, and dropped when it closes.
        self.con = database().cursor()
        self.con.execute("SET enable_progress_bar = false")
        # The period before's files (default: the same as the period's; each query keeps its own days).
        self._previous_files = case_files if previous_case_files is None else previous_case_files
        self._load(case_files, interaction_files, filters or {})
        # Each team's time zone (its business-hour calendar's), for volumes by hour of the team's day.
        self.zones = dict(zones or {})
        self.con.execute("CREATE TEMP TABLE zones (team VARCHAR, tz VARCHAR)")
        if self.zones:
            self.con.executemany("INSERT INTO zones VALUES (?, ?)", list(self.zones.items()))

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Analytics:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _load(
        self, case_files: Sequence[Path], interaction_files: Sequence[Path], filters: dict[str, str]
    ) -> None:
        where = " AND ".join(f"{DIMENSIONS[k]} = ${k}" for k in filters) or "TRUE"
        params: dict[str, object] = {
            "as_of": self.as_of,
            "prev_start": self.start - (self.end - self.start),
            "start": self.start,
            "end": self.end,
        }
        params.update(filters)
        frt, aht, ttr = (
            _MINUTES.format(a="opened_at", b="first_response_at"),
            _MINUTES.format(a="assigned_at", b="resolved_at"),
            _MINUTES.format(a="opened_at", b="resolved_at"),
        )
        now = "opened_at >= $start AND opened_at < $end"
        before = "opened_at >= $prev_start AND opened_at < $start"
        # The stream batches since the last compaction, of both periods, read once: each case's newest.
        fresh_files = [
            p for p in dict.fromkeys([*case_files, *self._previous_files]) if not is_compacted(p.name)
        ]
        both = "opened_at >= $prev_start AND opened_at < $end"

        def run(sql: str) -> None:
            self.con.execute(sql, _only(params, sql))  # each statement gets the parameters it names

        run(f"CREATE TEMP TABLE fresh AS {_fresh_cases(fresh_files, both)}")
        # Every case opened in the period, at its newest snapshot, with the columns the numbers and files
        # read (not the ones only used to rank or derive the SLA state and times); then the filters.
        derived = f"""* EXCLUDE ({", ".join(_RANK_ONLY)}), {_SLA_STATE} AS sla_state,
            {frt} AS first_response_minutes, {aht} AS handling_minutes, {ttr} AS resolution_minutes"""
        kept = _kept_cases(case_files, now, _SPAN_COLUMNS)
        run(f"CREATE TEMP TABLE span AS SELECT {derived} FROM ({kept})")
        newer = f"SELECT {', '.join(_SPAN_COLUMNS)} FROM fresh WHERE {now} AND case_id NOT IN (SELECT case_id FROM span)"
        run(f"INSERT INTO span BY NAME SELECT {derived} FROM ({newer})")
        self.con.execute("CREATE TEMP VIEW cases AS SELECT * FROM span")
        # The period before, for the complaint trends and the teams of its cases' interactions in this one:
        # only what they count and the filters compare (DuckDB reads only these columns).
        wanted = ["team", "category", "operation", "topic", *(_FILTER_COLUMNS if filters else ())]
        kept = _kept_cases(self._previous_files, before, wanted)
        run(f"CREATE TEMP TABLE previous AS {kept}")
        newer = f"SELECT case_id, {', '.join(dict.fromkeys(wanted))} FROM fresh WHERE {before} AND case_id NOT IN (SELECT case_id FROM previous)"
        run(f"INSERT INTO previous BY NAME {newer}")
        if filters:  # after the ranking: a case counts as its newest snapshot is, not as an older one was
            for table in ("span", "previous"):
                run(f"DELETE FROM {table} WHERE ({where}) IS NOT TRUE")
        self._count_interactions(interaction_files, bool(filters))

    def _count_interactions(self, interaction_files: Sequence[Path], filtered: bool) -> None:
        """Interactions are only counted (by hour of the day): each one once (a redelivered stream batch
        writes it again), per team and 15-minute slot, so that the time zone conversion runs per slot, not
        per interaction (every zone's offset is a multiple of 15 minutes). A case opened in the period
        before gives its team to the interactions of this one."""
        self.con.execute(
            f"""
            CREATE TEMP TABLE slots AS
            SELECT s.team, time_bucket(INTERVAL 15 MINUTE, i.occurred_at) AS slot,
                   count(*) FILTER (WHERE i.kind = 'message_in') AS messages_in,
                   count(*) FILTER (WHERE i.kind = 'reply') AS replies
            FROM ({_each_entry(interaction_files, _COUNTED_ENTRIES)}) i
            LEFT JOIN (SELECT case_id, team FROM span UNION ALL SELECT case_id, team FROM previous) s USING (case_id)
            WHERE $filtered = FALSE OR s.case_id IS NOT NULL
            GROUP BY 1, 2""",
            {"start": self.start, "end": self.end, "filtered": filtered},
        )

    # ---- numbers ---------------------------------------------------------------------------------------

    def _rows(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql, params or {})
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _one(self, sql: str) -> dict[str, Any]:
        return self._rows(sql)[0]

    def headline(self) -> dict[str, Any]:
        """The period's counts and the three time distributions (count, p50, p90, mean), in one pass."""
        times = ", ".join(
            f"""count({c}) AS {c}_count, quantile_cont({c}, [0.5, 0.9]) AS {c}_q, avg({c}) AS {c}_mean"""
            for c in _TIMES
        )
        head = self._one(
            f"""SELECT count(*) AS cases,
                 count(*) FILTER (WHERE status <> 'resolved') AS open,
                 count(*) FILTER (WHERE resolved_at IS NOT NULL) AS resolved,
                 count(*) FILTER (WHERE sla_state = 'met') AS sla_met,
                 count(*) FILTER (WHERE sla_state = 'breached') AS sla_breached,
                 count(*) FILTER (WHERE sla_state = 'pending') AS sla_pending,
                 count(*) FILTER (WHERE sla_state = 'not_applicable') AS sla_not_applicable,
                 count(*) FILTER (WHERE first_sentiment = 'negative') AS negative_at_start,
                 count(*) FILTER (WHERE first_sentiment = 'negative' AND last_sentiment <> 'negative')
                   AS no_longer_negative, {times}
               FROM cases"""
        )
        for c in _TIMES:
            p50, p90 = head.pop(f"{c}_q") or (None, None)
            head[c] = {"count": head.pop(f"{c}_count"), "p50": _round(p50), "p90": _round(p90)}
            head[c]["mean"] = _round(head.pop(f"{c}_mean"))
        return head

    def breakdowns(self) -> dict[str, list[dict[str, Any]]]:
        """Per team, agent, platform, topic, language and brand, in one pass (GROUPING SETS)."""
        keys = {d: f"k_{d}" for d in DIMENSIONS}
        which = " ".join(f"WHEN grouping({k}) = 0 THEN '{d}'" for d, k in keys.items())
        rows = self._rows(
            f"""SELECT CASE {which} END AS dimension, coalesce({", ".join(keys.values())}) AS key,
                   count(*) AS cases,
                   count(*) FILTER (WHERE resolved_at IS NOT NULL) AS resolved,
                   count(*) FILTER (WHERE sla_state = 'met') AS sla_met,
                   count(*) FILTER (WHERE sla_state = 'breached') AS sla_breached,
                   quantile_cont(first_response_minutes, [0.5, 0.9]) AS first_response,
                   quantile_cont(handling_minutes, 0.5) AS handling_p50,
                   quantile_cont(resolution_minutes, [0.5, 0.9]) AS resolution,
                   count(empathy) AS empathy_graded,
                   round(avg(empathy), 2) AS empathy_average
                FROM (SELECT *, {", ".join(f"coalesce({DIMENSIONS[d]}, '') AS {k}" for d, k in keys.items())}
                      FROM cases)
                GROUP BY GROUPING SETS ({", ".join(f"({k})" for k in keys.values())})
                ORDER BY dimension, cases DESC, key"""
        )
        out: dict[str, list[dict[str, Any]]] = {d: [] for d in DIMENSIONS}
        for row in rows:
            frt, ttr = row.pop("first_response") or (None, None), row.pop("resolution") or (None, None)
            out[row.pop("dimension")].append(
                {
                    **{k: row[k] for k in ("key", "cases", "resolved", "sla_met", "sla_breached")},
                    "first_response_p50": _round(frt[0]),
                    "first_response_p90": _round(frt[1]),
                    "handling_p50": _round(row["handling_p50"]),
                    "resolution_p50": _round(ttr[0]),
                    "resolution_p90": _round(ttr[1]),
                    "empathy_graded": row["empathy_graded"],
                    "empathy_average": row["empathy_average"],
                    "sla_compliance_pct": _pct(row["sla_met"], row["sla_met"] + row["sla_breached"]),
                }
            )
        return out

    def counts(self, *columns: str) -> dict[str, dict[str, int]]:
        """Cases per value of each column (most first): one GROUP BY over the columns together (their
        combinations are few), summed per column here; half the time of a grouping set per column."""
        out: dict[str, dict[str, int]] = {c: {} for c in columns}
        rows = self.con.execute(
            f"SELECT {', '.join(f'{c}::VARCHAR' for c in columns)}, count(*) FROM cases GROUP BY ALL"
        ).fetchall()
        for row in rows:
            for column, key in zip(columns, row, strict=False):
                out[column][str(key)] = out[column].get(str(key), 0) + int(row[-1])
        return {c: dict(sorted(n.items(), key=lambda kv: (-kv[1], kv[0]))) for c, n in out.items()}

    def hour_zone(self) -> str:
        """The time zone `by_hour` counts in: one zone when the period's teams share it, else each team's."""
        used = {
            self.zones.get(team, "UTC")
            for (team,) in self.con.execute("SELECT DISTINCT team FROM cases").fetchall()
        }
        return used.pop() if len(used) == 1 else "each team's own time zone" if used else "UTC"

    def by_hour(self) -> list[dict[str, Any]]:
        """Per hour of the day in each case's team's time zone: messages in, replies out, cases opened. The
        interactions' and the cases' 15-minute slots are converted to local time together, once per slot."""
        local = "hour(timezone(coalesce(z.tz, 'UTC'), slot AT TIME ZONE 'UTC'))"
        hours = {h: {"hour": h, "messages_in": 0, "replies": 0, "cases_opened": 0} for h in range(24)}
        for row in self._rows(
            f"""SELECT {local} AS hour, sum(messages_in)::BIGINT AS messages_in, sum(replies)::BIGINT AS replies,
                   sum(opened)::BIGINT AS cases_opened
                FROM (SELECT team, slot, messages_in, replies, 0 AS opened FROM slots
                      UNION ALL
                      SELECT team, time_bucket(INTERVAL 15 MINUTE, opened_at), 0, 0, count(*) FROM cases GROUP BY 1, 2)
                LEFT JOIN zones z USING (team) GROUP BY 1"""
        ):
            hours[row.pop("hour")].update(row)
        return list(hours.values())

    def by_day(self) -> list[dict[str, Any]]:
        rows = self._rows(
            """SELECT opened_at::DATE AS day, count(*) AS cases,
                 count(*) FILTER (WHERE sla_state = 'breached') AS sla_breached
               FROM cases GROUP BY 1 ORDER BY 1"""
        )
        return [{**row, "day": row["day"].isoformat()} for row in rows]

    def patterns(self) -> list[dict[str, Any]]:
        """Complaint clusters by operation and topic, with the previous period's count for the trend."""
        return self._rows(
            f"""WITH now AS (
                  SELECT operation, topic, count(*) AS complaints,
                         count(*) FILTER (WHERE sla_state = 'breached') AS sla_breaches,
                         round(quantile_cont(resolution_minutes, 0.5), 1) AS resolution_p50,
                         mode(team) AS team, mode(platform) AS platform, mode(hour(opened_at)) AS peak_hour
                  FROM cases WHERE category = 'complaint' GROUP BY 1, 2),
                before AS (
                  SELECT operation, topic, count(*) AS complaints FROM previous
                  WHERE category = 'complaint' GROUP BY 1, 2),
                total AS (SELECT count(*) AS n FROM cases WHERE category = 'complaint')
                SELECT now.*, coalesce(before.complaints, 0) AS previous_complaints,
                       round(100.0 * now.complaints / total.n, 1) AS share_of_complaints_pct
                FROM now LEFT JOIN before USING (operation, topic), total
                WHERE now.complaints >= {PATTERN_MIN_CASES}
                ORDER BY now.complaints DESC, operation, topic"""
        )

    def drill(self, metric: str, limit: int = DRILL_LIMIT) -> list[dict[str, Any]]:
        return self._rows(
            f"""SELECT case_id, opened_at, team, coalesce(owner, '') AS owner, platform, topic, language,
                   category, status, sla_state, first_response_due, first_response_at,
                   first_response_minutes, resolution_minutes
                FROM cases WHERE {_DRILL_WHERE[metric]}
                ORDER BY opened_at DESC, case_id LIMIT {int(limit)}"""
        )

    def case_rows(self, newest: int | None = None) -> duckdb.DuckDBPyRelation:
        """One row per case for the CSV and XLSX files, text already spreadsheet-safe (a leading apostrophe
        before a formula start) and times in ISO form; a relation, written without holding it all.
        `newest`: only the most recently opened cases up to that many, newest first (the workbook's sheet)."""
        columns = ", ".join(CSV_COLUMNS)
        if newest is None:
            # Unordered: sorting a million rows would cost more than the rest of the report (a spreadsheet
            # sorts in one click); the files per day keep them roughly in the order they opened.
            return self.con.sql(f"SELECT {columns} FROM cases")
        # The top-N on two narrow columns first, then the rows of those cases: a top-N over every
        # formatted column held ~170 MB more at 1,000,000 cases (bench/bench_reports.py).
        return self.con.sql(
            f"""SELECT {columns} FROM cases WHERE case_id IN (
                  SELECT case_id FROM cases ORDER BY opened_at DESC, case_id LIMIT {int(newest)})
                ORDER BY opened_at DESC, case_id"""
        )


def _safe(column: str, name: str) -> str:
    """Text that a spreadsheet would run as a formula (CSV injection) gets a leading apostrophe. The first
    character's code (`=` 61, `+` 43, `-` 45, `@` 64, tab 9, CR 13): a comparison of numbers, where
    `left(column, 1)` made a string per row (a third of the CSV's time, bench/bench_reports.py)."""
    starts = ", ".join(str(ord(c)) for c in FORMULA_STARTS)
    return f"CASE WHEN ascii({column}) IN ({starts}) THEN chr(39) || {column} ELSE {column} END AS {name}"


def _iso(column: str) -> str:
    return f"strftime({column}, '%Y-%m-%dT%H:%M:%SZ') AS {column}"


CSV_COLUMNS = (
    "case_id",
    _iso("opened_at"),
    *(_safe(c, c) for c in ("platform", "channel", "team")),
    _safe("coalesce(owner, '')", "owner"),
    "status",
    "priority",
    *(_safe(c, c) for c in ("category", "topic", "operation", "language")),
    _safe("coalesce(crisis, '')", "crisis"),
    "first_sentiment",
    "last_sentiment",
    # Minutes are rounded to a tenth: as DECIMAL they print the same text as the DOUBLE, ~15% faster CSV.
    "first_response_minutes::DECIMAL(12, 1) AS first_response_minutes",
    "handling_minutes::DECIMAL(12, 1) AS handling_minutes",
    "resolution_minutes::DECIMAL(12, 1) AS resolution_minutes",
    "sla_state",
    "CASE sla_state WHEN 'met' THEN 'true' WHEN 'breached' THEN 'false' ELSE '' END AS sla_met",
    "message_count AS messages",
    "reply_count AS replies",
    _iso("resolved_at"),
    "empathy",
)


def _only(params: dict[str, Any], sql: str) -> dict[str, Any]:
    """The parameters a statement names (DuckDB refuses any it does not)."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}


def _naive(moment: datetime) -> datetime:
    value = utc_naive(moment.isoformat())
    assert value is not None
    return value


def _round(value: float | None) -> float | None:
    """One decimal, as DuckDB's round(x, 1) (half away from zero), or None."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
