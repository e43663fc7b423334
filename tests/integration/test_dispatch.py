"""Replies leave through the dispatcher to the platform (the built-in fakes), exactly once; rate limits
retry through the queue and refusals are recorded on the case."""

from __future__ import annotations

from datetime import timedelta

import boto3

from infra.local.events import sqs_event
from shared.models.interaction import Channel, DeliveryStatus, EventKind, Interaction, Platform
from tests.integration.conftest import TUESDAY_MORNING
from tests.integration.test_case_lifecycle import api, comment, deliver


def outbox_event(aws) -> dict:
    sqs = boto3.client("sqs")
    messages = sqs.receive_message(
        # Automatic replies are queued with a short delay (automation.OUTBOX_DELAY_SECONDS): wait for them.
        QueueUrl=aws.resolve["outbox"],
        MaxNumberOfMessages=10,
        AttributeNames=["All"],
        WaitTimeSeconds=5,
    )["Messages"]
    return sqs_event(messages, "arn:aws:sqs:eu-west-1:123456789012:outbox")


def claimed_case_with_reply(aws, context, text="Sorry about that, Jo!") -> str:
    deliver([comment()], aws, context)
    _, claimed = api("POST", "/api/queues/care/next", context=context)
    case_id = claimed["case"]["case_id"]
    assert api("POST", f"/api/cases/{case_id}/replies", body={"text": text}, context=context)[0] == 202
    return case_id


def reply_entry(case_id: str, context) -> dict:
    _, detail = api("GET", f"/api/cases/{case_id}", context=context)
    return next(e for e in detail["timeline"] if e["kind"] == "reply")


def test_reply_reaches_the_platform_once_and_statuses_update_it(
    aws, fakes, lambda_context, at_tuesday_morning
):
    from functions.dispatcher.handler import handler as dispatcher

    case_id = claimed_case_with_reply(aws, lambda_context)
    event = outbox_event(aws)
    # When the dispatcher consumes the reply, and the same message is delivered again
    assert dispatcher(event, lambda_context) == {"batchItemFailures": []}
    assert dispatcher(event, lambda_context) == {"batchItemFailures": []}
    # Then the customer got exactly one public reply under their comment
    sent = [s for s in fakes.sent if s["platform"] == "meta"]
    assert len(sent) == 1
    assert sent[0]["path"].endswith("/c-1/comments")
    assert "Sorry about that, Jo!" in sent[0]["json"]["message"]
    entry = reply_entry(case_id, lambda_context)
    assert entry["data"]["delivery"] == "sent" and entry["data"]["platform_message_id"]
    # When the platform reports the reply as read
    status = Interaction(
        platform=Platform.FACEBOOK,
        kind=EventKind.STATUS,
        channel=Channel.COMMENT,
        platform_id=entry["data"]["platform_message_id"],
        dedupe_key="facebook:status:read:1",
        author={"id": "page-1"},
        conversation_id="post-1",
        occurred_at=TUESDAY_MORNING + timedelta(minutes=5),
        status=DeliveryStatus.READ,
    )
    deliver([status], aws, lambda_context)
    assert reply_entry(case_id, lambda_context)["data"]["delivery"] == "read"


def test_rate_limited_reply_is_retried_not_dropped(aws, fakes, lambda_context, at_tuesday_morning):
    from functions.dispatcher.handler import handler as dispatcher

    case_id = claimed_case_with_reply(aws, lambda_context)
    fakes.fail_next("meta", "rate_limit")
    event = outbox_event(aws)
    # When the platform says "slow down"
    answer = dispatcher(event, lambda_context)
    # Then the message is reported as failed so SQS redelivers it, and the reply waits to be retried
    assert len(answer["batchItemFailures"]) == 1
    assert reply_entry(case_id, lambda_context)["data"]["delivery"] == "retrying"
    # When it is redelivered, it goes out
    assert dispatcher(event, lambda_context) == {"batchItemFailures": []}
    assert reply_entry(case_id, lambda_context)["data"]["delivery"] == "sent"


def test_platform_refusal_is_recorded_on_the_case(aws, fakes, lambda_context, at_tuesday_morning):
    from functions.dispatcher.handler import handler as dispatcher

    case_id = claimed_case_with_reply(aws, lambda_context)
    fakes.fail_next("meta", "error")
    assert dispatcher(outbox_event(aws), lambda_context) == {"batchItemFailures": []}
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    reply = next(e for e in detail["timeline"] if e["kind"] == "reply")
    assert reply["data"]["delivery"] == "failed" and reply["data"]["delivery_error"]
    assert any(e["kind"] == "delivery" and "not sent" in e["text"] for e in detail["timeline"])


def test_reply_after_the_messaging_window_is_refused_with_a_reason(aws, lambda_context, at_tuesday_morning):
    dm = comment().model_copy(
        update={
            "platform": Platform.MESSENGER,
            "channel": Channel.DIRECT,
            "conversation_id": "cust-1",
            "reply_context": {"recipient_id": "cust-1", "page_id": "page-1"},
            "dedupe_key": "messenger:m-1:message",
            "occurred_at": TUESDAY_MORNING - timedelta(days=8),
        }
    )
    deliver([dm], aws, lambda_context)
    _, claimed = api("POST", "/api/queues/care/next", context=lambda_context)
    status, answer = api(
        "POST",
        f"/api/cases/{claimed['case']['case_id']}/replies",
        body={"text": "Hello"},
        context=lambda_context,
    )
    assert status == 409
    assert "stopped accepting replies" in answer["message"]


def test_a_reply_queued_before_its_entry_is_written_is_retried_not_dropped(
    aws, fakes, lambda_context, at_tuesday_morning
):
    from functions.dispatcher.handler import handler as dispatcher
    from shared.usecases.casework import OutboxMessage

    # Given an automatic reply whose outbox message overtook its case write
    early = OutboxMessage(
        case_id="c000000000001",
        reply_id="r1",
        entry_sk="T#2026-11-17T10:01:00.000Z#r1",
        platform=Platform.FACEBOOK,
        channel=Channel.COMMENT,
        conversation_id="post-1",
        reply_context={"comment_id": "c-1"},
        text="We're on it.",
        last_customer_at=TUESDAY_MORNING,
        author="heard-bot",
    )
    event = sqs_event(
        [
            {
                "MessageId": "m-1",
                "ReceiptHandle": "r-1",
                "Body": early.model_dump_json(),
                "Attributes": {},
                "MD5OfBody": "x",
            }
        ],
        "arn:aws:sqs:eu-west-1:123456789012:outbox",
    )
    # When the dispatcher receives it
    answer = dispatcher(event, lambda_context)
    # Then it is handed back to the queue for a later try, and nothing was sent
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    assert fakes.sent == []


def linkedin_comment() -> Interaction:
    urn = "urn:li:comment:(urn:li:activity:7001,7101)"
    return comment().model_copy(
        update={
            "platform": Platform.LINKEDIN,
            "platform_id": urn,
            "dedupe_key": "linkedin:notification:81001",
            "account_id": "urn:li:organization:2414183",
            "conversation_id": "urn:li:share:7001",
            "reply_context": {
                "object_urn": "urn:li:share:7001",
                "activity_urn": urn,
                "organization_urn": "urn:li:organization:2414183",
            },
        }
    )


def test_a_linkedin_comment_is_answered_once_through_linkedins_api_and_a_rate_limit_is_retried(
    aws, fakes, lambda_context, at_tuesday_morning
):
    from functions.dispatcher.handler import handler as dispatcher

    # Given an agent's reply to a LinkedIn comment, and LinkedIn saying "slow down" at first
    deliver([linkedin_comment()], aws, lambda_context)
    _, claimed = api("POST", "/api/queues/care/next", context=lambda_context)
    case_id = claimed["case"]["case_id"]
    body = {"text": "Sorry, we will call you back today."}
    assert api("POST", f"/api/cases/{case_id}/replies", body=body, context=lambda_context)[0] == 202
    fakes.fail_next("linkedin", "rate_limit")
    event = outbox_event(aws)
    # When the dispatcher consumes it: the rate limit sends it back to the queue, waiting to be retried
    assert len(dispatcher(event, lambda_context)["batchItemFailures"]) == 1
    assert reply_entry(case_id, lambda_context)["data"]["delivery"] == "retrying"
    # When it is redelivered, twice
    assert dispatcher(event, lambda_context) == {"batchItemFailures": []}
    assert dispatcher(event, lambda_context) == {"batchItemFailures": []}
    # Then the organisation commented exactly once, under the customer's comment
    sent = [s for s in fakes.sent if s["platform"] == "linkedin" and s["status"] == 201]
    assert len(sent) == 1
    assert sent[0]["json"]["parentComment"] == "urn:li:comment:(urn:li:activity:7001,7101)"
    assert sent[0]["json"]["actor"] == "urn:li:organization:2414183"
    assert "Sorry, we will call you back today." in sent[0]["json"]["message"]["text"]
    entry = reply_entry(case_id, lambda_context)
    assert entry["data"]["delivery"] == "sent"
    assert entry["data"]["platform_message_id"] == f"urn:li:comment:(urn:li:activity:7001,{sent[0]['id']})"
