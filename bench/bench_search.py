"""Search at a busy brand's volume (issue #10): a million messages in the embedded engine (SQLite FTS5,
the same `SqliteSearchIndex` the local stack uses), then the searches agents make, timed.

Synthetic and seeded: CASES cases of MESSAGES_PER_CASE messages each (12-20 words drawn from a
10,000-word vocabulary with a Zipf-like skew, so common words have long postings), each case with a
customer name, a handle, an order number and a contact key; statuses, teams, priorities and SLA times
spread as on a real desk. The searches: an order number, an email (its key), a name, two words, one
common word, a filter-only list (status + team, most urgent first), and words with filters. Each kind is
run QUERIES times; p50/p95 per kind and overall are reported beside a primary-key lookup in the same run
(the ratio is what to compare across machines). Target: p95 under 1 s.

The DynamoDB adapter (a deployed stack's engine) is measured under moto, in process, on a smaller corpus
(`HEARD_BENCH_SEARCH_DDB_CASES`, default 200 cases = 800 messages: moto sorts a whole table on every
Query): what carries over to AWS is the number of calls per search (Query and BatchGetItem, what DynamoDB
bills and what sets the latency: a search's calls run 8 at a time) and the items written per new case;
its milliseconds are moto's Python, not DynamoDB's (docs/scaling.md has the AWS arithmetic).

`python -m bench search` (about two minutes on one core; `HEARD_BENCH_SEARCH_CASES` makes it smaller).
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from shared.adapters.search_dynamo import DynamoSearchIndex
from shared.adapters.search_sqlite import SqliteSearchIndex
from shared.models.search import SearchDoc, SearchQuery, SlaState, SortOrder
from shared.rules.search_match import doc_terms
from shared.rules.search_terms import email_key, order_key

MESSAGES_PER_CASE = 4
CASES = int(os.environ.get("HEARD_BENCH_SEARCH_CASES", "250000"))  # x 4 = 1,000,000 messages
DDB_CASES = int(os.environ.get("HEARD_BENCH_SEARCH_DDB_CASES", "200"))
QUERIES = 200
DDB_QUERIES = 5
TARGET_P95_MS = 1000.0
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
TEAMS = ("care", "billing", "delivery", "social", "vip")
FIRST = ("jo", "sam", "alex", "maria", "li", "ahmed", "noor", "pat", "kim", "lee", "ana", "tom")
LAST = ("smith", "garcia", "chen", "khan", "novak", "silva", "ito", "brown", "diaz", "kowalski")


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(10_000)]
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(words))]
    return words, weights


def _doc(i: int, rng: random.Random, words: list[str], weights: list[float]) -> SearchDoc:
    opened = NOW - timedelta(minutes=rng.randint(0, 90 * 24 * 60))
    status = rng.choices(("queued", "assigned", "resolved"), weights=(1, 2, 7))[0]
    text = "\n".join(
        " ".join(rng.choices(words, weights, k=rng.randint(12, 20))) for _ in range(MESSAGES_PER_CASE)
    )
    due = opened + timedelta(minutes=rng.randint(-30, 120)) if status != "resolved" else None
    return SearchDoc(
        case_id=f"case{i:09d}",
        status=status,
        team=rng.choice(TEAMS),
        owner=None if status == "queued" else f"agent{rng.randint(1, 200)}@heard.local",
        priority=rng.randint(1, 4),
        category=rng.choice(("complaint", "question", "praise", "feedback", "other")),
        sentiment=rng.choice(("negative", "neutral", "positive")),
        platform=rng.choice(("facebook", "instagram", "x", "whatsapp", "messenger")),
        channel="comment",
        tags=rng.sample(["vip", "refund", "courier", "press"], k=rng.randint(0, 2)),
        opened_at=opened,
        updated_at=opened + timedelta(minutes=5),
        last_customer_at=opened,
        reply_due=due,
        sla_breached=due is not None and due < NOW,
        customer_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        customer_handle=f"user{i}",
        customer_id=str(10**12 + i),
        customer_key=f"facebook#{10**12 + i}",
        summary=text[:120],
        words=text,
        keys=[order_key(f"{i:08d}"), email_key(f"customer{i}@example.com")],
    )


def build(path: Path, cases: int) -> tuple[SqliteSearchIndex, list[str], list[float], float]:
    rng = random.Random(20261203)
    words, weights = _vocabulary(rng)
    index = SqliteSearchIndex(str(path))
    index.db.execute("PRAGMA synchronous = OFF")  # building only; a power cut here loses a benchmark
    started = time.perf_counter()
    for start in range(0, cases, 5000):  # the adapter's batch path: one transaction per 5,000 cases
        index.put_many([_doc(i, rng, words, weights) for i in range(start, min(cases, start + 5000))])
    return index, words, weights, time.perf_counter() - started


def _queries(
    cases: int, words: list[str], weights: list[float]
) -> dict[str, Callable[[random.Random], SearchQuery]]:
    def two_words(rng: random.Random) -> SearchQuery:
        return SearchQuery(text=" ".join(rng.choices(words[50:2000], k=2)))

    return {
        "order_number": lambda rng: SearchQuery(text=f"order #{rng.randrange(cases):08d}"),
        "email": lambda rng: SearchQuery(text=f"customer{rng.randrange(cases)}@example.com"),
        "name": lambda rng: SearchQuery(text=f"{rng.choice(FIRST)} {rng.choice(LAST)}"),
        "two_words": two_words,
        "common_word": lambda rng: SearchQuery(text=rng.choice(words[:20])),
        "filters_only": lambda rng: SearchQuery(
            status="queued", team=rng.choice(TEAMS), sort=SortOrder.URGENT
        ),
        "words_and_filters": lambda rng: SearchQuery(
            text=rng.choice(words[100:3000]), status="assigned", sla=SlaState.BREACHED, sort=SortOrder.SLA_DUE
        ),
    }


def _time(action: Callable[[Any], Any], argument: Any) -> float:
    started = time.perf_counter()
    action(argument)
    return (time.perf_counter() - started) * 1000


def _lookup(index: SqliteSearchIndex, case_id: str) -> Any:
    return index.db.execute("SELECT body FROM docs WHERE case_id = ?", (case_id,)).fetchone()


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def run(args: Any = None) -> dict[str, Any]:
    return {**run_embedded(), "dynamodb": run_dynamodb()}


def run_embedded() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        index, words, weights, build_s = build(Path(folder) / "search.db", CASES)
        rng = random.Random(7)
        kinds: dict[str, dict[str, float]] = {}
        everything: list[float] = []
        for name, make in _queries(CASES, words, weights).items():
            times = [_time(lambda q: index.search(q, NOW), make(rng)) for _ in range(QUERIES)]
            everything += times
            kinds[name] = {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(_p95(times), 2)}
        lookup = [
            _time(lambda c: _lookup(index, c), f"case{rng.randrange(CASES):09d}") for _ in range(QUERIES)
        ]
        size_mb = (Path(folder) / "search.db").stat().st_size / 1e6
    p95 = _p95(everything)
    return {
        "cases": CASES,
        "messages": CASES * MESSAGES_PER_CASE,
        "build_seconds": round(build_s, 1),
        "database_mb": round(size_mb, 1),
        "kinds": kinds,
        "p95_ms": round(p95, 2),
        "baseline_lookup_p50_ms": round(statistics.median(lookup), 3),
        "p95_over_lookup": round(p95 / max(statistics.median(lookup), 1e-6), 1),
        "target_p95_ms": TARGET_P95_MS,
        "ok": p95 < TARGET_P95_MS,
    }


def _search_table(client: Any) -> str:
    """The search table as the wiring declares it (keys and the status index)."""
    from infra.local.resources import table_request
    from infra.wiring import heard

    client.create_table(**table_request(next(t for t in heard().tables if t.id == "search"), "search"))
    return "search"


def _timed_calls(index: DynamoSearchIndex, query: SearchQuery) -> tuple[float, int]:
    before = index.queries
    elapsed = _time(lambda q: index.search(q, NOW), query)
    return elapsed, index.queries - before


def run_dynamodb() -> dict[str, Any]:
    """The DynamoDB adapter under moto: calls per search (what carries over to AWS) and items per case."""
    import boto3
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        index = DynamoSearchIndex(_search_table(client), client=client)
        rng = random.Random(20261203)
        words, weights = _vocabulary(rng)
        started, postings = time.perf_counter(), 0
        for i in range(DDB_CASES):
            doc = _doc(i, rng, words, weights)
            postings += len(doc_terms(doc))
            index.put(doc)
        build_s = time.perf_counter() - started
        rng = random.Random(7)
        kinds: dict[str, dict[str, float]] = {}
        for name, make in _queries(DDB_CASES, words, weights).items():
            measured = [_timed_calls(index, make(rng)) for _ in range(DDB_QUERIES)]
            times = [t for t, _ in measured]
            kinds[name] = {
                "calls_per_search": max(c for _, c in measured),
                "moto_p50_ms": round(statistics.median(times), 1),
                "moto_p95_ms": round(_p95(times), 1),
            }
    return {
        "cases": DDB_CASES,
        "messages": DDB_CASES * MESSAGES_PER_CASE,
        "postings_per_case": round(postings / DDB_CASES, 1),
        # GetItem of TERMS, the postings (BatchWriteItem, 25 a call), TERMS and DOC put (+1 GSI write)
        "items_written_per_new_case": round(postings / DDB_CASES + 3, 1),
        "moto_build_seconds": round(build_s, 1),
        "kinds": kinds,
        "max_calls_per_search": max(k["calls_per_search"] for k in kinds.values()),
    }
