"""Every case change and interaction becomes an analytics record (R3), off the hot path.

The cases table's stream delivers each new item image after the write; this turns one stream batch into
one Parquet file per dataset and day. The file is named after the batch's sequence numbers, so a retried
batch overwrites its own file; readers also keep one row per case version and per entry.

Compaction (hourly, the `compaction` function) merges each recent day's batches into one `compacted` file
per dataset: each case once, at its newest snapshot, and each entry once. Reports then rank only the cases
changed since (docs/analytics.md). A batch written while a day is compacted stays for the next run; a
stale snapshot arriving late (a retried batch) loses to the newer one, compacted or not.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from shared.analytics import engine
from shared.analytics.records import COMPACTED, DATASETS, partition_day, rows_from_images
from shared.errors import Conflict
from shared.observability import logger, metrics
from shared.usecases.deps import Deps


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def record(deps: Deps, images: list[dict[str, Any]], batch_name: str) -> dict[str, int]:
    """Write the batch's case snapshots and interactions; the number of rows per dataset."""
    written: dict[str, int] = {}
    for dataset, rows in rows_from_images([_plain(i) for i in images]).items():
        by_day: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_day[partition_day(dataset, row)].append(row)
        for day, day_rows in sorted(by_day.items()):
            deps.analytics.put(dataset, day, batch_name, engine.to_parquet(dataset, day_rows))
        written[dataset] = len(rows)
        if rows:
            metrics.add_metric(name=f"Analytics{dataset.title()}Records", unit="Count", value=len(rows))
    logger.info("analytics records written", extra={"batch": batch_name, **written})
    return written


# Reports read at most two periods of 93 days back (the period and the one before it, for trends).
COMPACT_DAYS = 2 * 93 + 1


def compact_day(deps: Deps, dataset: str, day: str, listed: dict[str, str] | None = None) -> int:
    """Merge the day's stream batches (and its compacted file) into one compacted file, then delete the
    batches merged; how many were merged (0: nothing new, nothing written). `listed`: the day's files
    (name -> ETag) if already listed. A compaction that finds the compacted file changed meanwhile
    (another run) leaves everything as it is."""
    if listed is None:
        listed = deps.analytics.files(dataset, day)
    fresh = sorted(name for name in listed if name != COMPACTED)
    if not fresh:
        return 0
    with tempfile.TemporaryDirectory(prefix="heard-compaction-") as tmp:
        paths = deps.analytics.download(dataset, day, sorted(listed), Path(tmp))
        body = engine.compact(dataset, paths)
    try:
        deps.analytics.replace(dataset, day, COMPACTED, body, expected=listed.get(COMPACTED))
    except Conflict:
        logger.warning("analytics day compacted meanwhile", extra={"dataset": dataset, "day": day})
        return 0
    deps.analytics.delete(dataset, day, fresh)
    return len(fresh)


def compact(deps: Deps, today: date, days: int = COMPACT_DAYS) -> dict[str, int]:
    """Compact the last `days` days (today included) of every dataset; the batches merged per dataset."""
    merged = {dataset: 0 for dataset in DATASETS}
    recent = [(today - timedelta(days=offset)).isoformat() for offset in range(days)]
    for dataset in DATASETS:  # one listing per dataset; only days with files are looked at
        for day, listed in deps.analytics.files_by_day(dataset, recent).items():
            merged[dataset] += compact_day(deps, dataset, day, listed)
    for dataset, count in merged.items():
        if count:
            metrics.add_metric(name=f"Analytics{dataset.title()}Compacted", unit="Count", value=count)
    logger.info("analytics compacted", extra=merged)
    return merged
