"""Spike detection rules: buckets, baselines and thresholds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shared.rules.spikes import (
    BUCKET,
    SpikeRule,
    baseline_buckets,
    bucket_start,
    detect,
    last_complete_bucket,
    threshold,
)

RULE = SpikeRule(min_count=20, k=3.0, factor=2.0)


def test_buckets_are_five_minute_slots_in_utc():
    at = datetime(2026, 11, 17, 10, 7, 31, 5, tzinfo=UTC)
    assert bucket_start(at) == datetime(2026, 11, 17, 10, 5, tzinfo=UTC)
    assert last_complete_bucket(at) == datetime(2026, 11, 17, 10, 0, tzinfo=UTC)
    base = baseline_buckets(last_complete_bucket(at))
    assert len(base) == 12 and base[-1] == datetime(2026, 11, 17, 9, 55, tzinfo=UTC)
    assert base[0] == datetime(2026, 11, 17, 9, 0, tzinfo=UTC)


def test_a_surge_far_above_a_noisy_baseline_is_a_spike():
    baseline = [{"topic:delivery": n} for n in (10, 12, 9, 11, 10, 13, 8, 10, 12, 11, 9, 10)]
    spikes = detect({"topic:delivery": 60, "topic:billing": 3}, baseline, RULE)
    assert [s.series for s in spikes] == ["topic:delivery"]
    assert spikes[0].baseline_mean == 10.42 and spikes[0].count == 60


def test_a_quiet_series_never_alerts_below_the_minimum_count():
    baseline = [{}] * 12
    assert detect({"negative": 19}, baseline, RULE) == []
    assert [s.series for s in detect({"negative": 20}, baseline, RULE)] == ["negative"]


def test_a_flat_baseline_needs_a_multiple_of_its_mean_not_just_one_more():
    baseline = [{"all": 100}] * 12  # sd 0: mean + k*sd alone would alert at 101
    assert detect({"all": 150}, baseline, RULE) == []
    assert detect({"all": 200}, baseline, RULE)[0].threshold == 200


def test_missing_buckets_count_as_zero():
    mean, sd, limit = threshold([0] * 11 + [12], RULE)
    assert mean == 1.0 and round(sd, 3) == 3.317 and limit == 20


def test_biggest_surprise_comes_first():
    baseline = [{"a": 10, "b": 10}] * 12
    assert [s.series for s in detect({"a": 25, "b": 80}, baseline, RULE)] == ["b", "a"]


@given(
    st.lists(st.integers(min_value=0, max_value=10_000), min_size=12, max_size=12),
    st.integers(min_value=0, max_value=100_000),
)
def test_a_spike_is_exactly_a_count_above_the_minimum_double_the_mean_and_three_sd(history, count):
    spikes = detect({"s": count}, [{"s": h} for h in history], RULE)
    mean = sum(history) / 12
    sd = (sum((h - mean) ** 2 for h in history) / 12) ** 0.5
    unusual = count >= 20 and count >= 2 * mean and count >= mean + 3 * sd - 1e-9
    assert bool(spikes) == unusual


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=12, max_size=12))
def test_more_volume_never_turns_a_spike_off(history):
    baseline = [{"s": h} for h in history]
    seen = False
    for count in range(0, 3000, 37):
        now = bool(detect({"s": count}, baseline, RULE))
        assert now or not seen
        seen = seen or now


def test_bucket_arithmetic_is_stable_across_hours():
    at = datetime(2026, 11, 17, 23, 59, 59, tzinfo=UTC)
    assert last_complete_bucket(at) + BUCKET == bucket_start(at)
    assert bucket_start(at + timedelta(seconds=1)) == datetime(2026, 11, 18, 0, 0, tzinfo=UTC)
