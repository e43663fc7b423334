"""The two engines behind the SearchIndex port answer alike: the same documents in the embedded engine
(SQLite FTS5, the local stack's) and in the DynamoDB adapter (a deployed stack's, under moto), the same
searches, the same cases in the same order. And the DynamoDB adapter keeps its postings exact: a case
that loses a word, or leaves, is no longer found by it, and an older state never replaces a newer one."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.local.resources import table_request
from infra.wiring import heard
from shared.adapters.search_dynamo import DynamoSearchIndex
from shared.adapters.search_sqlite import SqliteSearchIndex
from shared.models.search import SearchDoc, SearchQuery, SlaState, SortOrder
from shared.rules.search_terms import email_key, order_key

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
WORDS = ("parcel", "refund", "late", "broken", "courier", "thanks", "trainers", "blue", "zip", "müller")
NAMES = ("jo customer", "sam smith", "ana müller", "li chen")


def search_table() -> str:
    spec = next(t for t in heard().tables if t.id == "search")
    boto3.client("dynamodb", region_name="eu-west-1").create_table(**table_request(spec, "search"))
    return "search"


@pytest.fixture
def engines() -> Iterator[tuple[SqliteSearchIndex, DynamoSearchIndex]]:
    with mock_aws():
        dynamo = DynamoSearchIndex(search_table(), client=boto3.client("dynamodb", region_name="eu-west-1"))
        yield SqliteSearchIndex(":memory:"), dynamo


def doc(i: int, rng: random.Random, **changes: Any) -> SearchDoc:
    opened = NOW - timedelta(hours=i + 1)
    status = rng.choice(("queued", "assigned", "resolved"))
    due = opened + timedelta(minutes=rng.randint(-60, 600)) if status != "resolved" else None
    base = SearchDoc(
        case_id=f"c{i:04d}",
        version=1,
        status=status,
        team=rng.choice(("care", "billing")),
        owner=None if status == "queued" else rng.choice(("a@heard.local", "b@heard.local")),
        priority=rng.randint(1, 4),
        category=rng.choice(("complaint", "question")),
        sentiment=rng.choice(("negative", "neutral")),
        platform=rng.choice(("facebook", "x")),
        channel="comment",
        tags=rng.sample(["vip", "courier"], k=rng.randint(0, 2)),
        opened_at=opened,
        updated_at=opened + timedelta(minutes=i % 7),
        last_customer_at=opened + timedelta(seconds=i),
        reply_due=due,
        sla_breached=due is not None and due < NOW,
        customer_name=rng.choice(NAMES),
        customer_handle=f"user{i}",
        customer_id=f"id-{i}",
        customer_key=f"facebook#id-{i}",
        summary="",
        words=" ".join(rng.choices(WORDS, k=6)),
        keys=[order_key(f"A-{48000 + i}"), email_key(f"c{i}@example.com")],
    )
    return base.model_copy(update=changes)


QUERIES = [
    SearchQuery(),
    SearchQuery(text="parcel"),
    SearchQuery(text="par"),
    SearchQuery(text="muller"),
    SearchQuery(text="Ana Müller late"),
    SearchQuery(text="jo custom"),
    SearchQuery(text="order #A-48007"),
    SearchQuery(text="c12@example.com"),
    SearchQuery(text="refund", status="queued"),
    SearchQuery(team="care", sort=SortOrder.PRIORITY),
    SearchQuery(owner="a@heard.local", sort=SortOrder.NEWEST),
    SearchQuery(sla=SlaState.BREACHED),
    SearchQuery(sla=SlaState.ON_TIME, sort=SortOrder.WAITING),
    SearchQuery(sla=SlaState.NONE, priority=2),
    SearchQuery(tag="courier", category="complaint"),
    SearchQuery(platform="x", sentiment="negative"),
    SearchQuery(opened_from=NOW - timedelta(hours=20), opened_to=NOW - timedelta(hours=5)),
    SearchQuery(text="courier", limit=5, offset=5),
    SearchQuery(text="nothingmatches"),
]


def ids(page: Any) -> list[str]:
    return [d.case_id for d in page.items]


def test_both_engines_find_the_same_cases_in_the_same_order(engines):
    # Given the same 60 cases in both engines
    sqlite, dynamo = engines
    rng = random.Random(10)
    docs = [doc(i, rng) for i in range(60)]
    sqlite.put_many(docs)
    for d in docs:
        dynamo.put(d)
    # When each search is asked of both, then both answer the same cases in the same order
    for query in QUERIES:
        a, b = sqlite.search(query, NOW), dynamo.search(query, NOW)
        assert ids(a) == ids(b), query
        assert a.next_offset == b.next_offset, query
    assert ids(dynamo.search(SearchQuery(text="order #A-48007"), NOW)) == ["c0007"]
    # and the SLA order agrees as far as it is defined (cases due at the same time may come either way)
    due = SearchQuery(sort=SortOrder.SLA_DUE, limit=200)
    assert set(ids(sqlite.search(due, NOW))) == set(ids(dynamo.search(due, NOW)))


def test_a_changed_or_removed_case_is_found_only_by_what_it_holds_now(engines):
    _, dynamo = engines
    rng = random.Random(3)
    first = doc(1, rng, words="zebrafruit parcel", version=1)
    dynamo.put(first)
    assert ids(dynamo.search(SearchQuery(text="zebra"), NOW)) == ["c0001"]
    # When the case changes (version 2) and then a late indexer brings version 1 back
    dynamo.put(first.model_copy(update={"words": "parcel only", "version": 2, "keys": []}))
    dynamo.put(first)
    # Then only what version 2 holds finds it, and no posting of the lost word or key is left
    assert ids(dynamo.search(SearchQuery(text="zebra"), NOW)) == []
    assert ids(dynamo.search(SearchQuery(text="order #A-48001"), NOW)) == []
    assert ids(dynamo.search(SearchQuery(text="parcel"), NOW)) == ["c0001"]
    items = boto3.client("dynamodb", region_name="eu-west-1").scan(TableName="search")["Items"]
    assert not [i for i in items if "zebrafruit" in str(i)]
    # and a case that left (retention) leaves nothing behind
    dynamo.remove("c0001")
    assert boto3.client("dynamodb", region_name="eu-west-1").scan(TableName="search")["Items"] == []
    assert ids(dynamo.search(SearchQuery(), NOW)) == []
