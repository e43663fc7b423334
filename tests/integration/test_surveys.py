"""Satisfaction surveys through the real handlers under moto, each with its own environment and role:
resolve (api) -> the one-time schedule fires (followups) -> the survey waits on the outbox -> the customer
answers "9" (triage) -> the score is on the case, which stays resolved, and in the supervisors' scores."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import boto3

from shared.models.interaction import Author, Channel, EventKind, Interaction, Platform
from tests.integration.test_case_lifecycle import api, deliver


def dm(platform_id: str, text: str, at: datetime) -> Interaction:
    return Interaction(
        platform=Platform.MESSENGER,
        kind=EventKind.MESSAGE,
        channel=Channel.DIRECT,
        platform_id=platform_id,
        dedupe_key=f"messenger:{platform_id}:message",
        account_id="page-1",
        author=Author(id="psid-7", name="Mo Customer"),
        conversation_id="psid-7",
        text=text,
        occurred_at=at,
        reply_context={"recipient_id": "psid-7", "page_id": "page-1"},
    )


def outbox_texts(aws: Any, wait_seconds: int = 5) -> list[str]:
    """The outbox's messages (the survey is delayed 2 s, like every automatic reply: long-poll for it)."""
    sqs = boto3.client("sqs")
    answer = sqs.receive_message(
        QueueUrl=aws.resolve["outbox"],
        MaxNumberOfMessages=10,
        VisibilityTimeout=0,
        WaitTimeSeconds=wait_seconds,
    )
    return [json.loads(m["Body"])["text"] for m in answer.get("Messages", [])]


def resolved_case(aws: Any, lambda_context: Any, now: dict[str, datetime]) -> str:
    deliver([dm("mid-1", "My parcel never arrived and nobody answers", now["now"])], aws, lambda_context)
    _, listing = api("GET", "/api/cases", query="status=queued", context=lambda_context)
    [case] = listing["items"]
    status, claimed = api("POST", f"/api/queues/{case['team']}/next", context=lambda_context)
    assert status == 200
    status, _ = api("POST", f"/api/cases/{case['case_id']}/resolve", body={}, context=lambda_context)
    assert status == 200
    return str(case["case_id"])


def fire_survey(aws: Any, lambda_context: Any, case_id: str) -> dict[str, Any]:
    from functions.followups.handler import handler as followups

    scheduler = boto3.client("scheduler")
    detail = scheduler.get_schedule(Name=f"sv-{case_id}", GroupName=aws.resolve["followups"])
    assert detail["ScheduleExpression"].startswith("at(")
    return followups(json.loads(detail["Target"]["Input"]), lambda_context)  # type: ignore[no-any-return]


def test_a_resolved_dm_is_surveyed_once_and_the_answer_keeps_the_case_resolved(
    aws, lambda_context, at_tuesday_morning
):
    # Given a Messenger case resolved by an agent (Messenger DMs get an NPS survey, config/heard.json)
    case_id = resolved_case(aws, lambda_context, at_tuesday_morning)
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    assert detail["case"]["survey"]["state"] == "scheduled" and detail["case"]["survey"]["kind"] == "nps"
    # When its schedule fires ten minutes later, twice (schedules deliver at least once)
    at_tuesday_morning["now"] += timedelta(minutes=10)
    assert fire_survey(aws, lambda_context, case_id)["status"] == "survey sent"
    assert fire_survey(aws, lambda_context, case_id)["status"] == "survey sent"
    # Then one survey waits on the outbox for the customer's own channel
    surveys = [t for t in outbox_texts(aws) if "recommend" in t]
    assert len(surveys) == 1
    # When the customer answers "9"
    at_tuesday_morning["now"] += timedelta(minutes=2)
    assert deliver([dm("mid-2", "9", at_tuesday_morning["now"])], aws, lambda_context) == {
        "batchItemFailures": []
    }
    # Then the score is on the case, which stays resolved, and nothing went back to a queue
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    assert detail["case"]["status"] == "resolved"
    assert detail["case"]["survey"]["state"] == "answered" and detail["case"]["survey"]["score"] == 9
    assert "survey_answered" in [e["kind"] for e in detail["timeline"]]
    assert api("GET", "/api/cases", query="status=queued", context=lambda_context)[1]["items"] == []
    # And the supervisors' scores count it for the agent, the team and the topic
    status, scores = api("GET", "/api/surveys/scores", role="supervisor", context=lambda_context)
    assert status == 200
    [nps] = scores["kinds"]
    assert nps["kind"] == "nps" and nps["overall"]["answers"] == 1 and nps["overall"]["score"] == 100.0
    assert nps["by_agent"][0]["key"] == "agent@heard.local"
    assert nps["by_team"][0]["key"] == detail["case"]["team"]


def test_a_survey_due_after_the_window_closed_is_skipped_with_the_reason(
    aws, lambda_context, at_tuesday_morning
):
    case_id = resolved_case(aws, lambda_context, at_tuesday_morning)
    at_tuesday_morning["now"] += timedelta(days=2)  # Messenger's 24 h window has closed
    assert fire_survey(aws, lambda_context, case_id)["status"] == "survey skipped"
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    assert "window closed" in detail["case"]["survey"]["skipped_reason"]
    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=aws.resolve["outbox"],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed"],
    )["Attributes"]
    assert attributes == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesDelayed": "0"}


def test_scores_are_for_supervisors_and_refuse_a_bad_period(aws, lambda_context, at_tuesday_morning):
    assert api("GET", "/api/surveys/scores", role="agent", context=lambda_context)[0] == 403
    status, problem = api(
        "GET",
        "/api/surveys/scores",
        role="supervisor",
        query="start=2026-11-20T00:00:00Z&end=2026-11-10T00:00:00Z",
        context=lambda_context,
    )
    assert status == 422 and "before" in json.dumps(problem)
    status, problem = api(
        "GET",
        "/api/surveys/scores",
        role="supervisor",
        query="start=2026-11-20T00:00:00",
        context=lambda_context,
    )
    assert status == 422 and "time zone" in json.dumps(problem)
    status, empty = api("GET", "/api/surveys/scores", role="supervisor", context=lambda_context)
    assert status == 200 and empty["kinds"] == []
