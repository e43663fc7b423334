"""Crisis mode through the real handlers under moto: declare, matching posts answered with the holding
statement and routed to the point person's team at priority 1, update, end (R6, R15)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import boto3
import pytest

from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.unit.routing import fakes

STATEMENT = {
    "text": "We know some kettles overheat and we are investigating with urgency",
    "next_update": "by 15:00 UTC",
    "more_info": "https://example.com/kettle",
}
DECLARE = {
    "type": "safety",
    "name": "Kettle overheating",
    "keywords": ["overheat", "overheating", "smoking kettle"],
    "topics": [],
    "holding_statement": STATEMENT,
}


@pytest.fixture(autouse=True)
def _fake_classifier(monkeypatch):
    fakes.install(monkeypatch)


def subscribe_alerts(aws: Any) -> str:
    """An SQS queue subscribed to the alerts topic: what people would receive."""
    sqs, sns = boto3.client("sqs"), boto3.client("sns")
    url = sqs.create_queue(QueueName="alerts-inbox")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=aws.resolve["alerts"], Protocol="sqs", Endpoint=arn)
    return url


def alerts(url: str) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs")
    found = []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]).get(
            "Messages", []
        )
        if not batch:
            return found
        for m in batch:
            envelope = json.loads(m["Body"])
            found.append(
                {
                    "subject": envelope["Subject"],
                    "kind": envelope["MessageAttributes"]["kind"]["Value"],
                    "detail": json.loads(envelope["Message"]),
                }
            )
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


def outbox(aws: Any) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs")
    found = []
    while True:
        batch = sqs.receive_message(
            QueueUrl=aws.resolve["outbox"], MaxNumberOfMessages=10, WaitTimeSeconds=0
        ).get("Messages", [])
        if not batch:
            return found
        for m in batch:
            found.append(json.loads(m["Body"]))
            sqs.delete_message(QueueUrl=aws.resolve["outbox"], ReceiptHandle=m["ReceiptHandle"])


def drain_delayed(monkeypatch) -> None:
    # moto honours DelaySeconds: send automatic replies undelayed so the test can read them at once.
    from shared.usecases import automation

    monkeypatch.setattr(automation, "OUTBOX_DELAY_SECONDS", 0)


def case_of(case_id: str, context: Any) -> dict[str, Any]:
    status, detail = api("GET", f"/api/cases/{case_id}", context=context)
    assert status == 200
    return detail


def only_case(context: Any, status: str = "queued") -> dict[str, Any]:
    _, listing = api("GET", "/api/cases", query=f"status={status}", context=context)
    assert len(listing["items"]) == 1, listing
    return listing["items"][0]


def test_declared_crisis_answers_matching_posts_and_routes_them_to_the_point_person(
    aws, lambda_context, at_tuesday_morning, monkeypatch
):
    drain_delayed(monkeypatch)
    inbox = subscribe_alerts(aws)
    # Given a supervisor declares a product-safety crisis
    status, answer = api("POST", "/api/crises", role="supervisor", body=DECLARE, context=lambda_context)
    assert status == 201
    crisis = answer["crisis"]
    assert crisis["status"] == "active" and crisis["statement_version"] == 1 and crisis["team"] == "pr"
    assert crisis["statement_text"] == (
        "We know some kettles overheat and we are investigating with urgency. "
        "Next update: by 15:00 UTC. More: https://example.com/kettle"
    )
    assert [h["action"] for h in crisis["history"]] == ["declared"]
    # Then the point person and the backup are told
    declared = [a for a in alerts(inbox) if a["kind"] == "crisis_declared"]
    assert len(declared) == 1
    assert declared[0]["detail"]["notify"] == ["supervisor@heard.local", "admin@heard.local"]
    # When a customer posts about it (any case, whole word) and another about something else
    deliver(
        [
            comment("c-1", "cust-1", "My kettle started to OVERHEAT this morning"),
            comment("c-2", "cust-2", "Where is my parcel? the delivery is late"),
        ],
        aws,
        lambda_context,
    )
    # Then the matching post is a priority-1 crisis case of the PR team, owned by the point person (R6)
    _, listing = api("GET", "/api/cases", query="status=queued", context=lambda_context)
    _, owned = api("GET", "/api/cases", query="status=assigned", context=lambda_context)
    by_team = {c["team"]: c for c in listing["items"] + owned["items"]}
    tagged = by_team["pr"]
    assert tagged["owner"] == "supervisor@heard.local"
    assert tagged["priority"] == 1 and tagged["priority_reasons"][0] == "crisis"
    assert tagged["crisis"] == "safety" and "point person supervisor@heard.local" in tagged["routing_reason"]
    assert by_team["care"]["crisis"] is None and by_team["care"]["priority"] != 1
    # and it got the holding statement, with the contact line, once, on the outbox and the timeline
    sent = outbox(aws)
    assert len(sent) == 1 and sent[0]["case_id"] == tagged["case_id"] and sent[0]["author"] == "heard-bot"
    assert sent[0]["text"].startswith(crisis["statement_text"]) and "Prefer a person?" in sent[0]["text"]
    assert sent[0]["reply_context"]["comment_id"] == "c-1"
    detail = case_of(tagged["case_id"], lambda_context)
    replies = [e for e in detail["timeline"] if e["kind"] == "reply"]
    assert (
        len(replies) == 1 and replies[0]["actor"] == "heard-bot" and replies[0]["data"]["automatic"] is True
    )
    assert "crisis" in [e["kind"] for e in detail["timeline"]]
    # and the case stays open for a person: the statement is not the first response
    assert detail["case"]["status"] == "assigned" and detail["case"]["first_response_at"] is None
    assert detail["case"]["reply_due"] is not None
    # and the point person has it among their cases, with the ownership on the timeline; nothing queued
    _, mine = api("GET", "/api/cases", query="owner=me", role="supervisor", context=lambda_context)
    assert [c["case_id"] for c in mine["items"]] == [tagged["case_id"]]
    assert any("owned by its point person" in e["text"] for e in detail["timeline"])
    assert api("POST", "/api/queues/pr/next", role="supervisor", context=lambda_context)[0] == 204


def triage_cache_expires(deps_for) -> None:
    """CACHE_SECONDS later: the triage function (its own container in AWS, its own environment here) reads
    the active crises again; a change made through the api reaches it only then."""
    from shared.usecases.crisis import _forget

    _forget(deps_for("triage"))


def test_statement_goes_once_per_version_and_stops_when_the_crisis_ends(
    aws, lambda_context, at_tuesday_morning, monkeypatch, deps_for
):
    drain_delayed(monkeypatch)
    _, answer = api("POST", "/api/crises", role="supervisor", body=DECLARE, context=lambda_context)
    crisis_id = answer["crisis"]["crisis_id"]
    deliver([comment("c-1", "cust-1", "kettle overheating, help")], aws, lambda_context)
    case_id = only_case(lambda_context, "assigned")["case_id"]  # the point person owns it (R6)
    assert len(outbox(aws)) == 1
    # When the same customer writes again with the same statement in force: no second statement
    at_tuesday_morning["now"] += timedelta(minutes=5)
    deliver(
        [comment("c-2", "cust-1", "still overheating!", at=at_tuesday_morning["now"])], aws, lambda_context
    )
    assert outbox(aws) == []
    # Agents may not change the statement; a supervisor updates it in one call
    new = {
        **STATEMENT,
        "text": "Stop using model K2 kettles; a free replacement is on its way",
        "next_update": "2026-11-17T18:00:00Z",
    }
    assert (
        api("PATCH", f"/api/crises/{crisis_id}", body={"holding_statement": new}, context=lambda_context)[0]
        == 403
    )
    status, updated = api(
        "PATCH",
        f"/api/crises/{crisis_id}",
        role="supervisor",
        body={"holding_statement": new},
        context=lambda_context,
    )
    assert status == 200 and updated["crisis"]["statement_version"] == 2
    assert [h["action"] for h in updated["crisis"]["history"]] == ["declared", "updated"]
    # Then the customer's next message gets the new version, once
    at_tuesday_morning["now"] += timedelta(minutes=5)
    triage_cache_expires(deps_for)
    deliver(
        [
            comment(
                "c-3", "cust-1", "what should I do with the overheating kettle", at=at_tuesday_morning["now"]
            )
        ],
        aws,
        lambda_context,
    )
    sent = outbox(aws)
    assert len(sent) == 1 and sent[0]["text"].startswith("Stop using model K2 kettles")
    assert "Next update: 2026-11-17T18:00:00Z." in sent[0]["text"]
    detail = case_of(case_id, lambda_context)
    versions = [e["data"]["statement_version"] for e in detail["timeline"] if e["kind"] == "reply"]
    assert versions == [1, 2]
    # When the crisis ends (one call)
    status, ended = api(
        "POST",
        f"/api/crises/{crisis_id}/end",
        role="supervisor",
        body={"note": "all clear"},
        context=lambda_context,
    )
    assert status == 200 and ended["crisis"]["status"] == "ended" and ended["crisis"]["ended_at"]
    # Then new matching posts are ordinary cases: no automatic answer, no crisis tag
    triage_cache_expires(deps_for)
    deliver([comment("c-4", "cust-4", "my kettle overheats too")], aws, lambda_context)
    assert outbox(aws) == []
    _, listing = api("GET", "/api/cases", query="status=queued", context=lambda_context)
    fresh = [c for c in listing["items"] if c["case_id"] != case_id]
    assert len(fresh) == 1 and fresh[0]["crisis"] is None and fresh[0]["team"] == "care"
    # and the crisis list shows it as ended, with its history
    _, crises = api("GET", "/api/crises", context=lambda_context)
    assert [c["status"] for c in crises["items"]] == ["ended"]
    assert [h["action"] for h in crises["items"][0]["history"]] == ["declared", "updated", "ended"]
    # Updating an ended crisis is refused; ending twice is harmless
    assert (
        api(
            "PATCH", f"/api/crises/{crisis_id}", role="supervisor", body={"name": "x"}, context=lambda_context
        )[0]
        == 409
    )
    assert api("POST", f"/api/crises/{crisis_id}/end", role="supervisor", context=lambda_context)[0] == 200


def test_topic_match_and_a_statement_too_long_for_x_is_noted_instead_of_sent(
    aws, lambda_context, at_tuesday_morning, monkeypatch
):
    drain_delayed(monkeypatch)
    long_statement = {
        **STATEMENT,
        "text": "We are aware of problems with deliveries across the country. " * 3,
    }
    body = {
        **DECLARE,
        "type": "outage",
        "name": "Courier strike",
        "keywords": [],
        "topics": ["delivery"],
        "holding_statement": long_statement,
    }
    assert api("POST", "/api/crises", role="supervisor", body=body, context=lambda_context)[0] == 201
    from shared.models.interaction import Platform

    tweet = comment("t-1", "x-cust", "where is my parcel").model_copy(update={"platform": Platform.X})
    deliver([tweet], aws, lambda_context)
    case = only_case(lambda_context, "assigned")
    assert case["crisis"] == "outage" and case["team"] == "pr"
    assert outbox(aws) == []
    detail = case_of(case["case_id"], lambda_context)
    notes = [e for e in detail["timeline"] if e["kind"] == "note"]
    assert len(notes) == 1 and "x allows 280" in notes[0]["text"]


def test_declaring_needs_a_supervisor_a_known_type_and_something_to_match(
    aws, lambda_context, at_tuesday_morning
):
    assert api("POST", "/api/crises", body=DECLARE, context=lambda_context)[0] == 403
    status, answer = api(
        "POST", "/api/crises", role="admin", body={**DECLARE, "type": "volcano"}, context=lambda_context
    )
    assert status == 422 and "unknown crisis type 'volcano'" in answer["message"]
    status, answer = api(
        "POST",
        "/api/crises",
        role="admin",
        body={**DECLARE, "keywords": [], "topics": []},
        context=lambda_context,
    )
    assert status == 422 and "at least one keyword or topic" in answer["message"]
    status, answer = api(
        "POST", "/api/crises", role="admin", body={**DECLARE, "topics": ["weather"]}, context=lambda_context
    )
    assert status == 422 and "weather" in answer["message"]
    bad_statement = {**DECLARE, "holding_statement": {"text": "x", "next_update": "soon"}}
    assert api("POST", "/api/crises", role="admin", body=bad_statement, context=lambda_context)[0] == 422
    assert api("GET", "/api/crises/k0000000000000000000", context=lambda_context)[0] == 404
    assert api("GET", "/api/crises/nope", context=lambda_context)[0] == 422
