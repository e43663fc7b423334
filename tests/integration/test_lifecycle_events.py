"""Case and crisis lifecycle events on Heard's EventBridge bus (issue #17), through the real events
function under moto with only its own environment and role: the cases table's stream, as Lambda's stream
mapping would deliver it, becomes one event per lifecycle step; a rule on the bus (as a company's tool
would add) delivers them to a queue, where this test reads them. No event carries what anyone wrote."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from tests.integration.conftest import stream_drain
from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.integration.test_crisis import DECLARE, STATEMENT


@pytest.fixture
def events_stream(aws: Any, lambda_context: Any) -> Callable[[], int]:
    """The cases table's stream delivered to the events function (see `stream_drain`)."""
    return stream_drain(aws, lambda_context, "events")


@pytest.fixture
def subscriber(aws: Any) -> Callable[[], list[dict[str, Any]]]:
    """A company's rule on Heard's bus: every event from Heard to an SQS queue; returns a reader."""
    sqs, events = boto3.client("sqs"), boto3.client("events")
    url = sqs.create_queue(QueueName="company-tool")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    bus = aws.resolve["events"]
    events.put_rule(Name="all-heard", EventBusName=bus, EventPattern=json.dumps({"source": ["heard"]}))
    events.put_targets(Rule="all-heard", EventBusName=bus, Targets=[{"Id": "q", "Arn": arn}])

    def read() -> list[dict[str, Any]]:
        got: list[dict[str, Any]] = []
        while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            got += [json.loads(m["Body"]) for m in messages]
            sqs.delete_message_batch(
                QueueUrl=url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
            )
        return got

    return read


def test_a_cases_life_is_published_as_events_without_what_anyone_wrote(
    aws, lambda_context, at_tuesday_morning, events_stream, subscriber
):
    # Given a case opened, claimed, answered and resolved
    deliver([comment(text="My order is 2 weeks late, jo@example.com")], aws, lambda_context)
    _, claimed = api("POST", "/api/queues/care/next", context=lambda_context)
    case_id = claimed["case"]["case_id"]
    api(
        "POST", f"/api/cases/{case_id}/replies", body={"text": "So sorry, Jo, on it."}, context=lambda_context
    )
    status, _ = api(
        "POST", f"/api/cases/{case_id}/resolve", body={"note": "refund issued"}, context=lambda_context
    )
    assert status == 200
    # When the stream reaches the events function (twice: a stream batch may be delivered again)
    assert events_stream() > 0
    received = subscriber()
    # Then each step is one event from Heard, in order, for the case
    steps = [e["detail-type"] for e in received]
    assert steps == ["Case Opened", "Case Assigned", "Case Replied", "Case Resolved"]
    assert {e["source"] for e in received} == {"heard"} and {e["detail"]["case_id"] for e in received} == {
        case_id
    }
    resolved = received[-1]["detail"]
    assert resolved["schema_version"] == 1 and resolved["actor"] == "agent@heard.local"
    assert resolved["event_id"] == f"{case_id}#{resolved['entry_id']}"
    opened = received[0]["detail"]
    assert (opened["team"], opened["platform"], opened["status"]) == ("care", "facebook", "queued")
    # and nothing anyone wrote, nor the customer's name or email, leaves Heard
    text = json.dumps(received)
    for private in ("2 weeks late", "jo@example.com", "So sorry", "refund issued", "Jo"):
        assert private not in text


def test_a_crisis_declared_updated_and_ended_is_three_events(
    aws, lambda_context, at_tuesday_morning, events_stream, subscriber
):
    _, answer = api("POST", "/api/crises", role="supervisor", body=DECLARE, context=lambda_context)
    crisis_id = answer["crisis"]["crisis_id"]
    new = {**STATEMENT, "text": "Stop using model K2 kettles"}
    body = {"holding_statement": new}
    assert (
        api("PATCH", f"/api/crises/{crisis_id}", role="supervisor", body=body, context=lambda_context)[0]
        == 200
    )
    end = {"closing_statement": "All fixed"}
    assert (
        api("POST", f"/api/crises/{crisis_id}/end", role="supervisor", body=end, context=lambda_context)[0]
        == 200
    )
    events_stream()
    crises = [e for e in subscriber() if e["detail-type"].startswith("Crisis")]
    assert [(e["detail-type"], e["detail"]["statement_version"]) for e in crises] == [
        ("Crisis Declared", 1),
        ("Crisis Updated", 2),
        ("Crisis Ended", 3),
    ]
    assert crises[0]["detail"]["status_url"].endswith(f"{crisis_id}.html")
    assert "K2" not in json.dumps(crises)  # the statement's text is on the status page, not in the event
