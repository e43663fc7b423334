"""Hardening of replies through the real handlers under moto (issue 7: 2, 5, 6): a send abandoned
mid-way is recovered, a client's retry never sends two replies, trainees cannot resolve around approval,
and an "away" backup must be a real agent."""

from __future__ import annotations

import json
from datetime import timedelta

import boto3

from infra.local.events import apigw_event
from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.integration.test_dispatch import outbox_event, reply_entry


def claimed(aws, context, role: str = "agent") -> str:
    deliver([comment()], aws, context)
    _, answer = api("POST", "/api/queues/care/next", role=role, context=context)
    return answer["case"]["case_id"]


def reply_with_key(case_id: str, key: str, context, text: str = "On it!") -> tuple[int, dict]:
    from functions.api.handler import handler

    event = apigw_event(
        method="POST",
        raw_path=f"/api/cases/{case_id}/replies",
        query="",
        headers=[("Content-Type", "application/json"), ("Idempotency-Key", key)],
        body=json.dumps({"text": text}).encode(),
        resource="/api/{proxy+}",
        path_parameters={"proxy": f"cases/{case_id}/replies"},
        source_ip="127.0.0.1",
        claims={"email": "agent@heard.local", "cognito:groups": "agent", "sub": "sub-agent"},
    )
    answer = handler(event, context)
    return answer["statusCode"], json.loads(answer["body"])


def outbox_depth(aws) -> int:
    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=aws.resolve["outbox"], AttributeNames=["ApproximateNumberOfMessages"]
    )
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


def test_a_clients_retry_with_the_same_idempotency_key_sends_one_reply(
    aws, lambda_context, at_tuesday_morning
):
    case_id = claimed(aws, lambda_context)
    first = reply_with_key(case_id, "retry-1", lambda_context)
    again = reply_with_key(case_id, "retry-1", lambda_context)
    assert first[0] == again[0] == 202 and again[1]["reply"]["entry_id"] == first[1]["reply"]["entry_id"]
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    assert len([e for e in detail["timeline"] if e["kind"] == "reply"]) == 1
    assert outbox_depth(aws) == 1
    # The key may come in the body too; a header and a body that disagree are refused
    status, answer = api(
        "POST",
        f"/api/cases/{case_id}/replies",
        body={"text": "On it!", "idempotency_key": "retry-1"},
        context=lambda_context,
    )
    assert status == 202 and answer["reply"]["entry_id"] == first[1]["reply"]["entry_id"]
    bad = api(
        "POST",
        f"/api/cases/{case_id}/replies",
        body={"text": "x", "idempotency_key": "a b"},
        context=lambda_context,
    )
    assert bad[0] == 422


def test_a_dispatcher_that_died_mid_send_leaves_a_reply_needing_attention(
    aws, fakes, lambda_context, at_tuesday_morning
):
    from functions.dispatcher.handler import handler as dispatcher
    from shared.models.outbox import OutboxMessage
    from shared.usecases.deps import default_deps

    case_id = claimed(aws, lambda_context)
    assert (
        api("POST", f"/api/cases/{case_id}/replies", body={"text": "On it!"}, context=lambda_context)[0]
        == 202
    )
    event = outbox_event(aws)
    # Given a dispatcher took the send's lease and died before the platform answered
    message = OutboxMessage.model_validate_json(event["Records"][0]["body"])
    lease = default_deps().cases.take_send_lease(
        message.case_id, message.entry_sk, at_tuesday_morning["now"] + timedelta(seconds=60)
    )
    assert lease.taken
    # When the outbox redelivers while the lease holds, the send waits (retried later, nothing sent)
    assert dispatcher(event, lambda_context) == {
        "batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]
    }
    # When it redelivers after the lease ran out
    at_tuesday_morning["now"] += timedelta(minutes=3)
    assert dispatcher(event, lambda_context) == {"batchItemFailures": []}
    # Then nothing was sent blindly, and the case shows a failed reply that needs attention
    assert [s for s in fakes.sent if s["platform"] == "meta"] == []
    entry = reply_entry(case_id, lambda_context)
    assert entry["data"]["delivery"] == "failed" and entry["data"]["needs_attention"] is True
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    assert any(e["kind"] == "delivery" and "may or may not" in e["text"] for e in detail["timeline"])


def test_a_trainee_cannot_resolve_while_their_reply_waits(aws, lambda_context, at_tuesday_morning):
    case_id = claimed(aws, lambda_context, role="trainee")
    _, answer = api(
        "POST",
        f"/api/cases/{case_id}/replies",
        role="trainee",
        body={"text": "Sorry!"},
        context=lambda_context,
    )
    reply_id = answer["reply"]["entry_id"]
    status, refused = api(
        "POST", f"/api/cases/{case_id}/resolve", role="trainee", body={}, context=lambda_context
    )
    assert status == 409 and "approval" in refused["message"]
    _, detail = api("GET", f"/api/cases/{case_id}", role="trainee", context=lambda_context)
    assert detail["case"]["status"] == "assigned" and detail["case"]["reply_due"] is not None
    status, _ = api(
        "POST", f"/api/cases/{case_id}/replies/{reply_id}/approve", role="supervisor", context=lambda_context
    )
    assert status == 200


def test_an_away_backup_must_be_a_real_agent(aws, lambda_context, at_tuesday_morning):
    status, answer = api(
        "PUT",
        "/api/me/availability",
        body={"away": True, "backup": "trainee@heard.locl"},
        context=lambda_context,
    )
    assert status == 422 and "trainee@heard.locl is not an active agent" in answer["message"]
    assert api("GET", "/api/me/availability", context=lambda_context)[1]["away"] is False
