"""Instagram mention lookups (issue #16): the Graph answer's parser, property-tested, and the request."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.errors import PlatformError, RateLimited
from shared.platforms.credentials import PlatformCredentials
from shared.platforms.meta.mentions import fetch, parse_mention
from shared.platforms.outbound import HttpResponse

JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "text": JSONISH,
        "caption": JSONISH,
        "username": JSONISH,
        "from": st.one_of(JSONISH, st.fixed_dictionaries({"id": JSONISH})),
    },
)


@given(data=st.one_of(JSONISH, FIELDS), caption=st.booleans())
def test_any_answer_gives_a_mention_with_an_author_or_a_platform_error(data: Any, caption: bool) -> None:
    try:
        mention = parse_mention(data, caption=caption)
    except PlatformError:
        return
    assert mention.author_id.strip()
    assert isinstance(mention.text, str)


def test_a_comment_mention_is_looked_up_by_its_comment_and_a_caption_by_its_media() -> None:
    calls: list[tuple[str, str]] = []

    def transport(method: str, url: str, *, headers: Any, body: Any) -> HttpResponse:
        calls.append((method, url))
        return HttpResponse(
            200, b'{"text": "hi @acme", "caption": "look @acme", "username": "dana", "from": {"id": "17"}}'
        )

    creds = PlatformCredentials(META_PAGE_TOKEN="t")
    mention = fetch({"comment_id": "c1", "media_id": "m1"}, creds, "https://graph", transport)
    assert (mention.text, mention.author_id, mention.username) == ("hi @acme", "17", "dana")
    mention = fetch({"media_id": "m1"}, creds, "https://graph", transport)
    assert mention.text == "look @acme"
    assert calls == [
        ("GET", "https://graph/c1?fields=text,username,from"),
        ("GET", "https://graph/m1?fields=caption,username"),
    ]


def test_a_rate_limited_lookup_is_retried_not_dropped() -> None:
    def transport(method: str, url: str, *, headers: Any, body: Any) -> HttpResponse:
        return HttpResponse(400, b'{"error": {"code": 4, "message": "limit"}}')

    with pytest.raises(RateLimited):
        fetch({"comment_id": "c1"}, PlatformCredentials(META_PAGE_TOKEN="t"), "https://graph", transport)


def test_a_generic_reply_is_posted_to_the_callback_signed_like_its_deliveries() -> None:
    from datetime import UTC, datetime

    from shared.platforms.generic.inbound import GenericAdapter
    from shared.platforms.generic.outbound import send
    from shared.platforms.outbound import OutboundReply

    seen: list[tuple[str, dict[str, str], bytes]] = []

    def transport(method: str, url: str, *, headers: Any, body: Any) -> HttpResponse:
        seen.append((url, dict(headers), body))
        return HttpResponse(200, b'{"id": "bridge-1"}')

    now = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    creds = PlatformCredentials(
        GENERIC_WEBHOOK_SECRET="s3cret", GENERIC_CALLBACK_URL="https://bridge.example/reply"
    )
    reply = OutboundReply(
        case_id="c1",
        reply_id="r1",
        platform="generic",
        channel="review",
        conversation_id="acme-uk",
        reply_context={"source": "trustpilot", "id": "rv-1"},
        text="Thanks, Lee",
        last_customer_at=now,
    )
    result = send(reply, creds, "", transport, now)
    assert result.platform_message_id == "bridge-1"
    ((url, headers, body),) = seen
    assert url == "https://bridge.example/reply"
    GenericAdapter().verify(headers, body, creds, now)  # the bridge checks it exactly as Heard checks theirs
    assert b'"in_reply_to": "rv-1"' in body and b'"id": "r1"' in body
    with pytest.raises(PlatformError, match="GENERIC_CALLBACK_URL"):
        send(reply, PlatformCredentials(GENERIC_WEBHOOK_SECRET="s3cret"), "", transport, now)
