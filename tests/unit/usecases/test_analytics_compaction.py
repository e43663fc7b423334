"""Compaction of the analytics store: each day's stream batches merged into one file per dataset (each case
at its newest snapshot, each entry once), with the reports' numbers unchanged and later changes still seen."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.analytics.records import CASES, COLUMNS, COMPACTED, INTERACTIONS
from shared.models.case import CaseStatus
from shared.usecases import analytics, reports
from tests.unit.domain.test_casework_rules import NOW, case

START, END = NOW - timedelta(days=1), NOW + timedelta(days=1)
DAY = NOW.date().isoformat()


def entry(case_id: str, entry_id: str, kind: str, minutes: int) -> dict[str, object]:
    at = (NOW + timedelta(minutes=minutes)).isoformat()
    return {
        "type": "entry",
        "case_id": case_id,
        "entry_id": entry_id,
        "kind": kind,
        "at": at,
        "actor": "customer",
    }


@pytest.fixture
def store(world, now):
    """Three batches: cases opened, then answered and resolved (newer versions), and their timeline
    entries, one of them delivered twice."""
    now["now"] = NOW + timedelta(hours=12)
    opened = [case(case_id=f"c{i}", version=1, status=CaseStatus.QUEUED, resolved_at=None) for i in range(4)]
    world.analytics.record_cases(world.deps, opened, batch="b1")
    world.analytics.record_cases(world.deps, [case(case_id=f"c{i}", version=3) for i in range(3)], batch="b2")
    entries = [entry(f"c{i}", f"e{i}", "message_in", i) for i in range(4)]
    analytics.record(world.deps, [*entries, entry("c0", "e9", "reply", 20)], "b3")
    analytics.record(world.deps, [entries[0]], "b4")  # a retried stream batch
    return world


def summary(world) -> dict:
    return reports.overview(world.deps, start=START, end=END)


def names(world, dataset: str) -> list[str]:
    return sorted(world.analytics.files(dataset, DAY))


def test_a_day_becomes_one_file_per_dataset_with_the_same_numbers(store):
    before = summary(store)
    assert analytics.compact(store.deps, NOW.date(), days=3) == {CASES: 2, INTERACTIONS: 2}
    assert names(store, CASES) == [COMPACTED] and names(store, INTERACTIONS) == [COMPACTED]
    after = summary(store)
    assert after == before
    assert after["cases"] == 4 and after["resolved"] == 3
    assert sum(h["messages_in"] for h in after["by_hour"]) == 4  # e0 once, though written twice


def test_compacting_again_changes_nothing(store):
    analytics.compact(store.deps, NOW.date(), days=3)
    objects = dict(store.analytics.objects)
    assert analytics.compact(store.deps, NOW.date(), days=3) == {CASES: 0, INTERACTIONS: 0}
    assert store.analytics.objects == objects


def test_a_case_changed_after_compaction_counts_at_its_new_version_before_and_after_the_next_run(store):
    analytics.compact(store.deps, NOW.date(), days=3)
    store.analytics.record_cases(store.deps, [case(case_id="c3", version=4)], batch="b5")
    assert summary(store)["resolved"] == 4  # compacted c3 (queued) + its newer fresh snapshot
    assert analytics.compact(store.deps, NOW.date(), days=3)[CASES] == 1
    assert names(store, CASES) == [COMPACTED]
    assert summary(store)["resolved"] == 4


def test_a_stale_snapshot_arriving_late_loses_to_the_compacted_newer_one(store):
    analytics.compact(store.deps, NOW.date(), days=3)
    stale = case(case_id="c0", version=2, status=CaseStatus.QUEUED, resolved_at=None)
    store.analytics.record_cases(store.deps, [stale], batch="b0")  # an older batch, retried late
    assert summary(store)["resolved"] == 3
    analytics.compact(store.deps, NOW.date(), days=3)
    assert summary(store)["resolved"] == 3 and names(store, CASES) == [COMPACTED]
    drilled = reports.drill(store.deps, "resolved", start=START, end=END)
    assert sorted(r["case_id"] for r in drilled) == ["c0", "c1", "c2"]


def test_a_filter_sees_each_case_as_its_newest_snapshot_is_not_as_an_older_one_was(store):
    analytics.compact(store.deps, NOW.date(), days=3)
    store.analytics.record_cases(store.deps, [case(case_id="c3", version=4, team="billing")], batch="b5")
    billing = reports.overview(store.deps, start=START, end=END, filters={"team": "billing"})
    care = reports.overview(store.deps, start=START, end=END, filters={"team": "care"})
    assert (billing["cases"], care["cases"]) == (1, 3)  # c3 moved to billing after it was compacted
    stale = case(case_id="c0", version=2, status=CaseStatus.QUEUED, resolved_at=None, team="billing")
    store.analytics.record_cases(store.deps, [stale], batch="b0")  # older than c0's compacted snapshot
    billing = reports.overview(store.deps, start=START, end=END, filters={"team": "billing"})
    assert billing["cases"] == 1 and billing["resolved"] == 1


def test_a_day_compacted_meanwhile_by_another_run_keeps_its_batches(store, monkeypatch):
    # Given another compaction writes the day's compacted file between this one's listing and its write
    listing = store.analytics.files

    def listed_then_overtaken(dataset: str, day: str) -> dict[str, str]:
        found = listing(dataset, day)
        store.analytics.objects[(dataset, day, COMPACTED)] = b"another run's file"
        return found

    monkeypatch.setattr(store.analytics, "files", listed_then_overtaken)
    # Then this one writes nothing and deletes nothing
    assert analytics.compact_day(store.deps, CASES, DAY) == 0
    assert {"b1", "b2"} <= set(listing(CASES, DAY))


def test_only_the_recent_days_are_compacted(store):
    assert analytics.compact(store.deps, NOW.date() + timedelta(days=5), days=3) == {
        CASES: 0,
        INTERACTIONS: 0,
    }
    assert COMPACTED not in names(store, CASES)


def test_a_compacted_file_has_exactly_the_glue_tables_columns(store, tmp_path):
    # The Glue tables (infra/constructs/analytics.py) are built from COLUMNS; the compacted file sits in the
    # same partition folder, so Athena reads it with the same table definition.
    import duckdb

    analytics.compact(store.deps, NOW.date(), days=3)
    for dataset in (CASES, INTERACTIONS):
        path = tmp_path / f"{dataset}.parquet"
        path.write_bytes(store.analytics.objects[(dataset, DAY, COMPACTED)])
        described = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
        assert [(name, kind) for name, kind, *_ in described] == list(COLUMNS[dataset].items())
