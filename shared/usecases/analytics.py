"""Every case change and interaction becomes an analytics record (R3), off the hot path.

The cases table's stream delivers each new item image after the write; this turns one stream batch into
one Parquet file per dataset and day. The file is named after the batch's sequence numbers, so a retried
batch overwrites its own file; readers also keep one row per case version and per entry.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from shared.analytics import engine
from shared.analytics.records import partition_day, rows_from_images
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
