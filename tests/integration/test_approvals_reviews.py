"""Probation (R12) and blind empathy review (R11) through the real API handler under moto."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

import boto3
import pytest

from infra.local.events import apigw_event
from tests.integration.test_case_lifecycle import comment, deliver
from tests.integration.test_dispatch import outbox_event


def call(
    method: str,
    path: str,
    *,
    who: str,
    groups: str,
    body: dict[str, Any] | None = None,
    context: Any = None,
) -> tuple[int, Any]:
    """Call the API as `who` (an email) in Cognito `groups` (space-separated)."""
    from functions.api.handler import handler

    path, _, query = path.partition("?")
    event = apigw_event(
        method=method,
        raw_path=path,
        query=query,
        headers=[("Content-Type", "application/json")],
        body=json.dumps(body).encode() if body is not None else b"",
        resource="/api/{proxy+}",
        path_parameters={"proxy": path.removeprefix("/api/")},
        source_ip="127.0.0.1",
        claims={"email": who, "cognito:groups": groups, "sub": f"sub-{who}"},
    )
    answer = handler(event, context)
    return answer["statusCode"], json.loads(answer["body"]) if answer.get("body") else None


TRAINEE = ("tess@heard.local", "trainee")
AGENT = ("alex@heard.local", "agent")
SUPERVISOR = ("sam@heard.local", "supervisor")
REVIEWER = ("rita@heard.local", "reviewer")
REVIEWER_2 = ("ravi@heard.local", "reviewer")


@pytest.fixture(autouse=True)
def _in_the_care_team(request: pytest.FixtureRequest) -> None:
    """Only a team's members claim from its queue (R7): put the agent and the trainee in care."""
    if "aws" not in request.fixturenames:
        return
    request.getfixturevalue("aws")
    join_care(request.getfixturevalue("lambda_context"), TRAINEE, AGENT)


def join_care(ctx: Any, *users: tuple[str, str]) -> None:
    """A supervisor puts `users` in the care team, as the console's Teams page does."""
    for user in users:
        status, _ = as_(SUPERVISOR, "PUT", f"/api/people/{user[0]}", ctx, {"teams": ["care"]})
        assert status == 200


def as_(user: tuple[str, str], method: str, path: str, ctx: Any, body: dict[str, Any] | None = None):
    return call(method, path, who=user[0], groups=user[1], body=body, context=ctx)


def outbox_bodies(aws: Any) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs")
    answer = sqs.receive_message(QueueUrl=aws.resolve["outbox"], MaxNumberOfMessages=10)
    messages = answer.get("Messages", [])
    for m in messages:
        sqs.delete_message(QueueUrl=aws.resolve["outbox"], ReceiptHandle=m["ReceiptHandle"])
    return [json.loads(m["Body"]) for m in messages]


def claimed_case(user: tuple[str, str], ctx: Any) -> str:
    status, claimed = as_(user, "POST", "/api/queues/care/next", ctx)
    assert status == 200
    return str(claimed["case"]["case_id"])


def trainee_reply(
    ctx: Any, text: str = "So sorry, Jo, I can see how frustrating this is."
) -> tuple[str, str]:
    case_id = claimed_case(TRAINEE, ctx)
    status, answer = as_(TRAINEE, "POST", f"/api/cases/{case_id}/replies", ctx, {"text": text})
    assert status == 202
    return case_id, answer["reply"]["entry_id"]


def test_a_trainees_reply_waits_for_approval_and_is_not_sent(aws, lambda_context, at_tuesday_morning):
    deliver([comment()], aws, lambda_context)
    # When a trainee replies
    case_id, reply_id = trainee_reply(lambda_context)
    # Then the reply is on the timeline awaiting approval, nothing is on the outbox, and the SLA still runs
    _, detail = as_(TRAINEE, "GET", f"/api/cases/{case_id}", lambda_context)
    reply = next(e for e in detail["timeline"] if e["entry_id"] == reply_id)
    assert reply["data"]["delivery"] == "awaiting_approval"
    assert outbox_bodies(aws) == []
    assert detail["case"]["first_response_at"] is None and detail["case"]["reply_due"] is not None
    # and supervisors see it in the approvals list with the case's summary
    status, listing = as_(SUPERVISOR, "GET", "/api/approvals", lambda_context)
    assert status == 200
    [pending] = listing["items"]
    assert (pending["case_id"], pending["reply_id"], pending["author"]) == (case_id, reply_id, TRAINEE[0])
    assert "parcel" in pending["case"]["summary"] and pending["case"]["platform"] == "facebook"


def test_approving_puts_the_reply_on_the_outbox_and_counts_as_first_response(
    aws, lambda_context, at_tuesday_morning
):
    deliver([comment()], aws, lambda_context)
    case_id, reply_id = trainee_reply(lambda_context)
    # When a supervisor approves it twenty minutes later
    at_tuesday_morning["now"] += timedelta(minutes=20)
    status, answer = as_(
        SUPERVISOR, "POST", f"/api/cases/{case_id}/replies/{reply_id}/approve", lambda_context
    )
    # Then it is queued and on the outbox exactly as an agent's reply, authored by the trainee
    assert status == 200
    assert answer["reply"]["data"]["delivery"] == "queued"
    [message] = outbox_bodies(aws)
    assert (message["reply_id"], message["author"]) == (reply_id, TRAINEE[0])
    assert "Prefer a person?" in message["text"]
    # and the first response is the approval time; the timeline records who approved
    assert answer["case"]["first_response_at"].startswith("2026-11-17T10:21")
    _, detail = as_(TRAINEE, "GET", f"/api/cases/{case_id}", lambda_context)
    assert "reply_approved" in [e["kind"] for e in detail["timeline"]]
    reply = next(e for e in detail["timeline"] if e["entry_id"] == reply_id)
    assert reply["data"]["delivery"] == "queued" and reply["data"]["approved_by"] == SUPERVISOR[0]
    # and it left the approvals list; approving again is a conflict, not a second message
    assert as_(SUPERVISOR, "GET", "/api/approvals", lambda_context)[1]["items"] == []
    assert (
        as_(SUPERVISOR, "POST", f"/api/cases/{case_id}/replies/{reply_id}/approve", lambda_context)[0] == 409
    )
    assert outbox_bodies(aws) == []


def test_the_dispatcher_sends_an_approved_reply_to_the_platform(
    aws,
    fakes,
    lambda_context,
    at_tuesday_morning,
):
    from functions.dispatcher.handler import handler as dispatcher

    deliver([comment()], aws, lambda_context)
    case_id, reply_id = trainee_reply(lambda_context)
    as_(SUPERVISOR, "POST", f"/api/cases/{case_id}/replies/{reply_id}/approve", lambda_context)
    # When the dispatcher consumes the outbox
    assert dispatcher(outbox_event(aws), lambda_context) == {"batchItemFailures": []}
    # Then the customer got the trainee's approved reply, once, and the timeline says it was sent
    sent = [s for s in fakes.sent if s["platform"] == "meta"]
    assert len(sent) == 1 and "I can see how frustrating this is" in sent[0]["json"]["message"]
    _, detail = as_(TRAINEE, "GET", f"/api/cases/{case_id}", lambda_context)
    reply = next(e for e in detail["timeline"] if e["entry_id"] == reply_id)
    assert reply["data"]["delivery"] == "sent"


def test_rejecting_records_feedback_for_the_trainee_and_sends_nothing(
    aws, lambda_context, at_tuesday_morning
):
    deliver([comment()], aws, lambda_context)
    case_id, reply_id = trainee_reply(lambda_context, "Parcels are late sometimes.")
    # Feedback is required
    path = f"/api/cases/{case_id}/replies/{reply_id}/reject"
    assert as_(SUPERVISOR, "POST", path, lambda_context, {"feedback": ""})[0] == 422
    # When a supervisor rejects with feedback
    feedback = "Acknowledge how Jo feels and say what you will do next."
    status, answer = as_(SUPERVISOR, "POST", path, lambda_context, {"feedback": feedback})
    # Then the reply is rejected, never sent, and the trainee sees the feedback on the timeline
    assert status == 200 and answer["reply"]["data"]["delivery"] == "rejected"
    assert outbox_bodies(aws) == []
    _, detail = as_(TRAINEE, "GET", f"/api/cases/{case_id}", lambda_context)
    rejected = next(e for e in detail["timeline"] if e["kind"] == "reply_rejected")
    assert rejected["data"]["feedback"] == feedback and feedback in rejected["text"]
    reply = next(e for e in detail["timeline"] if e["entry_id"] == reply_id)
    assert reply["data"]["delivery"] == "rejected" and reply["data"]["feedback"] == feedback
    assert detail["case"]["first_response_at"] is None
    assert as_(SUPERVISOR, "GET", "/api/approvals", lambda_context)[1]["items"] == []
    # and approving it afterwards is refused
    assert as_(SUPERVISOR, "POST", path.replace("reject", "approve"), lambda_context)[0] == 409


def test_trainees_and_agents_may_not_approve_or_list(aws, lambda_context, at_tuesday_morning):
    deliver([comment()], aws, lambda_context)
    case_id, reply_id = trainee_reply(lambda_context)
    path = f"/api/cases/{case_id}/replies/{reply_id}/approve"
    assert as_(TRAINEE, "POST", path, lambda_context)[0] == 403
    assert as_(AGENT, "POST", path, lambda_context)[0] == 403
    assert as_(TRAINEE, "GET", "/api/approvals", lambda_context)[0] == 403
    assert outbox_bodies(aws) == []
    # An unknown reply is 404
    assert (
        as_(SUPERVISOR, "POST", f"/api/cases/{case_id}/replies/r0000nothere/approve", lambda_context)[0]
        == 404
    )


def test_an_agents_reply_needs_no_approval(aws, lambda_context, at_tuesday_morning):
    deliver([comment()], aws, lambda_context)
    case_id = claimed_case(AGENT, lambda_context)
    status, answer = as_(
        AGENT, "POST", f"/api/cases/{case_id}/replies", lambda_context, {"text": "Sorry, Jo!"}
    )
    assert status == 202 and answer["reply"]["data"]["delivery"] == "queued"
    assert len(outbox_bodies(aws)) == 1


# ---- blind empathy review (R11) ----------------------------------------------------------------------


def agent_first_reply(ctx: Any, clock_: dict[str, Any], text: str, user: tuple[str, str] = AGENT) -> str:
    """Claim the next case and answer it; a minute passes, so the pool's oldest-first order is fixed."""
    case_id = claimed_case(user, ctx)
    assert as_(user, "POST", f"/api/cases/{case_id}/replies", ctx, {"text": text})[0] == 202
    clock_["now"] += timedelta(minutes=1)
    return case_id


def test_the_first_reply_enters_the_pool_and_the_reviewer_sees_only_the_reply(
    aws, lambda_context, at_tuesday_morning
):
    deliver([comment()], aws, lambda_context)
    case_id = agent_first_reply(
        lambda_context, at_tuesday_morning, "I'm so sorry, Jo. I'll chase the courier now."
    )
    # A second reply on the same case does not enter the pool
    as_(AGENT, "POST", f"/api/cases/{case_id}/replies", lambda_context, {"text": "Update: it's on its way."})
    # When a reviewer asks for the next reply
    status, review = as_(REVIEWER, "POST", "/api/reviews/next", lambda_context)
    # Then they get the first reply's text, platform and channel, and nothing about the customer or author
    assert status == 200
    assert set(review) == {"review_id", "text", "platform", "channel", "claimed_until", "scale"}
    assert review["text"].startswith("I'm so sorry, Jo.")
    assert (review["platform"], review["channel"]) == ("facebook", "comment")
    flat = json.dumps(review)
    for secret in (case_id, "parcel", AGENT[0], "Jo Customer", "cust-1"):
        assert secret not in flat
    assert sorted(review["scale"]) == ["1", "2", "3", "4", "5"]
    # and nobody else gets the same reply while it is claimed
    assert as_(REVIEWER_2, "POST", "/api/reviews/next", lambda_context)[0] == 204


def test_a_graded_reply_shows_on_the_timeline_and_in_the_report(
    aws, lambda_context, at_tuesday_morning, analytics_stream
):
    deliver(
        [comment(), comment("c-2", author_id="cust-2", text="My order arrived broken, not happy")],
        aws,
        lambda_context,
    )
    first = agent_first_reply(lambda_context, at_tuesday_morning, "So sorry, Jo, that's a long wait.")
    second = agent_first_reply(lambda_context, at_tuesday_morning, "Sorry to hear that.")
    for _ in range(2):
        _, review = as_(REVIEWER, "POST", "/api/reviews/next", lambda_context)
        empathy, comment_text = (5, "Warm and specific") if review["text"].startswith("So sorry") else (2, "")
        status, graded = as_(
            REVIEWER,
            "POST",
            f"/api/reviews/{review['review_id']}",
            lambda_context,
            {"empathy": empathy, "comment": comment_text},
        )
        assert status == 200 and graded["empathy"] == empathy
    # The pool is empty now
    assert as_(REVIEWER, "POST", "/api/reviews/next", lambda_context)[0] == 204
    # The agent sees the grade on each case's timeline
    _, detail = as_(AGENT, "GET", f"/api/cases/{first}", lambda_context)
    [grade] = [e for e in detail["timeline"] if e["kind"] == "empathy_graded"]
    assert grade["data"]["empathy"] == 5 and "Warm and specific" in grade["text"]
    # The supervisor report aggregates per agent and has an empathy column
    analytics_stream()  # the analytics store is fed by the cases table's stream, off the request's path
    status, answer = as_(SUPERVISOR, "POST", "/api/reports", lambda_context, {})
    assert status == 202  # queued; the reports function makes it (as its SQS mapping would run it)
    from tests.integration.test_analytics import run_report_requests

    assert run_report_requests(aws, lambda_context) == 1
    s3 = boto3.client("s3")
    keys = s3.list_objects_v2(Bucket=aws.resolve["reports"])["Contents"]
    summary_key = next(k["Key"] for k in keys if k["Key"].endswith("summary.json"))
    csv_key = next(k["Key"] for k in keys if k["Key"].endswith("cases.csv"))
    summary = json.loads(s3.get_object(Bucket=aws.resolve["reports"], Key=summary_key)["Body"].read())
    assert summary["agents"][AGENT[0]]["empathy_graded"] == 2
    assert summary["agents"][AGENT[0]]["empathy_average"] == 3.5
    rows = list(
        csv.DictReader(
            io.StringIO(s3.get_object(Bucket=aws.resolve["reports"], Key=csv_key)["Body"].read().decode())
        )
    )
    assert {r["case_id"]: r["empathy"] for r in rows} == {first: "5", second: "2"}


def test_reviewers_never_get_their_own_reply_a_case_they_own_or_a_case_they_opened(
    aws, lambda_context, at_tuesday_morning
):
    deliver(
        [comment(), comment("c-2", author_id="cust-2"), comment("c-3", author_id="cust-3")],
        aws,
        lambda_context,
    )
    # A supervisor answered one case themselves (they own it and wrote the reply)
    own = agent_first_reply(lambda_context, at_tuesday_morning, "Sorry from the supervisor.", user=SUPERVISOR)
    # and opened another one, answered by an agent
    opened = agent_first_reply(lambda_context, at_tuesday_morning, "Sorry from the agent.")
    as_(SUPERVISOR, "GET", f"/api/cases/{opened}", lambda_context)
    # A third, unseen by the supervisor, answered by the agent
    agent_first_reply(lambda_context, at_tuesday_morning, "Sorry, I understand.")
    # When the supervisor asks for a review, they get only the unseen one
    status, review = as_(SUPERVISOR, "POST", "/api/reviews/next", lambda_context)
    assert status == 200 and review["text"].startswith("Sorry, I understand.")
    # and after grading it, nothing else is left for them
    as_(SUPERVISOR, "POST", f"/api/reviews/{review['review_id']}", lambda_context, {"empathy": 4})
    assert as_(SUPERVISOR, "POST", "/api/reviews/next", lambda_context)[0] == 204
    # A reviewer who read nothing still gets the other two, oldest first
    status, other = as_(REVIEWER, "POST", "/api/reviews/next", lambda_context)
    assert status == 200 and other["text"].startswith("Sorry from the supervisor.")
    assert own not in json.dumps(other)
    # Agents and trainees may not review
    assert as_(AGENT, "POST", "/api/reviews/next", lambda_context)[0] == 403
    assert as_(TRAINEE, "POST", "/api/reviews/next", lambda_context)[0] == 403


def test_an_approved_trainee_reply_is_reviewed_but_never_by_its_approver(
    aws, lambda_context, at_tuesday_morning
):
    deliver([comment()], aws, lambda_context)
    case_id, reply_id = trainee_reply(lambda_context)
    # A pending reply is not in the pool yet
    assert as_(REVIEWER, "POST", "/api/reviews/next", lambda_context)[0] == 204
    as_(SUPERVISOR, "POST", f"/api/cases/{case_id}/replies/{reply_id}/approve", lambda_context)
    # The approver has read the case: not for them
    assert as_(SUPERVISOR, "POST", "/api/reviews/next", lambda_context)[0] == 204
    status, review = as_(REVIEWER, "POST", "/api/reviews/next", lambda_context)
    assert status == 200 and review["text"].startswith("So sorry, Jo")


def test_claims_are_race_safe_and_only_the_claimer_grades(aws, lambda_context, at_tuesday_morning):
    from shared.usecases.deps import default_deps

    deliver([comment()], aws, lambda_context)
    agent_first_reply(lambda_context, at_tuesday_morning, "So sorry, Jo.")
    deps = default_deps()
    [item], _ = deps.quality.pool_page(None, 10)
    now = at_tuesday_morning["now"]
    stale = now - timedelta(minutes=30)
    # Given two reviewers who both saw the item free, the conditional claim lets exactly one win
    assert deps.quality.claim(item.review_id, REVIEWER[0], now, stale) is True
    assert deps.quality.claim(item.review_id, REVIEWER_2[0], now, stale) is False
    # The other reviewer may not grade it
    path = f"/api/reviews/{item.review_id}"
    assert as_(REVIEWER_2, "POST", path, lambda_context, {"empathy": 3})[0] == 409
    # Out-of-range grades are refused
    assert as_(REVIEWER, "POST", path, lambda_context, {"empathy": 6})[0] == 422
    # A claim left ungraded for more than 30 minutes goes back to the pool
    at_tuesday_morning["now"] += timedelta(minutes=31)
    status, review = as_(REVIEWER_2, "POST", "/api/reviews/next", lambda_context)
    assert status == 200 and review["review_id"] == item.review_id
    assert as_(REVIEWER, "POST", path, lambda_context, {"empathy": 3})[0] == 409
    assert as_(REVIEWER_2, "POST", path, lambda_context, {"empathy": 3})[0] == 200
    assert as_(REVIEWER_2, "POST", path, lambda_context, {"empathy": 3})[0] == 404
