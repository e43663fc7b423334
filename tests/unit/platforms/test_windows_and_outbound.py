"""Messaging windows (pure rules) and the connectors' mapping of platform answers, with a scripted
transport (no network)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from shared.errors import PlatformError, RateLimited, WindowClosed
from shared.platforms.credentials import PlatformCredentials
from shared.platforms.outbound import HttpResponse, OutboundReply, PlatformUnavailable, send_reply
from shared.rules.windows import free_form_until, reply_window_until
from shared.settings import Settings

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
CREDS = PlatformCredentials(META_PAGE_TOKEN="page-token", X_BEARER_TOKEN="x-token", TELEGRAM_BOT_TOKEN="1:tg")
SETTINGS = Settings.model_validate(
    {
        "META_GRAPH_URL": "https://graph.test/v21.0",
        "X_API_URL": "https://x.test",
        "TELEGRAM_API_URL": "https://tg.test",
    }
)


class Scripted:
    """A transport answering from a script and recording requests."""

    def __init__(self, *answers: HttpResponse) -> None:
        self.answers = list(answers)
        self.requests: list[dict] = []

    def __call__(self, method, url, *, headers, body):
        self.requests.append(
            {
                "method": method,
                "url": url,
                "headers": dict(headers),
                "json": json.loads(body) if body else None,
            }
        )
        return self.answers.pop(0)


def ok(payload: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(status, json.dumps(payload).encode())


def reply(
    platform: str, channel: str, context: dict[str, str], *, hours_ago: float = 1, private: bool = False
):
    return OutboundReply(
        case_id="c1",
        reply_id="r1",
        platform=platform,
        channel=channel,
        conversation_id="conv",
        reply_context=context,
        text="We are on it. Prefer a person? Call +1 555 0100.",
        private=private,
        last_customer_at=NOW - timedelta(hours=hours_ago),
    )


# ---- windows ----


@pytest.mark.parametrize(
    ("platform", "channel", "private", "expected"),
    [
        ("messenger", "direct", False, timedelta(days=7)),
        ("instagram", "direct", False, timedelta(days=7)),
        ("facebook", "comment", True, timedelta(days=7)),
        ("instagram", "comment", True, timedelta(days=7)),
        ("facebook", "comment", False, None),
        ("whatsapp", "direct", False, None),  # templates reach the customer after 24 h
        ("x", "mention", False, None),
        ("telegram", "direct", False, None),
    ],
)
def test_reply_window(platform, channel, private, expected):
    until = reply_window_until(platform, channel, NOW, private=private)
    assert (until - NOW if until else None) == expected


def test_free_form_window_is_24_hours_for_dms():
    assert free_form_until("whatsapp", "direct", NOW) == NOW + timedelta(hours=24)
    assert free_form_until("messenger", "direct", NOW) == NOW + timedelta(hours=24)
    assert free_form_until("x", "direct", NOW) is None


# ---- routing and request shapes ----


def test_messenger_within_24h_is_a_response_and_after_is_human_agent_tagged():
    transport = Scripted(
        ok({"recipient_id": "55", "message_id": "m1"}), ok({"recipient_id": "55", "message_id": "m2"})
    )
    context = {"recipient_id": "55", "page_id": "9"}
    first = send_reply(reply("messenger", "direct", context), CREDS, SETTINGS, transport, now=NOW)
    second = send_reply(
        reply("messenger", "direct", context, hours_ago=50), CREDS, SETTINGS, transport, now=NOW
    )
    assert (first.via, second.via) == ("response", "human_agent")
    assert transport.requests[0]["url"] == "https://graph.test/v21.0/9/messages"
    assert transport.requests[0]["headers"]["Authorization"] == "Bearer page-token"
    assert transport.requests[1]["json"]["tag"] == "HUMAN_AGENT"


def test_messenger_after_7_days_is_refused_with_a_reason_and_nothing_sent():
    transport = Scripted()
    with pytest.raises(WindowClosed, match="window has closed"):
        send_reply(
            reply("messenger", "direct", {"recipient_id": "5", "page_id": "9"}, hours_ago=24 * 8),
            CREDS,
            SETTINGS,
            transport,
            now=NOW,
        )
    assert transport.requests == []


def test_facebook_public_and_private_replies():
    transport = Scripted(ok({"id": "1_2_3"}), ok({"recipient_id": "p", "message_id": "m"}))
    context = {"comment_id": "1_2", "post_id": "1", "page_id": "9"}
    public = send_reply(reply("facebook", "comment", context), CREDS, SETTINGS, transport, now=NOW)
    private = send_reply(
        reply("facebook", "comment", context, private=True), CREDS, SETTINGS, transport, now=NOW
    )
    assert public.platform_message_id == "1_2_3" and private.via == "private_reply"
    assert transport.requests[0]["url"].endswith("/1_2/comments")
    assert transport.requests[1]["json"]["recipient"] == {"comment_id": "1_2"}
    with pytest.raises(WindowClosed):
        send_reply(
            reply("facebook", "comment", context, private=True, hours_ago=24 * 8),
            CREDS,
            SETTINGS,
            Scripted(),
            now=NOW,
        )


def test_whatsapp_text_inside_24h_template_outside():
    answer = {"messaging_product": "whatsapp", "messages": [{"id": "wamid.X"}]}
    transport = Scripted(ok(answer), ok(answer))
    context = {"phone_number_id": "77", "to": "4477"}
    assert send_reply(reply("whatsapp", "direct", context), CREDS, SETTINGS, transport, now=NOW).via == "text"
    late = send_reply(reply("whatsapp", "direct", context, hours_ago=30), CREDS, SETTINGS, transport, now=NOW)
    assert late.via == "template" and late.platform_message_id == "wamid.X"
    template = transport.requests[1]["json"]["template"]
    assert template["name"] == "heard_reply" and template["components"][0]["parameters"][0][
        "text"
    ].startswith("We")


def test_x_reply_and_dm():
    transport = Scripted(ok({"data": {"id": "19"}}, 201), ok({"data": {"dm_event_id": "18"}}, 201))
    tweet = send_reply(
        reply("x", "mention", {"tweet_id": "123", "author_id": "9"}), CREDS, SETTINGS, transport, now=NOW
    )
    dm = send_reply(
        reply("x", "mention", {"tweet_id": "123", "author_id": "9"}, private=True),
        CREDS,
        SETTINGS,
        transport,
        now=NOW,
    )
    assert (tweet.platform_message_id, dm.platform_message_id) == ("19", "18")
    assert transport.requests[0]["json"]["reply"] == {"in_reply_to_tweet_id": "123"}
    assert transport.requests[1]["url"] == "https://x.test/2/dm_conversations/with/9/messages"


def test_telegram_reply_threads_to_the_customer_message():
    transport = Scripted(ok({"ok": True, "result": {"message_id": 77}}))
    result = send_reply(
        reply("telegram", "direct", {"chat_id": "5", "message_id": "31"}), CREDS, SETTINGS, transport, now=NOW
    )
    assert result.platform_message_id == "5:77"
    assert transport.requests[0]["url"] == "https://tg.test/bot1:tg/sendMessage"
    assert transport.requests[0]["json"]["reply_to_message_id"] == 31


# ---- error mapping ----


def graph_error(code: int, status: int = 400, subcode: int | None = None) -> HttpResponse:
    error = {"message": "nope", "code": code, **({"error_subcode": subcode} if subcode else {})}
    return HttpResponse(status, json.dumps({"error": error}).encode())


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (graph_error(4), RateLimited),
        (graph_error(613), RateLimited),
        (graph_error(130429), RateLimited),
        (graph_error(10, subcode=2018278), WindowClosed),
        (graph_error(131047), WindowClosed),
        (graph_error(2, status=500), PlatformUnavailable),
        (graph_error(100), PlatformError),
        (HttpResponse(502, b"<html>bad gateway</html>"), PlatformUnavailable),
    ],
)
def test_meta_errors_map_to_domain_errors(answer, error):
    with pytest.raises(error):
        send_reply(
            reply("messenger", "direct", {"recipient_id": "5", "page_id": "9"}),
            CREDS,
            SETTINGS,
            Scripted(answer),
            now=NOW,
        )


def test_x_429_waits_until_the_reset_time():
    reset = str(int(NOW.timestamp()) + 120)
    answer = HttpResponse(429, b'{"title": "Too Many Requests"}', {"x-rate-limit-reset": reset})
    with pytest.raises(RateLimited) as raised:
        send_reply(reply("x", "mention", {"tweet_id": "1"}), CREDS, SETTINGS, Scripted(answer), now=NOW)
    assert raised.value.retry_after_seconds == 120


def test_telegram_429_uses_retry_after():
    answer = HttpResponse(429, b'{"ok": false, "error_code": 429, "parameters": {"retry_after": 9}}')
    with pytest.raises(RateLimited) as raised:
        send_reply(reply("telegram", "direct", {"chat_id": "5"}), CREDS, SETTINGS, Scripted(answer), now=NOW)
    assert raised.value.retry_after_seconds == 9


def test_missing_token_context_or_connector_is_a_platform_error():
    with pytest.raises(PlatformError, match="META_PAGE_TOKEN"):
        send_reply(
            reply("messenger", "direct", {"recipient_id": "5", "page_id": "9"}),
            PlatformCredentials(),
            SETTINGS,
            Scripted(),
            now=NOW,
        )
    with pytest.raises(PlatformError, match="lacks recipient_id"):
        send_reply(reply("messenger", "direct", {"page_id": "9"}), CREDS, SETTINGS, Scripted(), now=NOW)
    with pytest.raises(PlatformError, match="cannot reply on myspace"):
        send_reply(reply("myspace", "comment", {}), CREDS, SETTINGS, Scripted(), now=NOW)
