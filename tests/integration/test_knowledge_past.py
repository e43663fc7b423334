"""Replies that resolved past cases (#11, R16) through the real API and triage handlers under moto, each
with its own environment and role: a solved case's final reply is kept (personal data masked, the
customer's name and case number turned back into variables), offered for a similar case beside the
approved answers, marked as a past reply with why, filled for the new customer, never sent
automatically, and erased with the customer."""

from __future__ import annotations

from typing import Any

from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.integration.test_crisis import outbox
from tests.integration.test_knowledge import DELIVERY, _fake_classifier, approved, queued_case
from tests.integration.test_routing_faq import configure

__all__ = ["_fake_classifier"]  # the autouse fixture of the knowledge tests applies here too

FIRST = "My voucher code GIFT-OK says it has expired already, can you extend it?"
SIMILAR = "The voucher code I got says expired, could you extend the voucher?"


def solved_with_reply(aws: Any, context: Any) -> tuple[str, str]:
    """A case whose agent replied and resolved it as solved; (case id, the reply as sent)."""
    case_id = queued_case(aws, context, FIRST, platform_id="p-1", author="cust-1")
    assert api("POST", "/api/queues/care/next", context=context)[0] == 200
    reply = (
        f"Sorry Jo, that's frustrating! I have extended your voucher by 30 days under case {case_id}; "
        "if it fails again write to jo.customer@example.com and we fix it today."
    )
    assert api("POST", f"/api/cases/{case_id}/replies", body={"text": reply}, context=context)[0] == 202
    status, _ = api("POST", f"/api/cases/{case_id}/resolve", body={"reason": "solved"}, context=context)
    assert status == 200
    return case_id, reply


def test_a_solved_cases_reply_is_offered_for_a_similar_case_masked_and_refilled(
    aws, lambda_context, at_tuesday_morning
):
    # Given an approved answer about something else, and a solved voucher case
    approved(lambda_context, DELIVERY)
    past_case, _ = solved_with_reply(aws, lambda_context)
    # When another customer asks much the same, and an agent asks for suggestions
    deliver([comment("p-2", "cust-2", SIMILAR)], aws, lambda_context)
    _, listing = api("GET", "/api/cases", query="status=queued", context=lambda_context)
    case_id = next(c["case_id"] for c in listing["items"] if c["summary"].startswith(SIMILAR[:20]))
    status, found = api("GET", f"/api/cases/{case_id}/suggestions", context=lambda_context)
    # Then the past reply is offered, marked as one, with the case it came from and why
    assert status == 200, found
    past = next(s for s in found["items"] if s["kind"] == "past_reply")
    assert past["answer"] is None and past["past"]["case_id"] == past_case
    assert past["past"]["question"] == FIRST
    assert past["why"].startswith("past reply (not an approved answer)") and "voucher" in past["why"]
    # with this case's number where the old one was, the customer's email masked, no contact line
    assert case_id in past["text"] and past_case not in past["text"]
    assert "jo.customer@example.com" not in past["text"] and "voucher by 30 days" in past["text"]
    assert past["text"].startswith("Sorry Jo, that's frustrating!")
    # and the approved answers are still marked as such
    assert all(s["answer"] is not None for s in found["items"] if s["kind"] == "answer")
    # and the past case is never offered its own reply
    own = api("GET", f"/api/cases/{past_case}/suggestions", context=lambda_context)[1]["items"]
    assert all(s["kind"] == "answer" for s in own)


def test_a_past_reply_is_never_sent_automatically(aws, lambda_context, at_tuesday_morning):
    # Given automatic answers on, and a solved voucher case (no approved answer covers vouchers)
    configure(lambda_context, on=True)
    solved_with_reply(aws, lambda_context)
    assert [m["author"] for m in outbox(aws)] == ["agent@heard.local"]  # the agent's reply
    # When another customer asks the same
    deliver([comment("p-3", "cust-3", SIMILAR)], aws, lambda_context)
    # Then nothing is sent to them: only approved answers answer automatically
    assert outbox(aws) == []


def test_a_case_resolved_without_a_reply_or_as_spam_keeps_nothing(aws, lambda_context, at_tuesday_morning):
    case_id = queued_case(aws, lambda_context, FIRST, platform_id="p-4", author="cust-4")
    api("POST", "/api/queues/care/next", context=lambda_context)
    api("POST", f"/api/cases/{case_id}/resolve", body={"reason": "solved"}, context=lambda_context)
    deliver([comment("p-5", "cust-5", SIMILAR)], aws, lambda_context)
    _, listing = api("GET", "/api/cases", query="status=queued", context=lambda_context)
    other = next(c["case_id"] for c in listing["items"] if c["summary"].startswith(SIMILAR[:20]))
    items = api("GET", f"/api/cases/{other}/suggestions", context=lambda_context)[1]["items"]
    assert [s for s in items if s["kind"] == "past_reply"] == []


def test_erasing_the_customer_deletes_the_replies_kept_from_their_cases(
    aws, lambda_context, at_tuesday_morning
):
    # Given a solved voucher case whose reply is kept
    past_case, _ = solved_with_reply(aws, lambda_context)
    # When an admin erases that customer
    status, erasure = api(
        "POST", "/api/privacy/erasures", role="admin", body={"case_id": past_case}, context=lambda_context
    )
    assert status in (200, 201, 202), erasure
    # Then a similar case is no longer offered their reply
    deliver([comment("p-6", "cust-6", SIMILAR)], aws, lambda_context)
    _, listing = api("GET", "/api/cases", query="status=queued", context=lambda_context)
    other = next(c["case_id"] for c in listing["items"] if c["summary"].startswith(SIMILAR[:20]))
    items = api("GET", f"/api/cases/{other}/suggestions", context=lambda_context)[1]["items"]
    assert [s for s in items if s["kind"] == "past_reply"] == []
