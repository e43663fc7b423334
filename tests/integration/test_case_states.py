"""Case states agents need (issue #10): resolve with a reason, mark as spam (the SLA clock stops, nobody
follows it up), and reopen a resolved case, through the real API handler under moto."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest

from tests.integration.test_approvals_reviews import AGENT, TRAINEE, as_, claimed_case, join_care
from tests.integration.test_case_lifecycle import comment, deliver


@pytest.fixture(autouse=True)
def _members(aws: Any, lambda_context: Any) -> None:
    """Only a team's members claim from its queue (R7): the people these tests use are in care."""
    join_care(lambda_context, AGENT, TRAINEE)


def schedules(aws) -> list:
    return boto3.client("scheduler").list_schedules(GroupName=aws.resolve["followups"])["Schedules"]


def test_a_complaint_marked_as_spam_stops_the_clock_and_is_never_followed_up(
    aws, lambda_context, at_tuesday_morning
):
    deliver([comment()], aws, lambda_context)  # a complaint: it would be followed up
    case_id = claimed_case(AGENT, lambda_context)
    status, answer = as_(AGENT, "POST", f"/api/cases/{case_id}/resolve", lambda_context, {"reason": "spam"})
    assert status == 200
    case = answer["case"]
    assert case["status"] == "resolved" and case["resolution"] == "spam"
    assert case["reply_due"] is None and case["followups"] == []
    assert schedules(aws) == []
    _, detail = as_(AGENT, "GET", f"/api/cases/{case_id}", lambda_context)
    resolved = next(e for e in detail["timeline"] if e["kind"] == "resolved")
    assert resolved["text"] == "Marked as spam." and resolved["data"]["reason"] == "spam"


def test_resolving_records_the_reason_and_an_unknown_reason_is_refused(
    aws, lambda_context, at_tuesday_morning
):
    deliver([comment()], aws, lambda_context)
    case_id = claimed_case(AGENT, lambda_context)
    status, answer = as_(AGENT, "POST", f"/api/cases/{case_id}/resolve", lambda_context, {"reason": "bored"})
    assert status == 422 and answer["detail"][0]["loc"] == ["body", "reason"]
    status, answer = as_(
        AGENT,
        "POST",
        f"/api/cases/{case_id}/resolve",
        lambda_context,
        {"reason": "duplicate", "note": "see c-9"},
    )
    assert status == 200 and answer["case"]["resolution"] == "duplicate"
    # a plain resolve (no body) is "solved", as before
    deliver([comment(platform_id="c-2", author_id="cust-2")], aws, lambda_context)
    other = claimed_case(AGENT, lambda_context)
    assert (
        as_(AGENT, "POST", f"/api/cases/{other}/resolve", lambda_context)[1]["case"]["resolution"] == "solved"
    )


def test_a_resolved_case_reopens_for_its_owner(aws, lambda_context, at_tuesday_morning):
    deliver([comment()], aws, lambda_context)
    case_id = claimed_case(AGENT, lambda_context)
    # Reopening an open case is a 409
    assert as_(AGENT, "POST", f"/api/cases/{case_id}/reopen", lambda_context)[0] == 409
    as_(AGENT, "POST", f"/api/cases/{case_id}/resolve", lambda_context, {"reason": "spam"})
    # Another agent may not reopen someone's case
    assert as_(TRAINEE, "POST", f"/api/cases/{case_id}/reopen", lambda_context)[0] == 403
    status, answer = as_(AGENT, "POST", f"/api/cases/{case_id}/reopen", lambda_context, {"note": "not spam"})
    assert status == 200
    case = answer["case"]
    assert case["status"] == "assigned" and case["owner"] == AGENT[0]
    assert case["resolution"] is None and case["resolved_at"] is None
    _, detail = as_(AGENT, "GET", f"/api/cases/{case_id}", lambda_context)
    reopened = next(e for e in detail["timeline"] if e["kind"] == "reopened")
    assert "not spam" in reopened["text"] and reopened["data"]["was"] == "spam"
    # and it can be resolved again, now followed up as the complaint it is
    answer = as_(AGENT, "POST", f"/api/cases/{case_id}/resolve", lambda_context)[1]
    assert answer["case"]["resolution"] == "solved" and len(answer["case"]["followups"]) == 3


def test_waiting_on_the_customer_stops_the_clock_until_they_write(aws, lambda_context, at_tuesday_morning):
    from functions.sla.handler import handler as sla_monitor

    deliver([comment()], aws, lambda_context)
    case_id = claimed_case(AGENT, lambda_context)
    status, answer = as_(
        AGENT, "POST", f"/api/cases/{case_id}/snooze", lambda_context, {"note": "asked for order no."}
    )
    assert status == 200 and answer["case"]["reply_due"] is None and answer["case"]["waiting_since"]
    # When the first-response target passes, Then the SLA monitor does not breach it
    at_tuesday_morning["now"] += timedelta(hours=3)
    sla_monitor({}, lambda_context)
    _, detail = as_(AGENT, "GET", f"/api/cases/{case_id}", lambda_context)
    assert detail["case"]["sla_breached"] is False
    assert any(e["kind"] == "snoozed" and "order no." in e["text"] for e in detail["timeline"])


def test_snoozing_moves_the_reply_due_time_by_the_snooze(aws, lambda_context, at_tuesday_morning):
    from functions.sla.handler import handler as sla_monitor

    deliver([comment()], aws, lambda_context)
    case_id = claimed_case(AGENT, lambda_context)
    due = datetime.fromisoformat(
        as_(AGENT, "GET", f"/api/cases/{case_id}", lambda_context)[1]["case"]["reply_due"]
    )
    until = at_tuesday_morning["now"] + timedelta(hours=2)
    status, answer = as_(
        AGENT, "POST", f"/api/cases/{case_id}/snooze", lambda_context, {"until": until.isoformat()}
    )
    assert status == 200
    assert datetime.fromisoformat(answer["case"]["reply_due"]) == due + timedelta(hours=2)
    # Past the old due time the case is not breached; past the moved one it is
    at_tuesday_morning["now"] = due + timedelta(minutes=30)
    sla_monitor({}, lambda_context)
    assert as_(AGENT, "GET", f"/api/cases/{case_id}", lambda_context)[1]["case"]["sla_breached"] is False
    at_tuesday_morning["now"] = due + timedelta(hours=2, minutes=5)
    sla_monitor({}, lambda_context)
    assert as_(AGENT, "GET", f"/api/cases/{case_id}", lambda_context)[1]["case"]["sla_breached"] is True


def test_a_snooze_must_end_soon_and_in_the_future(aws, lambda_context, at_tuesday_morning):
    deliver([comment()], aws, lambda_context)
    case_id = claimed_case(AGENT, lambda_context)
    for until in (
        at_tuesday_morning["now"] - timedelta(minutes=1),
        at_tuesday_morning["now"] + timedelta(days=31),
    ):
        status, answer = as_(
            AGENT, "POST", f"/api/cases/{case_id}/snooze", lambda_context, {"until": until.isoformat()}
        )
        assert status == 422 and "30 days" in answer["message"]
    assert as_(AGENT, "POST", f"/api/cases/{case_id}/snooze", lambda_context, {"until": "tomorrow"})[0] == 422
    assert as_(TRAINEE, "POST", f"/api/cases/{case_id}/snooze", lambda_context, {})[0] == 403
