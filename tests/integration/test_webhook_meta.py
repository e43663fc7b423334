"""Meta deliveries (Page feed, Messenger, Instagram, WhatsApp) from raw API Gateway event to queued
interactions, through the real handler under moto."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from shared.models.interaction import DeliveryStatus, EventKind, Platform
from tests.fixtures.webhooks.harness import body_of, webhook_stack_fixture  # noqa: F401  (fixture)
from tests.fixtures.webhooks.signing import SECRETS, api_event, fixture, signed_headers

NOW = datetime.now(UTC)


def deliver(stack, body: bytes, headers: dict[str, str] | None = None, **kwargs):
    headers = signed_headers("meta", body, NOW) if headers is None else headers
    return stack.invoke(api_event("meta", "POST", body, headers, **kwargs))


def test_verification_challenge_is_echoed_only_for_our_token(webhook_stack):
    # Given Meta's subscription check with our verify token, When it arrives, Then the challenge comes back verbatim
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": SECRETS["META_VERIFY_TOKEN"],
        "hub.challenge": "1158201444",
    }
    good = webhook_stack.invoke(api_event("meta", "GET", query=query))
    assert (good["statusCode"], good["body"]) == (200, "1158201444")
    # ... and a wrong token is refused without echoing anything
    bad = webhook_stack.invoke(api_event("meta", "GET", query={**query, "hub.verify_token": "guess"}))
    assert bad["statusCode"] == 403 and "1158201444" not in bad["body"]


def test_page_feed_batch_becomes_interactions_with_the_raw_bytes_archived(webhook_stack):
    body = fixture("meta_page_feed.json")
    response = deliver(webhook_stack, body)
    assert response["statusCode"] == 200

    archived = webhook_stack.archived()
    assert len(archived) == 1
    assert archived[0]["body"] == body  # byte for byte, not re-serialised
    assert archived[0]["key"].startswith(f"raw/meta/{NOW:%Y/%m/%d}/")
    assert archived[0]["metadata"]["signature-verified"] == "true"
    assert archived[0]["metadata"]["content-type"] == "application/json"

    queued = webhook_stack.queued()
    by_key = {i.dedupe_key: i for i in queued}
    comment = by_key["facebook:9001_7001:message"]
    assert comment.platform is Platform.FACEBOOK and comment.text.startswith("My order 1182")
    assert comment.reply_context == {
        "post_id": "555000111_9001",
        "page_id": "555000111",
        "comment_id": "9001_7001",
    }
    assert comment.archive_key == archived[0]["key"]
    # our own page's reply is an agent message, never a customer message
    assert by_key["facebook:9001_7002:echo"].kind is EventKind.ECHO
    edits = [i for i in queued if i.kind is EventKind.EDIT]
    assert [e.platform_id for e in edits] == ["9001_7001"] and "three weeks" in edits[0].text
    assert any(i.kind is EventKind.DELETE and i.platform_id == "9001_7003" for i in queued)
    assert any(i.channel.value == "mention" and i.author.id == "46464646" for i in queued)


def test_messenger_echoes_statuses_and_numeric_ids(webhook_stack):
    assert deliver(webhook_stack, fixture("meta_messenger.json"))["statusCode"] == 200
    queued = {i.dedupe_key: i for i in webhook_stack.queued()}
    message = queued["messenger:m_cust_1:message"]
    assert message.author.id == "6100000001" and message.account_id == "555000111"  # numbers became strings
    assert message.attachments[0].url == "https://example.invalid/receipt.jpg"
    assert queued["messenger:m_echo_1:echo"].kind is EventKind.ECHO
    assert queued["messenger:m_echo_1:echo"].conversation_id == "6100000001"  # threads with the customer
    assert queued["messenger:m_echo_1:status:delivered"].status is DeliveryStatus.DELIVERED
    assert any(i.status is DeliveryStatus.READ for i in queued.values())
    assert queued["messenger:m_pb_1:postback"].text == "Talk to a person"


def test_whatsapp_messages_replies_and_failed_status(webhook_stack):
    assert deliver(webhook_stack, fixture("whatsapp_messages.json"))["statusCode"] == 200
    queued = {i.dedupe_key: i for i in webhook_stack.queued()}
    assert queued["whatsapp:wamid.AAA1:message"].reply_context["phone_number_id"] == "106540352242922"
    assert queued["whatsapp:wamid.AAA2:message"].attachments[0].type == "image"
    assert queued["whatsapp:wamid.AAA3:message"].parent_id == "wamid.OURS1"  # a reply with context
    failed = queued["whatsapp:wamid.OURS2:status:failed"]
    assert failed.status is DeliveryStatus.FAILED and "131047" in (failed.error or "")
    # sent, delivered and read of the same message are three distinct events
    assert {k for k in queued if k.startswith("whatsapp:wamid.OURS1:status")} == {
        "whatsapp:wamid.OURS1:status:sent",
        "whatsapp:wamid.OURS1:status:delivered",
        "whatsapp:wamid.OURS1:status:read",
    }


def test_instagram_comments_mentions_and_dms(webhook_stack):
    assert deliver(webhook_stack, fixture("meta_instagram.json"))["statusCode"] == 200
    queued = webhook_stack.queued()
    kinds = {(i.channel.value, i.kind.value) for i in queued}
    assert kinds == {
        ("comment", "message"),
        ("comment", "echo"),
        ("mention", "message"),
        ("direct", "message"),
    }


def test_bad_or_missing_signature_is_401_and_nothing_is_stored(webhook_stack):
    body = fixture("meta_page_feed.json")
    forged = {"X-Hub-Signature-256": "sha256=" + "0" * 64}
    assert deliver(webhook_stack, body, forged)["statusCode"] == 401
    assert deliver(webhook_stack, body, {})["statusCode"] == 401
    # a body changed after signing (re-serialised JSON) does not verify either
    resigned = signed_headers("meta", body, NOW)
    assert deliver(webhook_stack, json.dumps(json.loads(body)).encode(), resigned)["statusCode"] == 401
    assert webhook_stack.archived() == [] and webhook_stack.queued() == []


def test_header_names_are_case_insensitive_and_base64_bodies_are_decoded(webhook_stack):
    body = fixture("meta_messenger.json")
    headers = {k.lower(): v for k, v in signed_headers("meta", body, NOW).items()}
    assert deliver(webhook_stack, body, headers, base64_body=True)["statusCode"] == 200
    assert webhook_stack.archived()[0]["body"] == body


def test_malformed_json_is_400_but_the_delivery_stays_archived(webhook_stack):
    body = b'{"object": "page", "entry": [ {"id": '
    response = deliver(webhook_stack, body)
    assert response["statusCode"] == 400 and "message" in body_of(response)
    assert [a["body"] for a in webhook_stack.archived()] == [body]
    assert webhook_stack.queued() == []


def test_redelivery_carries_the_same_dedupe_keys(webhook_stack):
    body = fixture("whatsapp_messages.json")
    deliver(webhook_stack, body)
    first = sorted(i.dedupe_key for i in webhook_stack.queued())
    deliver(webhook_stack, body)
    second = sorted(i.dedupe_key for i in webhook_stack.queued())
    assert first == second and len(first) == len(set(first))  # triage drops the second copy by these keys


def test_a_large_batch_is_enqueued_completely(webhook_stack):
    # (1000-update batches and their AWS call count are covered with a counting queue in the unit tests
    # and measured in bench/bench_ingest.py: moto's SQS slows down too much as a queue deepens.)
    entries = [
        {
            "id": "555000111",
            "time": 1767261600,
            "messaging": [
                {
                    "sender": {"id": str(7000 + n)},
                    "recipient": {"id": "555000111"},
                    "timestamp": 1767261600000 + n,
                    "message": {"mid": f"m_bulk_{n}", "text": f"message {n}"},
                }
            ],
        }
        for n in range(150)
    ]
    body = json.dumps({"object": "page", "entry": entries}).encode()
    assert deliver(webhook_stack, body)["statusCode"] == 200
    queued = webhook_stack.queued()
    assert len(queued) == 150 and len({i.platform_id for i in queued}) == 150


def test_unknown_object_is_accepted_archived_and_counted(webhook_stack):
    body = json.dumps(
        {"object": "permissions", "entry": [{"id": "1", "time": 1, "changes": [{"field": "x"}]}]}
    ).encode()
    assert deliver(webhook_stack, body)["statusCode"] == 200
    assert len(webhook_stack.archived()) == 1 and webhook_stack.queued() == []
