"""Flat analytics rows from the cases table's items (stream images), and their Parquet schemas.

Two datasets, both partitioned by date (`dt=YYYY-MM-DD`):
- `cases`: one snapshot per case change, partitioned by the day the case opened, so a period's report
  reads the period's partitions and keeps each case's newest snapshot (highest `version`).
- `interactions`: one row per timeline entry (customer messages, replies, assignments, breaches...),
  partitioned by the day it happened; `entry_id` makes a redelivered stream record harmless.
Nothing here carries a customer's name, handle or words: only ids, categories, times and counts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from shared.clock import parse_iso

STORE_PREFIX = "analytics"  # keys: analytics/<dataset>/dt=<YYYY-MM-DD>/<name>.parquet
CASES = "cases"
INTERACTIONS = "interactions"
DATASETS = (CASES, INTERACTIONS)
# A day's compacted file (shared/usecases/analytics.py `compact`): one row per case (its newest snapshot) or
# per entry, replacing the stream batches it was made from. Not "_"-prefixed: Athena skips such files.
COMPACTED = "compacted"
# Text a spreadsheet would run as a formula when a cell starts with it (CSV injection): quoted in the files.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Column -> DuckDB type. The same lists give the Glue table's columns (infra/constructs/analytics.py).
CASE_COLUMNS: dict[str, str] = {
    "case_id": "VARCHAR",
    "version": "BIGINT",
    "updated_at": "TIMESTAMP",
    "opened_at": "TIMESTAMP",
    "status": "VARCHAR",
    "team": "VARCHAR",
    "owner": "VARCHAR",
    "platform": "VARCHAR",
    "channel": "VARCHAR",
    "category": "VARCHAR",
    "topic": "VARCHAR",
    "operation": "VARCHAR",
    "language": "VARCHAR",
    "crisis": "VARCHAR",
    "priority": "INTEGER",
    "first_sentiment": "VARCHAR",
    "last_sentiment": "VARCHAR",
    "first_response_due": "TIMESTAMP",
    "first_response_at": "TIMESTAMP",
    "reply_due": "TIMESTAMP",
    "assigned_at": "TIMESTAMP",
    "resolved_at": "TIMESTAMP",
    "resolution": "VARCHAR",
    "sla_breached": "BOOLEAN",
    "message_count": "INTEGER",
    "reply_count": "INTEGER",
    "first_responder": "VARCHAR",
    "empathy": "INTEGER",
    "brand": "VARCHAR",  # issue #16: the brand the conversation came in through (None: the default brand)
}
INTERACTION_COLUMNS: dict[str, str] = {
    "entry_id": "VARCHAR",
    "case_id": "VARCHAR",
    "kind": "VARCHAR",
    "occurred_at": "TIMESTAMP",
    "actor": "VARCHAR",  # "customer", "system", "platform" or "agent" (never the agent's email)
}
# Report filters and breakdowns -> the column they read ("agent" is the case's owner).
DIMENSIONS = {
    "team": "team",
    "agent": "owner",
    "platform": "platform",
    "topic": "topic",
    "language": "language",
    "brand": "coalesce(brand, 'default')",
}
# The numbers the dashboard drills into (shared/analytics/engine.py says which cases each one means).
DRILLS = ("all", "sla_breached", "sla_met", "sla_pending", "unanswered", "resolved", "complaints")
COLUMNS = {CASES: CASE_COLUMNS, INTERACTIONS: INTERACTION_COLUMNS}
_TIMES = {name for name, kind in CASE_COLUMNS.items() if kind == "TIMESTAMP"}
_PLAIN_ACTORS = frozenset({"customer", "system", "platform"})


def is_compacted(file_name: str) -> bool:
    """A compacted day's file, by its name: `<...>compacted.parquet` (the S3 key, or a local copy's name)."""
    return file_name.endswith(f"{COMPACTED}.parquet")


def utc_naive(value: Any) -> datetime | None:
    """UTC, naive (Parquet TIMESTAMP without zone): what DuckDB and Athena compare without surprises."""
    if not value:
        return None
    moment = parse_iso(str(value))
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def case_row(image: dict[str, Any]) -> dict[str, Any]:
    """A case item (plain Python values) as an analytics row."""
    row = {name: image.get(name) for name in CASE_COLUMNS}
    row["last_sentiment"] = image.get("sentiment")
    row["first_sentiment"] = image.get("first_sentiment") or image.get("sentiment")
    row["sla_breached"] = bool(image.get("sla_breached"))
    for name in _TIMES & row.keys():
        row[name] = utc_naive(row[name])
    return row


def interaction_row(image: dict[str, Any]) -> dict[str, Any]:
    actor = str(image.get("actor") or "system")
    return {
        "entry_id": f"{image.get('case_id')}#{image.get('entry_id')}",
        "case_id": image.get("case_id"),
        "kind": image.get("kind"),
        "occurred_at": utc_naive(image.get("at")),
        "actor": actor if actor in _PLAIN_ACTORS else "agent",
    }


def partition_day(dataset: str, row: dict[str, Any]) -> str:
    moment = row["opened_at"] if dataset == CASES else row["occurred_at"]
    return moment.date().isoformat()


def rows_from_images(images: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Split stream images into rows per dataset; other items (pointers, reports, audit...) are skipped."""
    out: dict[str, list[dict[str, Any]]] = {CASES: [], INTERACTIONS: []}
    for image in images:
        kind = image.get("type")
        if kind == "case" and image.get("opened_at"):
            out[CASES].append(case_row(image))
        elif kind == "entry" and image.get("at") and image.get("kind"):
            out[INTERACTIONS].append(interaction_row(image))
    return out
