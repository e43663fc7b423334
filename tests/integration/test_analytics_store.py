"""The analytics store's S3 adapter under moto: what compaction relies on (a conditional replace of the
compacted file, deletes) and what a report does when a compaction deletes a batch it had listed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from shared.adapters.analytics_store import S3AnalyticsStore
from shared.analytics.records import CASES, COMPACTED
from shared.errors import Conflict

DAY = "2026-11-17"


@pytest.fixture
def store() -> Iterator[S3AnalyticsStore]:
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-west-1")
        s3.create_bucket(Bucket="analytics", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        yield S3AnalyticsStore("analytics", client=s3)


def test_the_compacted_file_is_replaced_only_if_it_is_still_the_version_read(store: S3AnalyticsStore) -> None:
    store.replace(CASES, DAY, COMPACTED, b"first", expected=None)
    with pytest.raises(Conflict):
        store.replace(CASES, DAY, COMPACTED, b"again", expected=None)  # it exists now
    tag = store.files(CASES, DAY)[COMPACTED]
    store.replace(CASES, DAY, COMPACTED, b"second", expected=tag)
    with pytest.raises(Conflict):
        store.replace(CASES, DAY, COMPACTED, b"third", expected=tag)  # another run replaced it meanwhile


def test_a_batch_deleted_after_the_listing_is_skipped_by_a_report(
    store: S3AnalyticsStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.put(CASES, DAY, "b1", b"batch one")
    store.put(CASES, DAY, "b2", b"batch two")
    store.replace(CASES, DAY, COMPACTED, b"merged", expected=None)
    listing = store._listing

    def listed_then_compacted(dataset: str, days: Any) -> dict[str, dict[str, str]]:
        listed = listing(dataset, days)
        store.delete(dataset, DAY, ["b1"])  # a compaction merged it into the compacted file meanwhile
        return listed

    monkeypatch.setattr(store, "_listing", listed_then_compacted)
    paths: list[Any] = store.fetch(CASES, [DAY], tmp_path)
    assert sorted(p.read_bytes() for p in paths) == [b"batch two", b"merged"]
