"""The customer panel (issue #10): the case's customer, their identity on the platform and their other
cases, found by their platform author id (no Scan), through the real API handler under moto."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.integration.test_approvals_reviews import AGENT, as_, claimed_case, join_care
from tests.integration.test_case_lifecycle import comment, deliver


@pytest.fixture(autouse=True)
def _members(aws: Any, lambda_context: Any) -> None:
    """Only a team's members claim from its queue (R7): the people these tests use are in care."""
    join_care(lambda_context, AGENT)


def test_the_customer_panel_lists_the_customers_previous_cases_newest_first(
    aws, lambda_context, at_tuesday_morning
):
    # Given a customer whose first case was resolved as spam a while ago
    deliver([comment(platform_id="c-1", text="first problem")], aws, lambda_context)
    first = claimed_case(AGENT, lambda_context)
    as_(AGENT, "POST", f"/api/cases/{first}/resolve", lambda_context, {"reason": "spam"})
    # (past the period in which the same customer's messages reopen their case)
    at_tuesday_morning["now"] += timedelta(days=30)
    deliver(
        [comment(platform_id="c-2", text="second problem", at=at_tuesday_morning["now"])], aws, lambda_context
    )
    second = claimed_case(AGENT, lambda_context)
    assert second != first
    # and another customer's case
    deliver([comment(platform_id="c-3", author_id="someone-else")], aws, lambda_context)
    # When the agent opens the new case's customer panel
    status, answer = as_(AGENT, "GET", f"/api/cases/{second}/customer", lambda_context)
    # Then it names the customer and their identity, and lists only their earlier case
    assert status == 200
    assert answer["name"] == "Jo Customer"
    assert answer["identities"] == [
        {
            "platform": "facebook",
            "id": "cust-1",
            "handle": None,
            "name": "Jo Customer",
            "linked_by": None,
            "linked_at": None,
            "direct": False,
        }
    ]
    assert [c["case_id"] for c in answer["other_cases"]] == [first]
    assert answer["other_cases"][0]["resolution"] == "spam"
    assert answer["other_cases"][0]["summary"]
    # and the first case's panel lists the second
    _, answer = as_(AGENT, "GET", f"/api/cases/{first}/customer", lambda_context)
    assert [c["case_id"] for c in answer["other_cases"]] == [second]
    assert as_(AGENT, "GET", "/api/cases/nosuchcase/customer", lambda_context)[0] == 404
