"""Automatic answers under control (R17) through the real handlers under moto: admins switch them on and
off per topic, supervisors and admins preview what a sample question would get, and a complicated case
that matches an approved answer raises an alert instead of an answer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.integration.test_crisis import alerts, case_of, drain_delayed, outbox, subscribe_alerts
from tests.integration.test_routing_faq import configure
from tests.unit.routing import fakes

RETURNS = "How many days do I have to return a jumper for a refund?"


@pytest.fixture(autouse=True)
def _fake_classifier(monkeypatch):
    from shared.usecases import autoanswers

    fakes.install(monkeypatch)
    drain_delayed(monkeypatch)

    def classify(deps: Any, config: Any, text: str, platform: str) -> Any:
        return fakes.classify(text, platform=platform, language=None, author=None, config=config)

    monkeypatch.setattr(autoanswers, "_classify", classify)


def test_an_admin_switches_a_topic_off_and_its_questions_go_to_a_person(
    aws, lambda_context, at_tuesday_morning
):
    configure(lambda_context, on=True)
    # Given automatic answers on, every topic on
    status, current = api("GET", "/api/auto-answers", role="supervisor", context=lambda_context)
    assert status == 200 and current["enabled"] is True and all(t["on"] for t in current["topics"])
    assert {"returns", "opening-hours"} <= {a["id"] for a in current["answers"]}
    # When an admin switches billing off (a supervisor may not)
    body = {"enabled": True, "topics_off": ["billing"]}
    assert api("PUT", "/api/auto-answers", role="supervisor", body=body, context=lambda_context)[0] == 403
    status, switched = api("PUT", "/api/auto-answers", role="admin", body=body, context=lambda_context)
    assert status == 200
    assert [t["id"] for t in switched["topics"] if not t["on"]] == ["billing"]
    # Then the preview says a refund question (billing) goes to a person, and a store question is answered
    status, refund = api(
        "POST", "/api/auto-answers/preview", role="admin", body={"text": RETURNS}, context=lambda_context
    )
    assert status == 200 and refund["outcome"] == "person" and refund["answer_id"] == "returns"
    assert refund["reasons"] == ["automatic answers are off for topic 'billing'"]
    _, store = api(
        "POST",
        "/api/auto-answers/preview",
        role="supervisor",
        body={"text": "Is the store open on Sunday?"},
        context=lambda_context,
    )
    assert store["outcome"] == "answer" and store["answer"].startswith("Our stores open") and store["matched"]
    # and intake does what the preview said: no automatic answer on the refund question
    deliver([comment("c-1", "cust-1", RETURNS)], aws, lambda_context)
    assert outbox(aws) == []
    # An unknown topic is named
    bad = api(
        "PUT",
        "/api/auto-answers",
        role="admin",
        body={"enabled": True, "topics_off": ["moon"]},
        context=lambda_context,
    )
    assert bad[0] == 422 and "moon" in bad[1]["message"]


def test_a_complicated_question_raises_an_alert_instead_of_an_answer(aws, lambda_context, at_tuesday_morning):
    configure(lambda_context, on=True)
    inbox = subscribe_alerts(aws)
    angry = "Terrible service, how many days to return it for a refund?"
    # The preview says so first
    _, preview = api(
        "POST", "/api/auto-answers/preview", role="admin", body={"text": angry}, context=lambda_context
    )
    assert preview["outcome"] == "alert" and "negative sentiment" in preview["reasons"]
    # When that message arrives
    deliver([comment("c-1", "cust-1", angry)], aws, lambda_context)
    # Then nothing is sent to the customer, supervisors are alerted, and the case says why, for a person
    assert outbox(aws) == []
    raised = [a for a in alerts(inbox) if a["kind"] == "faq_withheld"]
    assert len(raised) == 1 and "negative sentiment" in raised[0]["detail"]["reasons"]
    case = case_of(raised[0]["detail"]["case_id"], lambda_context)
    assert case["case"]["status"] == "queued"
    assert any(e["kind"] == "note" and "Not answered automatically" in e["text"] for e in case["timeline"])


def test_agents_may_not_preview_or_switch(aws, lambda_context):
    assert api("GET", "/api/auto-answers", role="agent", context=lambda_context)[0] == 403
    assert (
        api("POST", "/api/auto-answers/preview", role="agent", body={"text": "hi"}, context=lambda_context)[0]
        == 403
    )
    assert (
        api("POST", "/api/auto-answers/preview", role="admin", body={"text": ""}, context=lambda_context)[0]
        == 422
    )
