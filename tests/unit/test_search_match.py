"""The terms the DynamoDB search index posts a case under and looks a searcher's text up by (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.models.search import SearchDoc, SearchQuery, SlaState, SortOrder
from shared.rules.search_match import doc_terms, matches, ordered, search_terms, tokens
from shared.rules.search_terms import email_key, order_key

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def doc(case_id: str, **changes: object) -> SearchDoc:
    base = SearchDoc(
        case_id=case_id,
        status="queued",
        team="care",
        priority=2,
        category="complaint",
        sentiment="negative",
        platform="facebook",
        channel="comment",
        opened_at=NOW - timedelta(hours=2),
        updated_at=NOW - timedelta(hours=1),
        last_customer_at=NOW - timedelta(hours=2),
        customer_name="Ana Müller",
        customer_handle="ana_m",
        customer_id="123",
        customer_key="facebook#123",
        words="The parcel is late, order #A-48213",
        keys=[order_key("A-48213")],
    )
    return base.model_copy(update=changes)


def test_words_are_folded_split_and_kept_once_without_the_commonest():
    assert tokens("The Müller-Lüdenscheid parcel is the parcel, x") == ["muller", "ludenscheid", "parcel"]


def test_a_case_is_posted_under_its_customer_its_words_and_its_keys():
    terms = doc_terms(doc("c1"))
    assert {"w:ana", "w:muller", "w:ana_m"} - terms == {"w:ana_m"}  # a handle splits at "_"
    assert {"w:ana", "w:m", "w:parcel", "w:48213", f"k:{order_key('A-48213')}"} - terms == {"w:m"}
    assert "w:the" not in terms and "w:is" not in terms


def test_a_searchers_text_becomes_keys_and_word_prefixes():
    assert search_terms("order #A-48213") == [f"k:{order_key('A-48213')}"]
    assert search_terms("JO@example.com parcel") == [f"k:{email_key('jo@example.com')}", "w:parcel"]
    assert search_terms("A-48213") == ["w:48213"]  # one-letter parts are not indexed, so not looked for
    assert search_terms("the Müller") == ["w:muller"]
    assert search_terms("") == []


def test_filters_and_orders_follow_the_query():
    breached = doc("c1", reply_due=NOW - timedelta(minutes=5), sla_breached=True, priority=3)
    soon = doc("c2", reply_due=NOW + timedelta(minutes=5), priority=1, tags=["VIP"])
    done = doc("c3", status="resolved", priority=1)
    assert matches(breached, SearchQuery(sla=SlaState.BREACHED), NOW)
    assert not matches(done, SearchQuery(sla=SlaState.BREACHED), NOW)
    assert matches(soon, SearchQuery(sla=SlaState.AT_RISK, tag="vip"), NOW)
    assert matches(done, SearchQuery(sla=SlaState.NONE, status="resolved"), NOW)
    assert not matches(done, SearchQuery(opened_from=NOW - timedelta(hours=1)), NOW)
    assert [d.case_id for d in ordered([done, breached, soon], SortOrder.URGENT)] == ["c2", "c1", "c3"]
    assert [d.case_id for d in ordered([done, breached, soon], SortOrder.SLA_DUE)] == ["c1", "c2", "c3"]
