"""Escalation through the real handlers under moto: a contact is notified over SNS (their backup too
outside their hours), a team gets the case in its queue (R9, R22)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.integration.test_crisis import alerts, case_of, subscribe_alerts
from tests.unit.routing import fakes


@pytest.fixture(autouse=True)
def _fake_classifier(monkeypatch):
    fakes.install(monkeypatch)


def claimed_case(aws, context) -> str:
    deliver([comment(text="This is ridiculous, my parcel never came")], aws, context)
    status, claimed = api("POST", "/api/queues/care/next", context=context)
    assert status == 200
    return claimed["case"]["case_id"]


def test_the_directory_lists_every_contact(aws, lambda_context, at_tuesday_morning):
    status, answer = api("GET", "/api/escalation-contacts", role="trainee", context=lambda_context)
    assert status == 200
    dana = next(c for c in answer["items"] if c["id"] == "cs-manager")
    assert dana == {
        "id": "cs-manager",
        "name": "Dana Reyes",
        "title": "Customer Service Manager",
        "question_types": ["refund over limit", "repeat complaint", "legal threat"],
        "email": "dana.reyes@example.com",
        "phone": "+1 555 0101",
        "urgency": "high",
        "hours": "Mon-Fri 08:00-18:00 Europe/London",
        "backup": "pr-lead",
    }


def test_escalating_to_a_contact_in_hours_notifies_them_with_the_case(
    aws, lambda_context, at_tuesday_morning
):
    inbox = subscribe_alerts(aws)
    case_id = claimed_case(aws, lambda_context)
    # When the owner escalates to the customer service manager on a Tuesday morning
    status, answer = api(
        "POST",
        f"/api/cases/{case_id}/escalate",
        body={"contact": "cs-manager", "reason": "customer threatens legal action"},
        context=lambda_context,
    )
    assert status == 200
    # Then only Dana is notified, with the case summary and her contact details
    sent = [a for a in alerts(inbox) if a["kind"] == "escalation"]
    assert len(sent) == 1
    detail = sent[0]["detail"]
    assert detail["to"]["email"] == "dana.reyes@example.com" and detail["to"]["phone"] == "+1 555 0101"
    assert detail["case"]["case_id"] == case_id and "parcel" in detail["case"]["summary"]
    assert (
        detail["reason"] == "customer threatens legal action"
        and detail["escalated_by"] == "agent@heard.local"
    )
    # and the escalation is on the timeline; the owner keeps the case
    assert answer["case"]["owner"] == "agent@heard.local" and answer["escalation"]["kind"] == "escalated"
    timeline = case_of(case_id, lambda_context)["timeline"]
    escalated = [e for e in timeline if e["kind"] == "escalated"]
    assert len(escalated) == 1 and escalated[0]["data"]["notified"] == ["cs-manager"]


def test_outside_their_hours_the_backup_is_notified_too(aws, lambda_context, at_tuesday_morning):
    inbox = subscribe_alerts(aws)
    case_id = claimed_case(aws, lambda_context)
    at_tuesday_morning["now"] = datetime(2026, 11, 17, 21, 30, tzinfo=UTC)  # 21:30 in London
    status, _ = api(
        "POST",
        f"/api/cases/{case_id}/escalate",
        body={"contact": "cs-manager", "reason": "urgent"},
        context=lambda_context,
    )
    assert status == 200
    sent = [a for a in alerts(inbox) if a["kind"] == "escalation"]
    assert sorted(a["detail"]["to"]["id"] for a in sent) == ["cs-manager", "pr-lead"]
    backup = next(a for a in sent if a["detail"]["to"]["id"] == "pr-lead")
    assert backup["detail"]["as_backup_for"] == "cs-manager"
    entry = next(e for e in case_of(case_id, lambda_context)["timeline"] if e["kind"] == "escalated")
    assert entry["data"]["contact_available"] is False and "Outside their hours" in entry["text"]


def test_escalating_to_a_team_requeues_the_case_there(aws, lambda_context, at_tuesday_morning):
    case_id = claimed_case(aws, lambda_context)
    status, answer = api(
        "POST",
        f"/api/cases/{case_id}/escalate",
        body={"team": "pr", "reason": "press asking"},
        context=lambda_context,
    )
    assert status == 200
    assert answer["case"]["team"] == "pr" and answer["case"]["status"] == "queued"
    assert answer["case"]["owner"] is None
    # Then it is no longer the agent's, and the PR team claims it from its own queue
    _, mine = api("GET", "/api/cases", query="owner=me", context=lambda_context)
    assert [c for c in mine["items"] if c["status"] == "assigned"] == []
    status, claimed = api("POST", "/api/queues/pr/next", role="supervisor", context=lambda_context)
    assert status == 200 and claimed["case"]["case_id"] == case_id
    entry = next(e for e in case_of(case_id, lambda_context)["timeline"] if e["kind"] == "escalated")
    assert entry["data"]["from_owner"] == "agent@heard.local" and entry["data"]["from_team"] == "care"


def test_escalation_input_is_checked(aws, lambda_context, at_tuesday_morning):
    case_id = claimed_case(aws, lambda_context)
    path = f"/api/cases/{case_id}/escalate"
    both = {"contact": "cs-manager", "team": "pr", "reason": "x"}
    assert api("POST", path, body=both, context=lambda_context)[0] == 422
    assert api("POST", path, body={"reason": "x"}, context=lambda_context)[0] == 422
    status, answer = api("POST", path, body={"contact": "nobody", "reason": "x"}, context=lambda_context)
    assert status == 422 and "unknown escalation contact" in answer["message"]
    assert api("POST", path, body={"team": "nope", "reason": "x"}, context=lambda_context)[0] == 422
    assert api("POST", path, body={"team": "pr", "reason": ""}, context=lambda_context)[0] == 422
    # someone else's case: only its owner or a supervisor may escalate it
    assert (
        api("POST", path, role="trainee", body={"team": "pr", "reason": "x"}, context=lambda_context)[0]
        == 403
    )
    assert (
        api("POST", path, role="reviewer", body={"team": "pr", "reason": "x"}, context=lambda_context)[0]
        == 403
    )
    assert (
        api(
            "POST",
            "/api/cases/c000000000000/escalate",
            body={"team": "pr", "reason": "x"},
            context=lambda_context,
        )[0]
        == 404
    )
