"""Training on procedure changes (R26) and probation's end date (R12) through the real API handler under
moto: after a supervisor publishes a changed checklist with a check, an untrained agent's reply waits for
approval until they pass it; supervisors see who is trained; a trainee's probation ends on its date."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.integration.test_approvals_reviews import AGENT, SUPERVISOR, TRAINEE, as_, claimed_case, join_care
from tests.integration.test_case_lifecycle import api, comment, deliver

CHANGE = {
    "kind": "checklist",
    "title": "Refunds: confirm the order number first",
    "summary": "Before promising a refund, ask for the order number and check it in the order system.",
    "questions": [
        {
            "prompt": "What do you ask for before promising a refund?",
            "choices": ["A photo", "The order number"],
            "correct": 1,
        },
        {"prompt": "Where do you check it?", "choices": ["The order system", "Nowhere"], "correct": 0},
    ],
}


@pytest.fixture(autouse=True)
def _in_the_care_team(aws, lambda_context) -> None:
    join_care(lambda_context, TRAINEE, AGENT)


def reply(ctx: Any, user: tuple[str, str], case_id: str, text: str) -> str:
    status, answer = as_(user, "POST", f"/api/cases/{case_id}/replies", ctx, {"text": text})
    assert status == 202, answer
    return str(answer["reply"]["data"]["delivery"])


def test_a_changed_checklist_holds_an_untrained_agents_reply_until_they_pass(
    aws, lambda_context, at_tuesday_morning
):
    deliver(
        [comment("c-1", "cust-1", "Where is my refund?"), comment("c-2", "cust-2", "Refund please?")],
        aws,
        lambda_context,
    )
    # When a supervisor publishes a changed checklist with its check (an agent may not)
    assert as_(AGENT, "POST", "/api/training/changes", lambda_context, CHANGE)[0] == 403
    status, change = as_(SUPERVISOR, "POST", "/api/training/changes", lambda_context, CHANGE)
    assert status == 201 and change["version"] == 1 and change["questions"][0]["correct"] == 1
    # Then the agent sees it, without the answers, and is not trained
    _, mine = as_(AGENT, "GET", "/api/training", lambda_context)
    assert mine["trained"] is False and "correct" not in mine["change"]["questions"][0]
    # and their reply waits for a supervisor's approval
    first = claimed_case(AGENT, lambda_context)
    assert reply(lambda_context, AGENT, first, "Let me check that for you.") == "awaiting_approval"
    _, waiting = as_(SUPERVISOR, "GET", "/api/approvals", lambda_context)
    assert first in [w["case_id"] for w in waiting["items"]]
    # A wrong answer does not pass; the right ones do
    _, wrong = as_(AGENT, "POST", "/api/training/1/attempts", lambda_context, {"answers": [0, 0]})
    assert wrong == {"passed": False, "wrong": [0], "version": 1}
    _, status_view = as_(SUPERVISOR, "GET", "/api/training/status", lambda_context)
    assert {"email": AGENT[0], "trained": False, "at": None} in status_view["people"]
    _, right = as_(AGENT, "POST", "/api/training/1/attempts", lambda_context, {"answers": [1, 0]})
    assert right["passed"] is True
    # Then their next reply goes out directly, and supervisors see them trained
    second = claimed_case(AGENT, lambda_context)
    assert reply(lambda_context, AGENT, second, "Could you send me the order number?") == "queued"
    _, status_view = as_(SUPERVISOR, "GET", "/api/training/status", lambda_context)
    assert next(p for p in status_view["people"] if p["email"] == AGENT[0])["trained"] is True
    # Bad attempts are named
    assert as_(AGENT, "POST", "/api/training/1/attempts", lambda_context, {"answers": [1]})[0] == 422
    assert as_(AGENT, "POST", "/api/training/7/attempts", lambda_context, {"answers": [1, 0]})[0] == 404
    bad = dict(CHANGE, questions=[{"prompt": "Which?", "choices": ["a", "b"], "correct": 4}])
    assert as_(SUPERVISOR, "POST", "/api/training/changes", lambda_context, bad)[0] == 422


def set_probation(ctx: Any, email: str, until: str) -> None:
    document = api("GET", "/api/config", role="admin", context=ctx)[1]["config"]
    document["people"] = [p for p in document["people"] if p["email"] != email]
    document["people"].append({"email": email, "skills": [], "probation_until": until})
    assert api("PUT", "/api/config", role="admin", body=document, context=ctx)[0] == 200


def test_probation_ends_on_its_date(aws, lambda_context, at_tuesday_morning):
    deliver(
        [comment("c-1", "cust-1", "Where is my parcel?"), comment("c-2", "cust-2", "Parcel late?")],
        aws,
        lambda_context,
    )
    # Given the trainee's probation ended yesterday (the date an admin sets on the Users page)
    today = at_tuesday_morning["now"].date()
    set_probation(lambda_context, TRAINEE[0], (today - timedelta(days=1)).isoformat())
    # Then the trainee's reply goes out directly
    case_id = claimed_case(TRAINEE, lambda_context)
    assert reply(lambda_context, TRAINEE, case_id, "So sorry, it is on its way.") == "queued"
    # and an agent whose probation runs until tomorrow waits for approval
    set_probation(lambda_context, AGENT[0], (today + timedelta(days=1)).isoformat())
    other = claimed_case(AGENT, lambda_context)
    assert reply(lambda_context, AGENT, other, "Looking into it now.") == "awaiting_approval"
