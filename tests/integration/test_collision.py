"""Collision (issue #10): who else has a case open or is typing, and a reply to a customer a colleague
answered meanwhile is refused with 409 quoting that answer. The real API handler under moto, with its own
environment and role."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.integration.test_approvals_reviews import AGENT, SUPERVISOR, as_, claimed_case, join_care
from tests.integration.test_case_lifecycle import comment, deliver


@pytest.fixture(autouse=True)
def _members(aws: Any, lambda_context: Any) -> None:
    join_care(lambda_context, AGENT)


def test_colleagues_see_who_has_the_case_open_and_who_is_typing(aws, lambda_context, at_tuesday_morning):
    deliver([comment()], aws, lambda_context)
    case_id = claimed_case(AGENT, lambda_context)
    path = f"/api/cases/{case_id}/presence"
    # Given the agent has the case open, When a supervisor opens it and starts typing
    assert as_(AGENT, "POST", path, lambda_context, {})[1] == {"others": []}
    status, answer = as_(SUPERVISOR, "POST", path, lambda_context, {"typing": True})
    assert status == 200 and [o["email"] for o in answer["others"]] == [AGENT[0]]
    # Then the agent's next heartbeat says so
    _, answer = as_(AGENT, "POST", path, lambda_context, {})
    assert [(o["email"], o["typing"]) for o in answer["others"]] == [(SUPERVISOR[0], True)]
    # and once the supervisor has been silent for half a minute, they are gone
    at_tuesday_morning["now"] += timedelta(seconds=31)
    assert as_(AGENT, "POST", path, lambda_context, {})[1] == {"others": []}
    assert as_(AGENT, "POST", "/api/cases/nosuchcase/presence", lambda_context, {})[0] == 404
    assert as_(AGENT, "POST", path, lambda_context, {"typing": "maybe"})[0] == 422


def test_a_reply_to_a_customer_answered_meanwhile_is_refused_quoting_the_answer(
    aws, lambda_context, at_tuesday_morning
):
    # Given the agent read the case when nothing had been replied yet
    deliver([comment()], aws, lambda_context)
    case_id = claimed_case(AGENT, lambda_context)
    _, detail = as_(AGENT, "GET", f"/api/cases/{case_id}", lambda_context)
    seen = detail["case"]["opened_at"]
    # When the supervisor answers the customer first
    at_tuesday_morning["now"] += timedelta(minutes=1)
    answer = {"text": "So sorry Jo, a new parcel is on its way today."}
    assert as_(SUPERVISOR, "POST", f"/api/cases/{case_id}/replies", lambda_context, answer)[0] == 202
    # Then the agent's reply, written against what they had seen, is refused, quoting the answer
    at_tuesday_morning["now"] += timedelta(minutes=1)
    mine = {"text": "Hi Jo, let me check.", "seen_until": seen}
    status, refusal = as_(AGENT, "POST", f"/api/cases/{case_id}/replies", lambda_context, mine)
    assert status == 409
    assert SUPERVISOR[0] in refusal["message"] and "a new parcel is on its way" in refusal["message"]
    # and nothing of theirs was recorded
    _, detail = as_(AGENT, "GET", f"/api/cases/{case_id}", lambda_context)
    replies = [e for e in detail["timeline"] if e["kind"] == "reply"]
    assert [e["actor"] for e in replies] == [SUPERVISOR[0]]
    # When they have read it, Then their reply goes (and their own replies never block them)
    mine["seen_until"] = replies[0]["at"]
    assert as_(AGENT, "POST", f"/api/cases/{case_id}/replies", lambda_context, mine)[0] == 202
    again = {"text": "And a voucher for the trouble.", "seen_until": replies[0]["at"]}
    assert as_(AGENT, "POST", f"/api/cases/{case_id}/replies", lambda_context, again)[0] == 202
    # and a moment without a time zone is refused
    bad = {"text": "x", "seen_until": "2026-11-17T10:00:00"}
    assert as_(AGENT, "POST", f"/api/cases/{case_id}/replies", lambda_context, bad)[0] == 422
