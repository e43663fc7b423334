"""A case's whole life through the real handlers under moto: intake, claim, reply, resolve, follow-ups,
SLA breach and the supervisor report."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlparse

import boto3

from infra.local.events import apigw_event, sqs_event
from shared.models.interaction import Author, Channel, EventKind, Interaction, Platform
from tests.integration.conftest import TUESDAY_MORNING


def comment(
    platform_id: str = "c-1",
    author_id: str = "cust-1",
    text: str = "",
    at: datetime = TUESDAY_MORNING,
    kind: EventKind = EventKind.MESSAGE,
) -> Interaction:
    return Interaction(
        platform=Platform.FACEBOOK,
        kind=kind,
        channel=Channel.COMMENT,
        platform_id=platform_id,
        dedupe_key=f"facebook:{platform_id}:{kind.value}",
        account_id="page-1",
        author=Author(id=author_id, name="Jo Customer"),
        conversation_id="post-1",
        text=text or "My parcel still hasn't arrived after two weeks, this is ridiculous",
        occurred_at=at,
        reply_context={"comment_id": platform_id, "page_id": "page-1"},
    )


def deliver(interactions: list[Interaction], provisioned: Any, context: Any) -> dict[str, Any]:
    from functions.triage.handler import handler

    messages = [
        {
            "MessageId": f"m-{i}",
            "ReceiptHandle": f"r-{i}",
            "Body": it.model_dump_json(),
            "Attributes": {},
            "MD5OfBody": "x",
        }
        for i, it in enumerate(interactions)
    ]
    return handler(sqs_event(messages, "arn:aws:sqs:eu-west-1:123456789012:ingest"), context)


def api(
    method: str,
    path: str,
    *,
    role: str | None = "agent",
    body: dict[str, Any] | None = None,
    context: Any = None,
    query: str = "",
) -> tuple[int, Any]:
    from functions.api.handler import handler

    claims = None
    if role:
        claims = {"email": f"{role}@heard.local", "cognito:groups": role, "sub": f"sub-{role}"}
    event = apigw_event(
        method=method,
        raw_path=path,
        query=query,
        headers=[("Content-Type", "application/json")],
        body=json.dumps(body).encode() if body is not None else b"",
        resource="/api/{proxy+}",
        path_parameters={"proxy": path.removeprefix("/api/")},
        source_ip="127.0.0.1",
        claims=claims,
    )
    answer = handler(event, context)
    payload = json.loads(answer["body"]) if answer.get("body") else None
    return answer["statusCode"], payload


def test_a_delivered_twice_comment_opens_exactly_one_queued_case(aws, lambda_context, at_tuesday_morning):
    # Given the same customer comment delivered twice (platforms deliver at least once)
    interaction = comment()
    # When the triage function consumes both copies
    answer = deliver([interaction, interaction], aws, lambda_context)
    # Then nothing failed and exactly one case exists, triaged and waiting in the care team's queue
    assert answer == {"batchItemFailures": []}
    status, listing = api("GET", "/api/cases", query="status=queued", context=lambda_context)
    assert status == 200
    assert len(listing["items"]) == 1
    case = listing["items"][0]
    assert case["team"] == "care"
    assert case["category"] == "complaint"
    assert case["sentiment"] == "negative"
    assert case["reply_due"].startswith("2026-11-17T11:00")  # one business hour after the comment


def test_agent_claims_replies_and_resolves_and_followups_follow(aws, lambda_context, at_tuesday_morning):
    deliver([comment()], aws, lambda_context)
    # When an agent takes the next case of the care queue
    status, claimed = api("POST", "/api/queues/care/next", context=lambda_context)
    assert status == 200
    case_id = claimed["case"]["case_id"]
    assert claimed["case"]["owner"] == "agent@heard.local"
    # and nobody else can take it: the queue is now empty
    assert api("POST", "/api/queues/care/next", role="trainee", context=lambda_context)[0] == 204
    # When the agent replies
    status, reply = api(
        "POST",
        f"/api/cases/{case_id}/replies",
        body={"text": "So sorry, Jo, we're on it."},
        context=lambda_context,
    )
    assert status == 202
    # Then the reply is on the timeline, carries a way to reach a person (R4), and waits on the outbox
    assert "Prefer a person?" in reply["reply"]["text"]
    status, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    kinds = [e["kind"] for e in detail["timeline"]]
    assert kinds[0] == "message_in" and "reply" in kinds and "assigned" in kinds
    assert detail["case"]["first_response_at"] is not None and detail["case"]["reply_due"] is None
    outbox = boto3.client("sqs").receive_message(QueueUrl=aws.resolve["outbox"], MaxNumberOfMessages=10)
    assert json.loads(outbox["Messages"][0]["Body"])["reply_context"]["comment_id"] == "c-1"
    # When the agent resolves the complaint
    status, resolved = api(
        "POST", f"/api/cases/{case_id}/resolve", body={"note": "refund issued"}, context=lambda_context
    )
    assert status == 200 and resolved["case"]["status"] == "resolved"
    # Then follow-ups at +1 week, +1 month and +6 months are scheduled as one-time schedules
    schedules = boto3.client("scheduler").list_schedules(GroupName=aws.resolve["followups"])["Schedules"]
    assert len(schedules) == 3
    labels = sorted(f["label"] for f in resolved["case"]["followups"])
    assert labels == ["1 month", "1 week", "6 months"]
    # When the one-week schedule fires
    from functions.followups.handler import handler as followups

    first = boto3.client("scheduler").get_schedule(
        Name=schedules[0]["Name"], GroupName=aws.resolve["followups"]
    )
    followups(json.loads(first["Target"]["Input"]), lambda_context)
    # Then a follow-up task is due on the case for its owner
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    assert any(f["state"] == "due" for f in detail["case"]["followups"])
    assert "followup_due" in [e["kind"] for e in detail["timeline"]]


def test_customer_writing_again_reaches_the_owner_of_their_resolved_case(
    aws, lambda_context, at_tuesday_morning
):
    deliver([comment()], aws, lambda_context)
    _, claimed = api("POST", "/api/queues/care/next", context=lambda_context)
    case_id = claimed["case"]["case_id"]
    api("POST", f"/api/cases/{case_id}/resolve", context=lambda_context)
    # When the same customer comments again two days later
    at_tuesday_morning["now"] += timedelta(days=2)
    deliver([comment("c-2", text="It broke again", at=at_tuesday_morning["now"])], aws, lambda_context)
    # Then the case reopens for the same specialist instead of a new case in the queue
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    assert detail["case"]["status"] == "assigned"
    assert detail["case"]["owner"] == "agent@heard.local"
    assert detail["case"]["message_count"] == 2
    assert api("POST", "/api/queues/care/next", context=lambda_context)[0] == 204


def test_sla_monitor_marks_overdue_cases_once_and_alerts(aws, lambda_context, at_tuesday_morning):
    from functions.sla.handler import handler as sla

    deliver([comment()], aws, lambda_context)
    # When the monitor runs before the hour is up, nothing happens
    assert sla({}, lambda_context) == {"breached": 0, "skipped": 0}
    # When it runs after the hour
    at_tuesday_morning["now"] += timedelta(minutes=75)
    assert sla({}, lambda_context) == {"breached": 1, "skipped": 0}
    # Then the case is marked, moved to the most urgent lane, and a second sweep does not alert again
    assert sla({}, lambda_context) == {"breached": 0, "skipped": 0}
    _, listing = api("GET", "/api/cases", query="status=queued", context=lambda_context)
    case = listing["items"][0]
    assert case["sla_breached"] is True and case["priority"] == 1
    assert "waiting time" in case["priority_reasons"]


def test_supervisor_report_has_a_row_per_case_and_a_download_link(
    aws, lambda_context, at_tuesday_morning, analytics_stream
):
    deliver(
        [comment(), comment("c-9", author_id="cust-9", text="Love the new app, thank you!")],
        aws,
        lambda_context,
    )
    assert analytics_stream() > 0  # the cases table's stream feeds the analytics store
    # Agents and trainees may not see reports
    assert api("POST", "/api/reports", role="trainee", context=lambda_context)[0] == 403
    # When a supervisor generates a report
    status, answer = api("POST", "/api/reports", role="supervisor", body={}, context=lambda_context)
    assert status == 202 and answer["report"]["status"] == "queued"
    report_id = answer["report"]["id"]
    from tests.integration.test_analytics import run_report_requests

    assert run_report_requests(aws, lambda_context) == 1  # the reports function makes it
    _, made = api("GET", f"/api/reports/{report_id}", role="supervisor", context=lambda_context)
    assert made["report"]["case_count"] == 2
    status, listing = api("GET", "/api/reports", role="supervisor", context=lambda_context)
    assert [r["id"] for r in listing["items"]] == [report_id]
    status, link = api(
        "GET",
        f"/api/reports/{report_id}/download",
        role="supervisor",
        query="format=csv",
        context=lambda_context,
    )
    assert status == 200 and link["url"].startswith("http")
    # Then the CSV in S3 has one row per case with the care metrics
    url = urlparse(link["url"])
    bucket = aws.resolve["reports"]
    key = unquote(url.path.lstrip("/").removeprefix(bucket + "/"))
    body = boto3.client("s3").get_object(Bucket=aws.resolve["reports"], Key=key)["Body"].read().decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 2
    assert {"first_response_minutes", "handling_minutes", "resolution_minutes", "sla_met", "owner"} <= set(
        rows[0]
    )


def test_api_refuses_missing_identity_and_bad_input(aws, lambda_context, at_tuesday_morning):
    assert api("GET", "/api/cases", role=None, context=lambda_context)[0] == 401
    assert api("GET", "/api/cases/nope!", context=lambda_context)[0] == 422
    assert api("GET", "/api/cases/c000000000000", context=lambda_context)[0] == 404
    assert (
        api("POST", "/api/cases/c000000000000/replies", body={"text": ""}, context=lambda_context)[0] == 422
    )
    assert api("POST", "/api/queues/nosuchteam/next", context=lambda_context)[0] == 404
    assert api("POST", "/api/queues/care/next", role="reviewer", context=lambda_context)[0] == 403


def test_a_reply_that_cannot_be_queued_is_marked_failed_and_answered_503(
    aws, lambda_context, at_tuesday_morning, deps_for
):
    from botocore.exceptions import ClientError

    from shared.adapters.outbox import SqsOutbox

    class BrokenSqs:
        def send_message(self, **_: object) -> None:
            raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "down"}}, "SendMessage")

    def BrokenOutbox() -> SqsOutbox:  # noqa: N802  # the real adapter over an SQS that is down
        return SqsOutbox("https://sqs.invalid/outbox", client=BrokenSqs())

    deliver([comment()], aws, lambda_context)
    _, claimed = api("POST", "/api/queues/care/next", context=lambda_context)
    case_id = claimed["case"]["case_id"]
    # Given the outbox is unreachable
    deps_for("api").overrides["outbox"] = BrokenOutbox()
    # When the agent replies
    status, answer = api(
        "POST", f"/api/cases/{case_id}/replies", body={"text": "On it!"}, context=lambda_context
    )
    # Then they are told to send it again, and the case does not pretend the reply is on its way
    assert status == 503 and "send it again" in answer["message"]
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    reply = next(e for e in detail["timeline"] if e["kind"] == "reply")
    assert reply["data"]["delivery"] == "failed"
