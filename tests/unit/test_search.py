"""Finding cases: the words a case is found by, and the embedded engine's matching, filters and order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shared.adapters.search_sqlite import SqliteSearchIndex, match_expression
from shared.models.search import SearchDoc, SearchQuery, SlaState, SortOrder
from shared.rules.search_terms import contact_keys, email_key, order_numbers, phone_key, query_terms

NOW = datetime(2026, 11, 17, 10, 0, tzinfo=UTC)


def doc(case_id: str, **changes) -> SearchDoc:
    base = {
        "case_id": case_id,
        "status": "queued",
        "team": "care",
        "priority": 3,
        "category": "complaint",
        "sentiment": "negative",
        "platform": "facebook",
        "channel": "comment",
        "opened_at": NOW - timedelta(hours=2),
        "updated_at": NOW - timedelta(hours=1),
        "last_customer_at": NOW - timedelta(hours=1),
        "reply_due": NOW + timedelta(hours=1),
        "customer_id": f"id-{case_id}",
        "customer_key": f"facebook#id-{case_id}",
    }
    return SearchDoc.model_validate(base | changes)


def test_emails_and_phones_are_kept_only_as_digests_and_match_however_written():
    keys = contact_keys("mail me at Jo.Smith@Example.com or call +44 7700 900123, order 123456")
    assert keys == [email_key("jo.smith@example.com"), phone_key("07700 900123")]
    assert all("example" not in k and "7700" not in k for k in keys)
    assert order_numbers("my order #A-12345 and order number: 98765, not 2024") == [
        "order:a12345",
        "order:98765",
    ]


def test_a_searchers_text_becomes_exact_keys_and_word_prefixes():
    keys, words = query_terms('jo.smith@example.com "late parcel"')
    assert keys == [email_key("jo.smith@example.com")]
    assert words == ["late", "parcel"]
    assert query_terms("order 123456") == (["order:123456"], [])
    assert match_expression("") is None


@given(st.text(max_size=200))
def test_any_text_makes_a_valid_match_expression(text):
    index = SqliteSearchIndex(":memory:")
    index.put(doc("c1", words="something"))
    index.search(SearchQuery(text=text[:200]), NOW)  # never an FTS syntax error


def test_finds_by_name_handle_words_contact_and_order_and_filters():
    index = SqliteSearchIndex(":memory:")
    index.put(doc("c1", customer_name="Jo Customer", words="my parcel is late", keys=["order:123456"]))
    index.put(doc("c2", customer_handle="@sam", words="love it", keys=[email_key("sam@example.com")]))
    index.put(doc("c3", status="resolved", words="late again", tags=["vip"], platform="x"))

    def found(**query) -> list[str]:
        return [d.case_id for d in index.search(SearchQuery(**query), NOW).items]

    assert found(text="jo") == ["c1"]
    assert found(text="sam") == ["c2"]
    assert found(text="Sam@Example.com") == ["c2"]
    assert found(text="order #123456") == ["c1"]
    assert found(text="123456") == ["c1"]
    assert found(text="late") == ["c1", "c3"]  # open first
    assert found(text="late", status="resolved") == ["c3"]
    assert found(tag="vip") == ["c3"]
    assert found(platform="x") == ["c3"]
    assert found(text="nothing-like-this") == []


def test_most_urgent_first_and_the_other_orders():
    index = SqliteSearchIndex(":memory:")
    index.put(doc("low", priority=4, reply_due=NOW + timedelta(minutes=5)))
    index.put(doc("high-later", priority=1, reply_due=NOW + timedelta(hours=3)))
    index.put(doc("high-soon", priority=1, reply_due=NOW + timedelta(minutes=30)))
    index.put(doc("answered", priority=2, reply_due=None, last_customer_at=NOW - timedelta(days=1)))
    index.put(doc("breached", priority=2, sla_breached=True, reply_due=NOW - timedelta(minutes=1)))

    def order(sort: SortOrder, **query) -> list[str]:
        return [d.case_id for d in index.search(SearchQuery(sort=sort, **query), NOW).items]

    assert order(SortOrder.URGENT) == ["high-soon", "high-later", "breached", "answered", "low"]
    assert order(SortOrder.SLA_DUE)[:3] == ["breached", "low", "high-soon"]
    assert order(SortOrder.SLA_DUE)[-1] == "answered"
    assert order(SortOrder.WAITING)[-1] == "answered"
    assert order(SortOrder.URGENT, sla=SlaState.AT_RISK) == ["low"]
    assert order(SortOrder.URGENT, sla=SlaState.BREACHED) == ["breached"]
    assert order(SortOrder.URGENT, sla=SlaState.NONE) == ["answered"]


def test_a_case_indexed_again_replaces_its_document_and_pages_continue():
    index = SqliteSearchIndex(":memory:")
    for i in range(5):
        index.put(doc(f"c{i}", words="parcel"))
    index.put(doc("c0", words="refund", status="resolved"))
    first = index.search(SearchQuery(text="parcel", limit=2), NOW)
    second = index.search(SearchQuery(text="parcel", limit=2, offset=first.next_offset or 0), NOW)
    assert len(first.items) == 2 and second.next_offset is None
    assert {d.case_id for d in first.items + second.items} == {"c1", "c2", "c3", "c4"}
    assert [d.case_id for d in index.search(SearchQuery(text="refund"), NOW).items] == ["c0"]
