"""Images on replies (issue #16): each connector's request shape with an image, and the refusals it makes
before calling the platform. A scripted transport; no network."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from shared.errors import PlatformError
from shared.platforms.credentials import PlatformCredentials
from shared.platforms.outbound import HttpResponse, OutboundReply, ReplyImage, send_reply
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
IMAGE = ReplyImage(
    url="https://bucket.test/out/c1/u1?Signature=s", content_type="image/png", size=74, body=b"png"
)


class Scripted:
    def __init__(self, *answers: HttpResponse) -> None:
        self.answers, self.requests = list(answers), []

    def __call__(self, method, url, *, headers, body):
        self.requests.append({"method": method, "url": url, "json": json.loads(body) if body else None})
        return self.answers.pop(0)


def ok(payload: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(status, json.dumps(payload).encode())


def reply(platform: str, channel: str, context: dict[str, str], hours_ago: float = 1) -> OutboundReply:
    return OutboundReply(
        case_id="c1",
        reply_id="r1",
        platform=platform,
        channel=channel,
        conversation_id="conv",
        reply_context=context,
        text="Here is your label. Call +1 555 0100.",
        last_customer_at=NOW - timedelta(hours=hours_ago),
        image=IMAGE,
    )


def test_whatsapp_sends_one_image_message_with_the_text_as_caption():
    transport = Scripted(ok({"messages": [{"id": "wamid.1"}]}))
    result = send_reply(
        reply("whatsapp", "direct", {"phone_number_id": "106", "to": "447"}),
        CREDS,
        SETTINGS,
        transport,
        now=NOW,
    )
    [request] = transport.requests
    assert request["json"]["type"] == "image"
    assert request["json"]["image"] == {"link": IMAGE.url, "caption": "Here is your label. Call +1 555 0100."}
    assert (result.platform_message_id, result.via) == ("wamid.1", "image")


def test_whatsapp_outside_its_window_refuses_an_image_before_calling():
    transport = Scripted()
    with pytest.raises(PlatformError, match="24 h"):
        send_reply(
            reply("whatsapp", "direct", {"phone_number_id": "1", "to": "2"}, hours_ago=30),
            CREDS,
            SETTINGS,
            transport,
            now=NOW,
        )
    assert transport.requests == []


def test_messenger_sends_the_text_then_the_image_and_reports_a_failed_image_without_failing_the_reply():
    context = {"recipient_id": "61", "page_id": "55"}
    transport = Scripted(ok({"message_id": "m_1"}), ok({"message_id": "m_2"}))
    result = send_reply(reply("messenger", "direct", context), CREDS, SETTINGS, transport, now=NOW)
    text, image = transport.requests
    assert text["json"]["message"] == {"text": "Here is your label. Call +1 555 0100."}
    assert image["json"]["message"] == {
        "attachment": {"type": "image", "payload": {"url": IMAGE.url, "is_reusable": False}}
    }
    assert image["json"]["messaging_type"] == "RESPONSE" and result.image_error is None
    failing = Scripted(ok({"message_id": "m_3"}), ok({"error": {"code": 4, "message": "limit"}}, 400))
    result = send_reply(reply("messenger", "direct", context), CREDS, SETTINGS, failing, now=NOW)
    assert result.platform_message_id == "m_3" and "the image was not sent" in (result.image_error or "")


def test_telegram_sends_a_photo_by_link_with_the_caption():
    transport = Scripted(ok({"ok": True, "result": {"message_id": 9}}))
    send_reply(
        reply("telegram", "direct", {"chat_id": "5", "message_id": "3"}), CREDS, SETTINGS, transport, now=NOW
    )
    [request] = transport.requests
    assert request["url"] == "https://tg.test/bot1:tg/sendPhoto"
    assert request["json"]["photo"] == IMAGE.url and request["json"]["caption"].startswith(
        "Here is your label"
    )
    assert "text" not in request["json"]


def test_x_uploads_the_bytes_then_posts_with_the_media_id():
    transport = Scripted(ok({"data": {"id": "77"}}), ok({"data": {"id": "1900"}}))
    send_reply(reply("x", "mention", {"tweet_id": "18"}), CREDS, SETTINGS, transport, now=NOW)
    upload, tweet = transport.requests
    assert upload["url"] == "https://x.test/2/media/upload" and upload["json"]["media"] == "cG5n"  # b"png"
    assert tweet["json"]["media"] == {"media_ids": ["77"]}


@pytest.mark.parametrize(
    ("platform", "channel"), [("facebook", "comment"), ("instagram", "comment"), ("linkedin", "comment")]
)
def test_a_channel_that_takes_no_image_is_refused_before_calling(platform, channel):
    transport = Scripted()
    with pytest.raises(PlatformError, match="cannot carry an image"):
        send_reply(reply(platform, channel, {"comment_id": "1"}), CREDS, SETTINGS, transport, now=NOW)
    assert transport.requests == []
