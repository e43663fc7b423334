"""X, Telegram, LinkedIn and the generic signed-JSON channel: raw request to queued interactions."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest

from shared.models.interaction import Channel, EventKind, Platform
from tests.fixtures.webhooks.harness import body_of, webhook_stack_fixture  # noqa: F401  (fixture)
from tests.fixtures.webhooks.signing import SECRETS, api_event, fixture, signed_headers


def deliver(stack, platform: str, body: bytes, headers: dict[str, str] | None = None):
    headers = signed_headers(platform, body, datetime.now(UTC)) if headers is None else headers
    return stack.invoke(api_event(platform, "POST", body, headers))


# ---- X ----


def test_x_crc_answer_is_the_base64_hmac_of_the_token(webhook_stack):
    response = webhook_stack.invoke(api_event("x", "GET", query={"crc_token": "abc123"}))
    expected = base64.b64encode(
        hmac.new(SECRETS["X_CONSUMER_SECRET"].encode(), b"abc123", hashlib.sha256).digest()
    )
    assert response["statusCode"] == 200
    assert body_of(response) == {"response_token": "sha256=" + expected.decode()}


def test_x_mentions_replies_dms_and_our_own_posts_as_echoes(webhook_stack):
    assert deliver(webhook_stack, "x", fixture("x_events.json"))["statusCode"] == 200
    queued = {i.dedupe_key: i for i in webhook_stack.queued()}
    mention = queued["x:tweet:1870000000000000001"]
    assert (mention.kind, mention.channel, mention.author.handle) == (
        EventKind.MESSAGE,
        Channel.MENTION,
        "jotravels",
    )
    assert mention.reply_context["tweet_id"] == "1870000000000000001" and mention.author.followers == 1520
    assert queued["x:tweet:1870000000000000002"].kind is EventKind.ECHO  # our account's tweet
    assert "booking reference" in queued["x:tweet:1870000000000000003"].text  # extended text, not truncated
    assert queued["x:dm:1870000000000000101"].reply_context == {"participant_id": "99001"}
    assert queued["x:dm:1870000000000000102"].kind is EventKind.ECHO
    assert queued["x:tweet:1870000000000000009:delete"].kind is EventKind.DELETE


def test_x_signature_mismatch_is_refused(webhook_stack):
    body = fixture("x_events.json")
    wrong = {"x-twitter-webhooks-signature": "sha256=" + base64.b64encode(b"0" * 32).decode()}
    assert deliver(webhook_stack, "x", body, wrong)["statusCode"] == 401
    assert webhook_stack.archived() == [] and webhook_stack.queued() == []


# ---- Telegram ----


def test_telegram_message_edit_and_channel_post(webhook_stack):
    for name in ("telegram_message.json", "telegram_edited_message.json", "telegram_channel_post.json"):
        assert deliver(webhook_stack, "telegram", fixture(name))["statusCode"] == 200
    queued = {i.dedupe_key: i for i in webhook_stack.queued()}
    assert set(queued) == {"telegram:update:700001", "telegram:update:700002", "telegram:update:700003"}
    first, edit = queued["telegram:update:700001"], queued["telegram:update:700002"]
    assert first.platform is Platform.TELEGRAM and first.reply_context == {
        "chat_id": "5550001",
        "message_id": "31",
    }
    assert edit.kind is EventKind.EDIT and edit.platform_id == first.platform_id
    post = queued["telegram:update:700003"]
    assert post.channel is Channel.POST and post.attachments[0].id == "large"
    assert len(webhook_stack.archived()) == 3


def test_telegram_wrong_secret_token_is_refused(webhook_stack):
    response = deliver(
        webhook_stack,
        "telegram",
        fixture("telegram_message.json"),
        {"X-Telegram-Bot-Api-Secret-Token": "not-it"},
    )
    assert response["statusCode"] == 401 and webhook_stack.archived() == []


def test_telegram_update_without_update_id_is_400(webhook_stack):
    assert deliver(webhook_stack, "telegram", b'{"message": {"text": "hi"}}')["statusCode"] == 400


# ---- LinkedIn ----


def test_linkedin_challenge(webhook_stack):
    response = webhook_stack.invoke(api_event("linkedin", "GET", query={"challengeCode": "890e4665"}))
    expected = hmac.new(SECRETS["LINKEDIN_CLIENT_SECRET"].encode(), b"890e4665", hashlib.sha256).hexdigest()
    assert body_of(response) == {"challengeCode": "890e4665", "challengeResponse": expected}


def test_linkedin_comments_mentions_and_edits(webhook_stack):
    assert deliver(webhook_stack, "linkedin", fixture("linkedin_notifications.json"))["statusCode"] == 200
    queued = {i.dedupe_key: i for i in webhook_stack.queued()}
    assert set(queued) == {
        "linkedin:notification:81001",
        "linkedin:notification:81002",
        "linkedin:notification:81003",
    }
    assert queued["linkedin:notification:81002"].channel is Channel.MENTION
    assert queued["linkedin:notification:81003"].kind is EventKind.EDIT
    assert queued["linkedin:notification:81001"].author.id == "urn:li:person:abc123"


# ---- generic ----


def test_generic_signed_events(webhook_stack):
    assert deliver(webhook_stack, "generic", fixture("generic_events.json"))["statusCode"] == 200
    queued = {i.platform_id: i for i in webhook_stack.queued()}
    review = queued["trustpilot:rv-981"]
    assert (
        review.channel is Channel.REVIEW
        and review.extra["rating"] == 2
        and review.conversation_id == "acme-uk"
    )
    assert queued["youtube:yt-c-77"].author.id == "yt-user-5"


def test_generic_stale_timestamp_is_refused_even_with_a_valid_signature(webhook_stack):
    body = fixture("generic_events.json")
    stale = signed_headers("generic", body, datetime.now(UTC) - timedelta(minutes=6))
    assert deliver(webhook_stack, "generic", body, stale)["statusCode"] == 401
    assert webhook_stack.archived() == []


def test_generic_list_body_and_duplicate_events_in_one_delivery(webhook_stack):
    event = {"source": "g", "id": "1", "author": "a", "text": "t", "created_at": "2026-01-01T00:00:00Z"}
    body = json.dumps([event, event]).encode()
    assert deliver(webhook_stack, "generic", body)["statusCode"] == 200
    assert [i.dedupe_key for i in webhook_stack.queued()] == ["generic:g:1:message"]


def test_a_delivery_cannot_be_forged_through_the_handshakes(webhook_stack):
    # Given an attacker without the secret asking the handshakes to sign a whole delivery
    forged = json.dumps({"for_user_id": "1", "tweet_create_events": []})
    x = webhook_stack.invoke(api_event("x", "GET", query={"crc_token": forged}))
    linkedin = webhook_stack.invoke(
        api_event("linkedin", "GET", query={"challengeCode": "hmacsha256=" + forged})
    )
    # Then neither answers with a signature
    assert x["statusCode"] == 403 and "response_token" not in x["body"]
    assert linkedin["statusCode"] == 403 and "challengeResponse" not in linkedin["body"]


@pytest.mark.parametrize(
    "timestamp", ["١٧٦٧٢٦١٦٠٠", "１７６７２６１６００", "²³", "1767261600\u0660", "-1", "1e9", ""]
)
def test_generic_timestamps_that_are_not_ascii_digits_are_refused_cleanly(webhook_stack, timestamp):
    # Given a generic delivery whose timestamp uses other scripts' digits (str.isdigit() says yes to them)
    body = b'{"events": []}'
    headers = {**signed_headers("generic", body, datetime.now(UTC)), "X-Heard-Timestamp": timestamp}
    # Then the answer is a clean 401, never a crash
    response = webhook_stack.invoke(api_event("generic", "POST", body, headers))
    assert response["statusCode"] == 401
