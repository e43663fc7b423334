"""Finding things (issue #10): the cases table's stream feeds the indexer (off the request's path), the
indexer keeps the DynamoDB search index current (shared/adapters/search_dynamo.py: the engine of a
deployed stack), and GET /api/search finds cases by customer name, email, phone, order number and words,
filtered and most urgent first; saved views per agent. The real handlers under moto, each with its own
environment and role."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.integration.conftest import stream_drain
from tests.integration.test_approvals_reviews import AGENT, SUPERVISOR, as_, claimed_case, join_care
from tests.integration.test_case_lifecycle import comment, deliver

OTHER_AGENT = ("robin@heard.local", "agent")
_drains: dict[str, Callable[[], int]] = {}  # one stream position per test's stream, as Lambda keeps one


@pytest.fixture(autouse=True)
def _care(aws: Any, lambda_context: Any) -> None:
    join_care(lambda_context, AGENT)


def index_changes(aws: Any, context: Any) -> int:
    """Deliver the cases table's stream to the indexer (Lambda's stream mapping; the local runner's poller)."""
    arn = aws.resolve["cases:stream"]
    if arn not in _drains:
        _drains[arn] = stream_drain(aws, context, "indexer")
    return _drains[arn]()


def found(ctx: Any, who: tuple[str, str] = AGENT, **query: Any) -> list[str]:
    status, answer = as_(who, "GET", "/api/search?" + urlencode(query), ctx)
    assert status == 200, answer
    return [hit["case_id"] for hit in answer["items"]]


def test_cases_are_found_by_order_number_email_phone_name_and_words(aws, lambda_context, at_tuesday_morning):
    # Given two customers' comments, one giving an order number, an email and a phone number
    deliver(
        [
            comment(
                platform_id="c-1",
                text="Order #A-48213 never came. Reach me at jo@example.com or +44 7700 900123",
            ),
            comment(platform_id="c-2", author_id="cust-2", text="Love the new blue trainers!"),
        ],
        aws,
        lambda_context,
    )
    # When the cases table's stream has reached the indexer
    assert index_changes(aws, lambda_context) >= 2
    # Then each way of finding the first case finds it, and only it
    first = found(lambda_context, q="A-48213")
    assert len(first) == 1
    assert found(lambda_context, q="order 48213") == []  # "A-48213" is one order number, not "48213"
    assert found(lambda_context, q="JO@example.com") == first
    assert found(lambda_context, q="07700 900123") == first
    assert len(found(lambda_context, q="jo cust")) == 2  # both are "Jo Customer": the start of words
    assert found(lambda_context, q="jo custom trainers") != first
    assert found(lambda_context, q="never came") == first
    both = found(lambda_context)
    assert len(both) == 2 and first[0] in both
    # and the stored text keeps none of the contact details
    _, detail = as_(AGENT, "GET", f"/api/cases/{first[0]}", lambda_context)
    assert "jo@example.com" not in json.dumps(detail) and "7700" not in json.dumps(detail)


def test_changes_reach_the_index_and_filters_and_order_apply(aws, lambda_context, at_tuesday_morning):
    # Given a complaint and a praise, the complaint claimed, tagged and resolved by the agent
    deliver([comment(platform_id="c-1")], aws, lambda_context)
    case_id = claimed_case(AGENT, lambda_context)
    deliver(
        [comment(platform_id="c-2", author_id="cust-2", text="Thanks, great service!")], aws, lambda_context
    )
    as_(AGENT, "PUT", f"/api/cases/{case_id}/tags", lambda_context, {"tags": ["Courier"]})
    index_changes(aws, lambda_context)
    # Then the filters see the case as it is now
    assert found(lambda_context, owner="me") == [case_id]
    assert found(lambda_context, tag="courier") == [case_id]
    assert found(lambda_context, status="assigned", category="complaint") == [case_id]
    assert case_id not in found(lambda_context, status="queued")
    assert found(lambda_context, owner="me", sla="on_time") == [case_id]
    # the complaint (priority higher) comes first by default
    assert found(lambda_context)[0] == case_id
    # and once resolved it falls behind the open case
    as_(AGENT, "POST", f"/api/cases/{case_id}/resolve", lambda_context, {})
    index_changes(aws, lambda_context)
    assert found(lambda_context)[-1] == case_id
    assert found(lambda_context, status="resolved", opened_from="2026-11-17", opened_to="2026-11-17") == [
        case_id
    ]
    assert found(lambda_context, opened_from="2026-11-18") == []


def test_bad_filters_are_refused_naming_them(aws, lambda_context, at_tuesday_morning):
    for query in ("sort=random", "sla=late", "priority=9", "status=open", "opened_from=yesterday", "limit=0"):
        status, answer = as_(AGENT, "GET", f"/api/search?{query}", lambda_context)
        assert status == 422, query
        assert answer["detail"], query
    status, answer = as_(
        AGENT, "GET", "/api/search?opened_from=2026-11-18&opened_to=2026-11-17", lambda_context
    )
    assert status == 422 and "opened_from" in answer["message"]


def test_saved_views_are_each_agents_own(aws, lambda_context, at_tuesday_morning):
    view = {"name": "My breached", "query": {"owner": "me", "sla": "breached", "sort": "sla_due"}}
    status, answer = as_(AGENT, "POST", "/api/search/views", lambda_context, view)
    assert status == 201
    view_id = answer["view"]["view_id"]
    assert as_(AGENT, "POST", "/api/search/views", lambda_context, view)[0] == 422  # the name is taken
    assert (
        as_(AGENT, "POST", "/api/search/views", lambda_context, {"name": "x", "query": {"sla": "late"}})[0]
        == 422
    )
    _, mine = as_(AGENT, "GET", "/api/search/views", lambda_context)
    assert [(v["name"], v["query"]["sla"]) for v in mine["items"]] == [("My breached", "breached")]
    # another agent sees none of them and cannot delete them
    assert as_(OTHER_AGENT, "GET", "/api/search/views", lambda_context)[1]["items"] == []
    assert as_(OTHER_AGENT, "DELETE", f"/api/search/views/{view_id}", lambda_context)[0] == 404
    assert as_(AGENT, "DELETE", f"/api/search/views/{view_id}", lambda_context)[0] == 204
    assert as_(AGENT, "GET", "/api/search/views", lambda_context)[1]["items"] == []
    assert as_(SUPERVISOR, "DELETE", "/api/search/views/not-an-id", lambda_context)[0] == 422
