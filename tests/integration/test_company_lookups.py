"""Looking up an order or the customer in the company's own systems (issue #17), through the api handler
under moto with only its own environment and role: the request is signed with the secret from Secrets
Manager, the answer validated and cut to what the case needs, the lookup recorded on the timeline without
the customer's personal data, and a failing company system is a 503 behind a circuit breaker."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from infra.local.fake_company import start_fake_company
from shared.rules.search_terms import email_key
from shared.settings import get_settings
from shared.usecases.deps import reset_default_deps
from tests.integration.test_case_lifecycle import api, comment, deliver


@pytest.fixture
def company(aws: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The fake company order system, where the api's lookups go (as the local stack points them)."""
    server = start_fake_company()
    monkeypatch.setenv("HEARD_COMPANY_API_URL", server.url)
    get_settings.cache_clear()
    reset_default_deps()
    yield server
    server.stop()


def where_is_my_order(aws: Any, context: Any, text: str = "where is my order #A-10042? it's late") -> str:
    deliver([comment("c-order", "cust-order", text)], aws, context)
    _, listing = api("GET", "/api/cases", context=context)
    return str(listing["items"][0]["case_id"])


def test_an_agent_sees_the_status_of_the_order_the_customer_wrote(
    aws, company, lambda_context, at_tuesday_morning
):
    # Given a "where is my order" case naming order A-10042
    case_id = where_is_my_order(aws, lambda_context)
    # When an agent looks it up without typing anything
    status, answer = api("POST", f"/api/cases/{case_id}/lookups", body={}, context=lambda_context)
    # Then the company system was asked for that order, with a valid signature
    assert status == 200, answer
    assert [(r["json"], r["signed"]) for r in company.received] == [
        ({"kind": "order", "value": "A-10042"}, True)
    ]
    # and the agent sees its status, carrier and tracking link; what the case does not need is dropped
    assert answer["found"] is True and answer["source"] == "https"
    order = answer["orders"][0]
    assert (order["order_number"], order["status"], order["carrier"]) == (
        "A-10042",
        "Out for delivery",
        "Parcelforce",
    )
    assert "delivery_address" not in str(answer)
    # and the timeline records the lookup: who, the order number and its status, nothing more
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    looked = [e for e in detail["timeline"] if e["kind"] == "looked_up"]
    assert len(looked) == 1 and looked[0]["actor"] == "agent@heard.local"
    assert looked[0]["text"] == "Looked up order A-10042 in the company's systems (https): Out for delivery."
    assert looked[0]["data"]["orders"] == [{"order_number": "A-10042", "status": "Out for delivery"}]
    assert "Parcelforce" not in str(looked[0]) and "tracking" not in str(looked[0])


def test_the_lookup_on_opening_a_case_is_recorded_once_not_on_every_opening(
    aws, company, lambda_context, at_tuesday_morning
):
    # Given a "where is my order" case naming order A-10042
    case_id = where_is_my_order(aws, lambda_context)
    path = f"/api/cases/{case_id}/lookups"
    # When the console looks the order up automatically on three openings of the case
    answers_seen = [api("POST", path, body={"automatic": True}, context=lambda_context) for _ in range(3)]
    # Then each opening shows the order's status, but only the first is recorded on the timeline
    assert [(s, a["orders"][0]["status"]) for s, a in answers_seen] == [(200, "Out for delivery")] * 3
    assert [a["entry"] is not None for _, a in answers_seen] == [True, False, False]
    # and an agent's own lookup of the same order is recorded (they asked)
    status, answer = api("POST", path, body={}, context=lambda_context)
    assert status == 200 and answer["entry"] is not None
    # so the timeline holds two lookups (the unchanged automatic ones added nothing)
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    assert len([e for e in detail["timeline"] if e["kind"] == "looked_up"]) == 2
    assert len(company.received) == 4


def test_an_automatic_lookup_without_an_order_number_is_a_hint_not_an_error(
    aws, company, lambda_context, at_tuesday_morning
):
    case_id = where_is_my_order(aws, lambda_context, "my parcel never came")
    status, answer = api(
        "POST", f"/api/cases/{case_id}/lookups", body={"automatic": True}, context=lambda_context
    )
    assert status == 200, answer
    assert (answer["written"], answer["value"], answer["found"], answer["entry"]) == (
        False,
        None,
        False,
        None,
    )
    assert company.received == []


def test_a_lookup_by_email_keeps_only_a_digest_of_the_email(aws, company, lambda_context, at_tuesday_morning):
    case_id = where_is_my_order(aws, lambda_context, "my parcel never came")
    body = {"kind": "email", "value": "jo.demo@example.com"}
    status, answer = api("POST", f"/api/cases/{case_id}/lookups", body=body, context=lambda_context)
    assert status == 200 and answer["customer_name"] == "Jo Demo" and len(answer["orders"]) == 2
    entry = answer["entry"]
    assert "jo.demo" not in str(entry) and "Jo Demo" not in str(entry)
    assert entry["data"]["key"] == email_key("jo.demo@example.com")
    assert entry["text"] == "Looked up the customer's email in the company's systems (https): 2 order(s)."


def test_bad_input_and_roles_are_refused_before_the_company_is_asked(
    aws, company, lambda_context, at_tuesday_morning
):
    case_id = where_is_my_order(aws, lambda_context, "my parcel never came")
    path = f"/api/cases/{case_id}/lookups"
    # No order number in the customer's messages and none typed: 422 saying so
    status, answer = api("POST", path, body={}, context=lambda_context)
    assert status == 422 and "no order number" in answer["message"]
    # A value that cannot be an order number, email or phone; an unknown kind: 422 naming the field
    for body in ({"value": "<script>"}, {"kind": "address", "value": "1 Example St"}, {"value": "A", "x": 1}):
        status, answer = api("POST", path, body=body, context=lambda_context)
        assert status == 422, body
    # A reviewer does not look customers up; an unknown case is a 404
    assert api("POST", path, role="reviewer", body={"value": "A-10042"}, context=lambda_context)[0] == 403
    assert (
        api("POST", "/api/cases/nosuchcase/lookups", body={"value": "A-10042"}, context=lambda_context)[0]
        == 404
    )
    assert company.received == []


def test_a_failing_company_system_is_a_503_and_its_breaker_opens(
    aws, company, lambda_context, at_tuesday_morning
):
    case_id = where_is_my_order(aws, lambda_context)
    path = f"/api/cases/{case_id}/lookups"
    # Given the company system slower than its 2 s timeout once, then failing twice
    company.delay(2.5)
    status, answer = api("POST", path, body={}, context=lambda_context)
    assert status == 503 and "did not answer in time" in answer["message"]
    company.delay(0)
    company.fail_next(500, times=2)
    for _ in range(2):
        status, answer = api("POST", path, body={}, context=lambda_context)
        assert status == 503 and "answered 500" in answer["message"]
    # Then the breaker is open: the next lookup fails at once without calling the company
    status, answer = api("POST", path, body={}, context=lambda_context)
    assert status == 503 and "trying again shortly" in answer["message"]
    assert len(company.received) == 3
    # and nothing was recorded on the timeline
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    assert not [e for e in detail["timeline"] if e["kind"] == "looked_up"]


def test_a_where_is_my_order_case_suggests_the_orders_live_status(
    aws, company, lambda_context, at_tuesday_morning
):
    # Given a "where is my order" case naming order 12345, which the company's system has in transit
    case_id = where_is_my_order(aws, lambda_context, "where is my order 12345? it should be here by now")
    # When an agent opens the case's suggestions
    status, found = api("GET", f"/api/cases/{case_id}/suggestions", context=lambda_context)
    # Then the first is the order's status, from the company's system, filled for the case
    assert status == 200, found
    first = found["items"][0]
    assert first["kind"] == "order" and first["order"]["status"] == "In transit"
    assert first["text"].startswith("Hi Jo, I've checked your order 12345: it is in transit with Parcelforce")
    assert first["text"].endswith("You can follow it here: https://tracking.example.com/12345")
    assert first["why"] == "from the company's order system (https): order 12345 is In transit"
    # and suggestions add nothing to the timeline (the Order panel, asked at the same moment, records it)
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    assert [e for e in detail["timeline"] if e["kind"] == "looked_up"] == []


WHERE_IS_MY_ORDER = {
    "title": "Where is my order (its status)",
    "body": "Hi {first_name}, your order {order_number} is {order_status} with {order_carrier}, expected "
    "{order_expected}. Follow it here: {tracking_url}",
    "topics": ["delivery"],
    "keywords": ["where", "order"],
    "automatic": True,
}


def test_where_is_my_order_is_answered_automatically_with_the_orders_status(
    aws, company, lambda_context, at_tuesday_morning, monkeypatch
):
    from tests.integration.test_crisis import drain_delayed, outbox
    from tests.integration.test_knowledge import approved
    from tests.integration.test_routing_faq import configure
    from tests.unit.routing import fakes

    # The built-in classifier calls most "where is my order" messages complaints (so a person answers,
    # docs/decisions.md 2026-12-03); the predictable one calls a question with "?" a plain question.
    fakes.install(monkeypatch)
    drain_delayed(monkeypatch)
    # Given automatic answers on and an approved automatic answer that tells the customer's order
    configure(lambda_context, on=True)
    approved(lambda_context, WHERE_IS_MY_ORDER)
    # When customers ask where their orders are: one the company knows, one it does not
    deliver(
        [
            comment("c-known", "cust-known", "Where is my order 12345?"),
            comment("c-unknown", "cust-unknown", "Where is my order 77404?"),
        ],
        aws,
        lambda_context,
    )
    # Then triage asked the company (signed) and heard-bot answered the known one with its live status
    assert sorted(r["json"]["value"] for r in company.received if r["signed"]) == ["12345", "77404"]
    sent = outbox(aws)
    assert [m["author"] for m in sent] == ["heard-bot"]
    assert (
        sent[0]["text"].startswith("Hi Jo, your order 12345 is in transit with Parcelforce, expected ")
        and "Follow it here: https://tracking.example.com/12345" in sent[0]["text"]
    )
    # and the unknown order waits for a person (never an answer with blanks)
    _, queued = api("GET", "/api/cases", query="status=queued", context=lambda_context)
    assert [c["summary"] for c in queued["items"]] == ["Where is my order 77404?"]


def test_a_slow_company_system_holds_intake_once_then_its_breaker_skips_it(
    aws, company, lambda_context, at_tuesday_morning, monkeypatch
):
    from tests.integration.test_crisis import drain_delayed, outbox
    from tests.integration.test_knowledge import approved
    from tests.integration.test_routing_faq import configure
    from tests.unit.routing import fakes

    # The built-in classifier calls most "where is my order" messages complaints (so a person answers,
    # docs/decisions.md 2026-12-03); the predictable one calls a question with "?" a plain question.
    fakes.install(monkeypatch)
    drain_delayed(monkeypatch)
    configure(lambda_context, on=True)
    approved(lambda_context, WHERE_IS_MY_ORDER)
    # Given the company system slower than intake's 0.8 s cap
    company.delay(2.5)
    deliver([comment("c-slow-1", "cust-slow-1", "Where is my order 12345?")], aws, lambda_context)
    deliver([comment("c-slow-2", "cust-slow-2", "Where is my order 12346?")], aws, lambda_context)
    company.delay(0)
    # Then the first message gave up after the cap, the second did not ask at all (the breaker opened on
    # the first failure), and a person answers both
    assert len(company.received) == 1
    assert outbox(aws) == []
    _, queued = api("GET", "/api/cases", query="status=queued", context=lambda_context)
    assert len(queued["items"]) == 2
