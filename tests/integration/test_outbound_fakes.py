"""Connectors over real HTTP against the built-in platform fakes: request shapes, ids, windows, rate
limits and platform errors; and the hourly subscription health check."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from functions.subscriptions import handler as subscriptions_handler
from infra.local.fake_platforms import start_fake_platforms
from shared.errors import PlatformError, RateLimited, WindowClosed
from shared.platforms.credentials import PlatformCredentials
from shared.platforms.outbound import OutboundReply, send_reply
from shared.platforms.subscriptions import check_subscriptions
from shared.settings import Settings, get_settings
from tests.fixtures.lambda_context import fake_context

NOW = datetime.now(UTC)
CREDS = PlatformCredentials(
    META_PAGE_TOKEN="heard-local-page-token",
    X_BEARER_TOKEN="heard-local-x-bearer",
    TELEGRAM_BOT_TOKEN="123456:heard-local-bot",
    LINKEDIN_ACCESS_TOKEN="heard-local-linkedin-token",
    META_PAGE_ID="555000111",
    WHATSAPP_BUSINESS_ACCOUNT_ID="102290129340398",
)


@pytest.fixture(scope="module")
def fakes():
    server = start_fake_platforms()
    yield server
    server.stop()


@pytest.fixture
def settings(fakes):
    fakes.reset()
    return Settings.model_validate(fakes.env)


def reply(
    platform, channel, context, *, hours_ago=1.0, private=False, text="Sorry! Prefer a person? +1 555 0100"
):
    return OutboundReply(
        case_id="c-1",
        reply_id="r-1",
        platform=platform,
        channel=channel,
        conversation_id="conv",
        reply_context=context,
        text=text,
        private=private,
        last_customer_at=NOW - timedelta(hours=hours_ago),
    )


LI_ORG = "urn:li:organization:2414183"
LI_COMMENT = {
    "object_urn": "urn:li:share:7001",
    "activity_urn": "urn:li:comment:(urn:li:activity:7001,7101)",
    "organization_urn": LI_ORG,
}

CASES = [
    (
        "facebook comment",
        reply("facebook", "comment", {"comment_id": "9001_7001", "page_id": "555000111"}),
        "meta",
        "/v21.0/9001_7001/comments",
        {"message"},
    ),
    (
        "facebook private reply",
        reply("facebook", "comment", {"comment_id": "9001_7001", "page_id": "555000111"}, private=True),
        "meta",
        "/v21.0/555000111/messages",
        {"recipient", "message"},
    ),
    (
        "messenger",
        reply("messenger", "direct", {"recipient_id": "6100000001", "page_id": "555000111"}),
        "meta",
        "/v21.0/555000111/messages",
        {"recipient", "message", "messaging_type"},
    ),
    (
        "instagram dm",
        reply("instagram", "direct", {"recipient_id": "178", "page_id": "17841400000000001"}),
        "meta",
        "/v21.0/17841400000000001/messages",
        {"recipient", "message", "messaging_type"},
    ),
    (
        "instagram comment",
        reply("instagram", "comment", {"comment_id": "18002", "reply_to_comment_id": "18001"}),
        "meta",
        "/v21.0/18001/replies",
        {"message"},
    ),
    (
        "whatsapp",
        reply("whatsapp", "direct", {"phone_number_id": "106540352242922", "to": "447700900123"}),
        "meta",
        "/v21.0/106540352242922/messages",
        {"messaging_product", "recipient_type", "to", "type", "text"},
    ),
    (
        "x reply",
        reply("x", "mention", {"tweet_id": "1870000000000000001", "author_id": "99001"}),
        "x",
        "/2/tweets",
        {"text", "reply"},
    ),
    (
        "x dm",
        reply("x", "direct", {"participant_id": "99001"}),
        "x",
        "/2/dm_conversations/with/99001/messages",
        {"text"},
    ),
    (
        "telegram",
        reply("telegram", "direct", {"chat_id": "5550001", "message_id": "31"}),
        "telegram",
        "/bot123456:heard-local-bot/sendMessage",
        {"chat_id", "text", "reply_to_message_id", "allow_sending_without_reply"},
    ),
    (
        "linkedin comment",
        reply("linkedin", "comment", LI_COMMENT),
        "linkedin",
        "/rest/socialActions/urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A7001%2C7101%29/comments",
        {"actor", "object", "message", "parentComment"},
    ),
    (
        "linkedin mention",
        reply("linkedin", "mention", {"object_urn": "urn:li:share:7002", "organization_urn": LI_ORG}),
        "linkedin",
        "/rest/socialActions/urn%3Ali%3Ashare%3A7002/comments",
        {"actor", "object", "message"},
    ),
]


@pytest.mark.parametrize(
    ("label", "outbound", "platform", "path", "fields"), CASES, ids=[c[0] for c in CASES]
)
def test_replies_reach_the_fake_with_the_right_shape(
    fakes, settings, label, outbound, platform, path, fields
):
    result = send_reply(outbound, CREDS, settings)
    [sent] = fakes.sent
    assert (sent["platform"], sent["path"], sent["status"] < 300) == (platform, path, True)
    assert set(sent["json"]) == fields
    assert result.state == "sent" and sent["id"] in result.platform_message_id  # LinkedIn: in its URN
    assert outbound.text in json.dumps(sent["json"])  # sent as composed by the caller, nothing appended


def test_sent_log_is_served_over_http(fakes, settings):
    send_reply(reply("telegram", "direct", {"chat_id": "1"}), CREDS, settings)
    with urllib.request.urlopen(f"{fakes.url}/_sent") as answer:
        assert [r["path"] for r in json.loads(answer.read())] == ["/bot123456:heard-local-bot/sendMessage"]


def test_closed_window_sends_nothing(fakes, settings):
    with pytest.raises(WindowClosed):
        send_reply(
            reply("instagram", "direct", {"recipient_id": "1", "page_id": "2"}, hours_ago=24 * 8),
            CREDS,
            settings,
        )
    assert fakes.sent == []


@pytest.mark.parametrize(
    ("platform", "outbound"),
    [
        ("meta", reply("messenger", "direct", {"recipient_id": "6100000001", "page_id": "555000111"})),
        ("x", reply("x", "mention", {"tweet_id": "1"})),
        ("telegram", reply("telegram", "direct", {"chat_id": "1"})),
        ("linkedin", reply("linkedin", "comment", LI_COMMENT)),
    ],
)
def test_rate_limits_and_errors(fakes, settings, platform, outbound):
    fakes.fail_next(platform, "rate_limit")
    with pytest.raises(RateLimited) as limited:
        send_reply(outbound, CREDS, settings)
    assert limited.value.retry_after_seconds >= 1
    fakes.fail_next(platform, "error")
    with pytest.raises(PlatformError):
        send_reply(outbound, CREDS, settings)
    assert send_reply(outbound, CREDS, settings).state == "sent"  # then it works again


def test_fakes_refuse_requests_the_real_api_would_refuse(fakes, settings):
    with pytest.raises(PlatformError, match="access token"):
        send_reply(
            reply("facebook", "comment", {"comment_id": "1"}),
            CREDS.model_copy(update={"meta_page_token": " "}),
            settings,
        )
    too_long = reply("x", "mention", {"tweet_id": "1"}, text="x" * 281)
    with pytest.raises(PlatformError, match="280"):
        send_reply(too_long, CREDS, settings)
    no_token = CREDS.model_copy(update={"linkedin_access_token": None})
    with pytest.raises(PlatformError, match="LINKEDIN_ACCESS_TOKEN"):
        send_reply(reply("linkedin", "comment", LI_COMMENT), no_token, settings)


def test_the_linkedin_fake_checks_the_version_headers_and_records_the_organisation_as_author(fakes, settings):
    # Given a reply to a LinkedIn comment, When it is sent
    result = send_reply(reply("linkedin", "comment", LI_COMMENT), CREDS, settings)
    # Then the organisation commented under the customer's comment, on the same post
    [sent] = fakes.sent
    assert sent["json"]["actor"] == LI_ORG and sent["json"]["object"] == "urn:li:activity:7001"
    assert sent["json"]["parentComment"] == LI_COMMENT["activity_urn"]
    assert sent["token_suffix"] == "-token"[-6:]
    assert result.platform_message_id == f"urn:li:comment:(urn:li:activity:7001,{sent['id']})"
    # And a call without LinkedIn's version header is refused, as the real API does
    request = urllib.request.Request(
        f"{settings.linkedin_api_url}/socialActions/urn%3Ali%3Ashare%3A1/comments",
        data=b'{"actor": "urn:li:organization:1", "object": "urn:li:share:1", "message": {"text": "hi"}}',
        headers={"Authorization": "Bearer t", "Content-Type": "application/json"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 400 and b"LinkedIn-Version" in refused.value.read()


def test_subscription_check_reports_active_then_lapsed(fakes, settings):
    states = {c.platform: c.state for c in check_subscriptions(CREDS, settings)}
    assert states == {"meta-page": "active", "whatsapp": "active", "x": "active"}
    fakes.set_subscription("meta", False)
    fakes.set_subscription("x", False)
    lapsed = {c.platform for c in check_subscriptions(CREDS, settings) if c.lapsed}
    assert lapsed == {"meta-page", "whatsapp", "x"}


def test_subscription_check_skips_what_is_not_configured(settings):
    checks = check_subscriptions(PlatformCredentials(), settings)
    assert {c.state for c in checks} == {"skipped"}


def test_subscription_handler_emits_the_alarm_metric(fakes, monkeypatch, capsys):
    fakes.reset()
    for name, value in {**fakes.env, "X_BEARER_TOKEN": "b"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("HEARD_PLATFORM_SECRET_ARN", raising=False)
    get_settings.cache_clear()
    fakes.set_subscription("x", False)
    try:
        result = subscriptions_handler.handler({"source": "aws.events"}, fake_context())
    finally:
        get_settings.cache_clear()
    assert result["lapsed"] == ["x"]
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert any(
        record.get("SubscriptionLapsed") == [1.0] or record.get("SubscriptionLapsed") == 1.0
        for record in emitted
    )
