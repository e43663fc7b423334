"""Crisis updates reach everyone affected (issue 17) through the real handlers under moto: the api starts a
version's delivery, the broadcaster queues one reply per case on its own channel, the dispatcher sends it
to the platform fakes; exactly once per case and version, opt-outs respected, progress on the crisis."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import boto3
import pytest

from infra.local.events import sqs_event
from shared.models.interaction import Channel, Platform
from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.integration.test_crisis import DECLARE, STATEMENT, drain_delayed, outbox
from tests.unit.routing import fakes as classifier_fakes

NEW = {**STATEMENT, "text": "Stop using model K2 kettles; a free replacement is on its way"}


@pytest.fixture(autouse=True)
def _fake_classifier(monkeypatch):
    classifier_fakes.install(monkeypatch)


def three_customers(at) -> list[Any]:
    """A public Facebook comment, a WhatsApp message and an X mention, all about the crisis."""
    facebook = comment("c-1", "fb-cust", "my kettle is overheating", at=at)
    whatsapp = comment("wamid-1", "447700900001", "kettle overheating at home", at=at).model_copy(
        update={
            "platform": Platform.WHATSAPP,
            "channel": Channel.DIRECT,
            "dedupe_key": "whatsapp:wamid-1:message",
            "conversation_id": "447700900001",
            "reply_context": {"phone_number_id": "106540352242922", "to": "447700900001"},
        }
    )
    tweet = comment("t-1", "x-cust", "@brand my kettle is overheating", at=at).model_copy(
        update={
            "platform": Platform.X,
            "channel": Channel.MENTION,
            "dedupe_key": "x:t-1:message",
            "conversation_id": "t-1",
            "reply_context": {"tweet_id": "t-1", "author_id": "x-cust"},
        }
    )
    return [facebook, whatsapp, tweet]


def queue_event(aws: Any, queue: str) -> dict[str, Any]:
    sqs = boto3.client("sqs")
    messages = sqs.receive_message(
        QueueUrl=aws.resolve[queue], MaxNumberOfMessages=10, AttributeNames=["All"]
    ).get("Messages", [])
    return sqs_event(messages, f"arn:aws:sqs:eu-west-1:123456789012:{queue}")


def broadcast(aws: Any, context: Any, *, again: bool = False) -> list[dict[str, Any]]:
    """Run the broadcaster on every queued page (twice each when `again`: SQS delivers at least once)."""
    from functions.broadcaster.handler import handler as broadcaster

    while True:
        event = queue_event(aws, "crisis-updates")
        if not event["Records"]:
            break
        assert broadcaster(event, context) == {"batchItemFailures": []}
        if again:
            assert broadcaster(event, context) == {"batchItemFailures": []}
        for record in event["Records"]:
            boto3.client("sqs").delete_message(
                QueueUrl=aws.resolve["crisis-updates"], ReceiptHandle=record["receiptHandle"]
            )
    return outbox(aws)


def dispatch(messages: list[dict[str, Any]], context: Any) -> None:
    from functions.dispatcher.handler import handler as dispatcher

    records = [
        {
            "MessageId": f"o-{i}",
            "ReceiptHandle": f"r-{i}",
            "Body": json.dumps(m),
            "Attributes": {},
            "MD5OfBody": "x",
        }
        for i, m in enumerate(messages)
    ]
    event = sqs_event(records, "arn:aws:sqs:eu-west-1:123456789012:outbox")
    assert dispatcher(event, context) == {"batchItemFailures": []}


def crisis_replies(case_id: str, context: Any) -> list[dict[str, Any]]:
    _, detail = api("GET", f"/api/cases/{case_id}", context=context)
    return [e for e in detail["timeline"] if e["kind"] == "reply"]


def test_an_updated_statement_reaches_every_customer_of_the_crisis_once_on_their_own_channel(
    aws, fakes, lambda_context, at_tuesday_morning, monkeypatch
):
    drain_delayed(monkeypatch)
    # Given a declared crisis and three customers on three platforms who got the holding statement
    _, answer = api("POST", "/api/crises", role="supervisor", body=DECLARE, context=lambda_context)
    crisis_id = answer["crisis"]["crisis_id"]
    deliver(three_customers(at_tuesday_morning["now"]), aws, lambda_context)
    holding = outbox(aws)
    assert sorted(m["platform"] for m in holding) == ["facebook", "whatsapp", "x"]
    dispatch(holding, lambda_context)
    assert len(fakes.sent) == 3
    fakes.reset()
    # When the supervisor updates the statement an hour later
    at_tuesday_morning["now"] += timedelta(hours=1)
    status, updated = api(
        "PATCH",
        f"/api/crises/{crisis_id}",
        role="supervisor",
        body={"holding_statement": NEW},
        context=lambda_context,
    )
    assert status == 200 and updated["crisis"]["history"][-1]["statement"].startswith("Stop using model K2")
    # Then the broadcaster (each page delivered twice) queues exactly one update per customer
    queued = broadcast(aws, lambda_context, again=True)
    assert sorted(m["platform"] for m in queued) == ["facebook", "whatsapp", "x"]
    assert all(m["text"].startswith("Update: Stop using model K2") for m in queued)
    assert {m["broadcast"] for m in queued} == {f"{crisis_id}#2"}
    # and each goes out on the customer's own channel: a public comment reply, a WhatsApp message, a tweet
    dispatch(queued + queued, lambda_context)  # the outbox redelivers too
    sent = fakes.sent
    assert len(sent) == 3
    meta = [r for r in sent if r["platform"] == "meta"]
    assert sorted(r["path"].rsplit("/", 1)[1] for r in meta) == ["comments", "messages"]
    assert any(r["json"].get("messaging_product") == "whatsapp" for r in meta)
    tweet = next(r for r in sent if r["platform"] == "x")
    assert tweet["json"]["reply"]["in_reply_to_tweet_id"] == "t-1"
    # and the crisis page shows the progress: three queued, three sent, none failed
    status, progress = api("GET", f"/api/crises/{crisis_id}/updates", context=lambda_context)
    assert status == 200
    latest = progress["items"][0]
    assert latest["statement_version"] == 2 and latest["done_at"]
    assert (latest["queued"], latest["sent"], latest["failed"]) == (3, 3, 0)
    assert latest["by_platform"] == {"facebook": 1, "whatsapp": 1, "x": 1}
    # When a customer writes again, the version they already have is not sent a second time
    at_tuesday_morning["now"] += timedelta(minutes=5)
    from shared.usecases.crisis import _forget

    _forget_all(_forget)
    deliver(
        [comment("c-2", "fb-cust", "still overheating", at=at_tuesday_morning["now"])], aws, lambda_context
    )
    assert outbox(aws) == []
    # and a supervisor asking to send again reaches nobody twice
    assert (
        api("POST", f"/api/crises/{crisis_id}/updates", role="supervisor", context=lambda_context)[0] == 202
    )
    assert broadcast(aws, lambda_context) == []


def _forget_all(forget: Any) -> None:
    from shared.usecases.deps import _default

    for deps in _default.values():
        forget(deps)


def test_opted_out_customers_get_nothing_and_the_end_sends_a_closing_statement(
    aws, fakes, lambda_context, at_tuesday_morning, monkeypatch
):
    drain_delayed(monkeypatch)
    _, answer = api("POST", "/api/crises", role="supervisor", body=DECLARE, context=lambda_context)
    crisis_id = answer["crisis"]["crisis_id"]
    deliver(three_customers(at_tuesday_morning["now"]), aws, lambda_context)
    outbox(aws)
    _, listing = api("GET", "/api/cases", query="status=assigned", context=lambda_context)
    x_case = next(c for c in listing["items"] if c["platform"] == "x")
    # Given the X customer asked for no more updates (recorded by an agent; agents in the case's team)
    status, opted = api(
        "PUT",
        f"/api/cases/{x_case['case_id']}/updates-opt-out",
        role="supervisor",
        body={"opt_out": True},
        context=lambda_context,
    )
    assert status == 200 and opted["case"]["updates_opt_out"] is True
    assert (
        api("PUT", f"/api/cases/{x_case['case_id']}/updates-opt-out", body={}, context=lambda_context)[0]
        == 422
    )
    # When the crisis ends with a closing statement
    at_tuesday_morning["now"] += timedelta(hours=2)
    status, ended = api(
        "POST",
        f"/api/crises/{crisis_id}/end",
        role="supervisor",
        body={"note": "fixed", "closing_statement": "The K2 recall is complete"},
        context=lambda_context,
    )
    assert status == 200 and ended["crisis"]["statement_version"] == 2
    # Then everyone else gets it once; the opted-out customer gets nothing
    queued = broadcast(aws, lambda_context)
    assert sorted(m["platform"] for m in queued) == ["facebook", "whatsapp"]
    assert queued[0]["text"].startswith("The K2 recall is complete. This is our final update.")
    _, progress = api("GET", f"/api/crises/{crisis_id}/updates", context=lambda_context)
    assert progress["items"][0]["skipped"] == {"opted_out": 1}
    assert crisis_replies(x_case["case_id"], lambda_context)[-1]["data"].get("statement_version") == 1


def test_a_refused_update_is_a_visible_failure_and_unknown_crises_are_404(
    aws, fakes, lambda_context, at_tuesday_morning, monkeypatch
):
    drain_delayed(monkeypatch)
    _, answer = api("POST", "/api/crises", role="supervisor", body=DECLARE, context=lambda_context)
    crisis_id = answer["crisis"]["crisis_id"]
    deliver(three_customers(at_tuesday_morning["now"])[:1], aws, lambda_context)
    outbox(aws)
    api(
        "PATCH",
        f"/api/crises/{crisis_id}",
        role="supervisor",
        body={"holding_statement": NEW},
        context=lambda_context,
    )
    queued = broadcast(aws, lambda_context)
    fakes.fail_next("meta", "error")
    dispatch(queued, lambda_context)
    _, progress = api("GET", f"/api/crises/{crisis_id}/updates", context=lambda_context)
    latest = progress["items"][0]
    assert (latest["sent"], latest["failed"]) == (0, 1)
    assert latest["failures"][0]["platform"] == "facebook" and latest["failures"][0]["reason"]
    assert api("GET", "/api/crises/k0000000000000000000/updates", context=lambda_context)[0] == 404
    assert api("POST", f"/api/crises/{crisis_id}/updates", context=lambda_context)[0] == 403


def status_page(aws: Any, crisis_id: str) -> str:
    body = boto3.client("s3").get_object(Bucket=aws.resolve["status"], Key=f"status/{crisis_id}.html")["Body"]
    return str(body.read().decode("utf-8"))


def test_the_public_status_page_follows_the_crisis_and_every_holding_reply_links_it(
    aws, lambda_context, at_tuesday_morning, monkeypatch
):
    drain_delayed(monkeypatch)
    # When a supervisor declares a crisis whose name a customer could not have typed safely
    status, answer = api(
        "POST",
        "/api/crises",
        role="supervisor",
        body={**DECLARE, "name": "Kettles <b>hot</b>"},
        context=lambda_context,
    )
    assert status == 201
    crisis = answer["crisis"]
    # Then its public page is published at once, escaped, with the statement and the next update
    page = status_page(aws, crisis["crisis_id"])
    assert "Kettles &lt;b&gt;hot&lt;/b&gt;" in page and "<b>hot" not in page
    assert "We know some kettles overheat" in page and "by 15:00 UTC" in page and "Ongoing" in page
    assert crisis["status_url"].endswith(f"/status/{crisis['crisis_id']}.html")
    # and the holding statement a customer receives links it (R15: where to find more)
    deliver([comment("c-1", "fb-cust", "my kettle is overheating")], aws, lambda_context)
    sent = outbox(aws)
    assert len(sent) == 1 and f"Status: {crisis['status_url']}" in sent[0]["text"]
    # When the statement is updated and then the crisis ends, the page shows the history and the end
    at_tuesday_morning["now"] += timedelta(hours=1)
    api(
        "PATCH",
        f"/api/crises/{crisis['crisis_id']}",
        role="supervisor",
        body={"holding_statement": NEW},
        context=lambda_context,
    )
    page = status_page(aws, crisis["crisis_id"])
    assert page.index("Stop using model K2") < page.index("We know some kettles overheat")
    at_tuesday_morning["now"] += timedelta(hours=1)
    api(
        "POST",
        f"/api/crises/{crisis['crisis_id']}/end",
        role="supervisor",
        body={"closing_statement": "The recall is complete"},
        context=lambda_context,
    )
    page = status_page(aws, crisis["crisis_id"])
    assert "Resolved" in page and "Final update" in page and "The recall is complete" in page


def test_a_public_reply_moving_to_private_carries_the_platforms_dm_link(
    aws, lambda_context, at_tuesday_morning
):
    # Given a public Facebook comment and an X mention, claimed by an agent
    at = at_tuesday_morning["now"]
    facebook, _, tweet = three_customers(at)
    facebook = facebook.model_copy(update={"text": "My order is wrong and I need to share my address"})
    tweet = tweet.model_copy(update={"text": "@brand my order never came, can you check?"})
    deliver([facebook, tweet], aws, lambda_context)
    _, listing = api("GET", "/api/cases", query="status=queued", context=lambda_context)
    cases = {c["platform"]: c["case_id"] for c in listing["items"]}
    # When the agent answers publicly and invites the customer to a private conversation
    for platform, link in (
        ("facebook", "https://m.me/page-1"),
        ("x", "https://x.com/messages/compose?recipient_id=1500000000000000001"),
    ):
        status, answer = api(
            "POST",
            f"/api/cases/{cases[platform]}/replies",
            role="supervisor",
            body={"text": "Let's sort this out privately:", "invite_private": True},
            context=lambda_context,
        )
        # Then the public reply carries the link that opens the DM with us, built from our account's id
        assert status == 202, answer
        assert answer["reply"]["text"].startswith(f"Let's sort this out privately: {link}")
        assert answer["reply"]["data"]["private"] is False
    # And asking for it on a reply that is already private is refused, naming why
    status, answer = api(
        "POST",
        f"/api/cases/{cases['facebook']}/replies",
        role="supervisor",
        body={"text": "Hi", "invite_private": True, "private": True},
        context=lambda_context,
    )
    assert status == 422 and "already private" in answer["message"]
