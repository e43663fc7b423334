"""Spike detection (R15): count inbound messages per topic and negative ones; alert when one surges.

Intake calls `record` once per new customer message: one UpdateItem (ADD) on a counter item sharded
32 ways (the adapter picks the shard), so a viral 10,000 messages/s spreads over 32 partitions' worth of keys. The `spikes`
function runs every 5 minutes, compares the last complete bucket with the hour before it
(shared/rules/spikes.py) and, for each spike, records a suggestion to declare a crisis (once per bucket
and series) and alerts the crisis contacts through SNS, unless an active crisis already covers it.
"""

from __future__ import annotations

from datetime import datetime

from shared import clock
from shared.errors import Unavailable
from shared.ids import stable_id
from shared.models.crisis import SpikeSuggestion
from shared.models.triage import Sentiment, Triage
from shared.observability import logger, metrics
from shared.rules.spikes import (
    ALL,
    DEFAULT_RULE,
    NEGATIVE,
    TOPIC_PREFIX,
    SpikeRule,
    baseline_buckets,
    bucket_start,
    detect,
    last_complete_bucket,
)
from shared.usecases import crisis as crises
from shared.usecases.deps import Deps


def series_of(triage: Triage) -> list[str]:
    series = [ALL, TOPIC_PREFIX + triage.topic]
    if triage.sentiment is Sentiment.NEGATIVE:
        series.append(NEGATIVE)
    return series


def record(deps: Deps, triage: Triage, now: datetime) -> None:
    """Count one inbound message. A failed count is logged, never fails the message: counts are a signal,
    and a retried message would only count twice."""
    try:
        deps.crises.count(bucket_start(now), series_of(triage), now)
    except Unavailable as error:
        metrics.add_metric(name="SpikeCountFailed", unit="Count", value=1)
        logger.warning("spike counter not updated", extra={"error": str(error)})


def _covered_by(deps: Deps, series: str) -> str | None:
    active = crises.active(deps)
    if series.startswith(TOPIC_PREFIX):
        topic = series.removeprefix(TOPIC_PREFIX)
        return next((c.crisis_id for c in active if topic in c.topics), None)
    return active[0].crisis_id if active else None  # volume or negativity while a crisis is already declared


def contacts(deps: Deps) -> list[str]:
    """Who hears about a spike: every crisis type's point person and backup."""
    config = deps.config.get()
    return sorted({p for c in config.crisis_types for p in (c.point_person, c.backup)})


def detect_and_alert(deps: Deps, rule: SpikeRule = DEFAULT_RULE) -> list[SpikeSuggestion]:
    """Look at the last complete bucket; record and alert each new spike. Returns the new suggestions."""
    now = clock.now()
    last = last_complete_bucket(now)
    baseline = baseline_buckets(last)
    counts = deps.crises.counts([*baseline, last])
    found = detect(counts[last], [counts[b] for b in baseline], rule)
    recorded: list[SpikeSuggestion] = []
    notify = contacts(deps)
    for spike in found:
        covered = _covered_by(deps, spike.series)
        suggestion = SpikeSuggestion(
            suggestion_id=stable_id("s", last, spike.series),
            series=spike.series,
            bucket=last,
            count=spike.count,
            baseline_mean=spike.baseline_mean,
            baseline_sd=spike.baseline_sd,
            threshold=spike.threshold,
            detected_at=now,
            notified=[] if covered else notify,
            covered_by=covered,
        )
        if not deps.crises.add_suggestion(suggestion):
            continue  # this bucket was already looked at (a retried or overlapping run)
        recorded.append(suggestion)
        metrics.add_metric(name="SpikeDetected", unit="Count", value=1)
        logger.warning(
            "spike detected",
            extra={
                "series": spike.series,
                "count": spike.count,
                "baseline_mean": spike.baseline_mean,
                "covered_by": covered,
            },
        )
        if covered:
            continue
        deps.alerts.notify(
            subject=f"Spike in {spike.series}: {spike.count} in 5 minutes; consider declaring a crisis",
            detail={
                "suggestion_id": suggestion.suggestion_id,
                "series": spike.series,
                "count": spike.count,
                "bucket": clock.iso(last),
                "baseline_mean": spike.baseline_mean,
                "baseline_sd": spike.baseline_sd,
                "threshold": spike.threshold,
                "notify": notify,
                "suggestion": "Consider declaring a crisis: POST /api/crises",
            },
            kind="spike",
        )
    return recorded


def suggestions(deps: Deps, limit: int = 50) -> list[SpikeSuggestion]:
    return deps.crises.list_suggestions(limit)
