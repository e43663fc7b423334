"""Spike detection (R15): is the last bucket's volume far above its recent baseline?

Pure: the spikes use case reads counters per 5-minute bucket and hands them in. A series (a topic's
volume, negative posts, all posts) spikes when its last bucket reaches every one of: an absolute minimum
(quiet series never alert), mean + k standard deviations of the baseline (unusual for this series), and
a multiple of the baseline mean (a flat baseline has sd 0, so k*sd alone would alert on +1).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

BUCKET = timedelta(minutes=5)
BASELINE_BUCKETS = 12  # one hour of history
NEGATIVE = "negative"  # the series of negative posts (whatever their topic)
ALL = "all"  # every inbound message
TOPIC_PREFIX = "topic:"


@dataclass(frozen=True)
class SpikeRule:
    min_count: int = 20
    k: float = 3.0
    factor: float = 2.0


@dataclass(frozen=True)
class Spike:
    series: str
    count: int
    baseline_mean: float
    baseline_sd: float
    threshold: float


def bucket_start(at: datetime) -> datetime:
    """The start of the 5-minute bucket containing `at` (UTC)."""
    at = at.astimezone(UTC)
    return at.replace(minute=at.minute - at.minute % 5, second=0, microsecond=0)


def last_complete_bucket(now: datetime) -> datetime:
    return bucket_start(now) - BUCKET


def baseline_buckets(last: datetime, n: int = BASELINE_BUCKETS) -> list[datetime]:
    """The n buckets before `last`, oldest first."""
    return [last - BUCKET * i for i in range(n, 0, -1)]


def threshold(baseline: Sequence[int], rule: SpikeRule) -> tuple[float, float, float]:
    """(mean, population sd, threshold) of a baseline; missing buckets count as 0."""
    n = len(baseline)
    mean = sum(baseline) / n if n else 0.0
    sd = math.sqrt(sum((x - mean) ** 2 for x in baseline) / n) if n else 0.0
    return mean, sd, max(float(rule.min_count), mean + rule.k * sd, rule.factor * mean)


DEFAULT_RULE = SpikeRule()


def detect(
    last: Mapping[str, int], baseline: Sequence[Mapping[str, int]], rule: SpikeRule = DEFAULT_RULE
) -> list[Spike]:
    """Every series whose last-bucket count reaches its threshold, biggest surprise first."""
    spikes = []
    for series, count in last.items():
        history = [bucket.get(series, 0) for bucket in baseline]
        mean, sd, limit = threshold(history, rule)
        if count >= limit:
            spikes.append(Spike(series, int(count), round(mean, 2), round(sd, 2), round(limit, 2)))
    return sorted(spikes, key=lambda s: (-(s.count / max(s.threshold, 1.0)), s.series))
