"""X's outbound connector: replies as tweets (`POST /2/tweets`) or DMs (`/2/dm_conversations`)."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from shared.errors import PlatformError, RateLimited
from shared.platforms.outbound import (
    HttpResponse,
    OutboundReply,
    PlatformUnavailable,
    SendResult,
    Transport,
    need_context,
    post_json,
    require_token,
)


def send(reply: OutboundReply, creds: Any, api: str, transport: Transport, now: datetime) -> SendResult:
    """Reply with a tweet under the customer's, or a DM."""
    token = require_token(creds.x_bearer_token, "X_BEARER_TOKEN")
    # An image is uploaded first; an upload repeated by a retry leaves an unused media id, never a
    # second post the customer sees.
    media = _upload(reply, api, token, transport, now) if reply.image is not None else None
    if reply.channel == "direct" or reply.private:
        participant = need_context(reply, "participant_id", "author_id")
        dm: dict[str, Any] = {"text": reply.text}
        if media:
            dm["attachments"] = [{"media_id": media}]
        answer = _x_call(transport, f"{api}/2/dm_conversations/with/{participant}/messages", dm, token, now)
        return SendResult(platform_message_id=_x_id(answer, "dm_event_id"), state="sent", via="dm")
    payload: dict[str, Any] = {
        "text": reply.text,
        "reply": {"in_reply_to_tweet_id": need_context(reply, "tweet_id")},
    }
    if media:
        payload["media"] = {"media_ids": [media]}
    answer = _x_call(transport, f"{api}/2/tweets", payload, token, now)
    return SendResult(platform_message_id=_x_id(answer, "id"), state="sent", via="tweet_reply")


def _upload(reply: OutboundReply, api: str, token: str, transport: Transport, now: datetime) -> str:
    """X's media upload (`POST /2/media/upload`, the image's bytes in base64): its media id."""
    assert reply.image is not None
    data = reply.image.body
    if data is None:
        fetched = transport("GET", reply.image.url, headers={}, body=None)
        if fetched.status != 200 or not fetched.body:
            raise PlatformError(f"the attached image could not be read back (HTTP {fetched.status})")
        data = fetched.body
    payload = {
        "media": base64.b64encode(data).decode("ascii"),
        "media_category": "tweet_image",
        "media_type": reply.image.content_type,
    }
    answer = _x_call(transport, f"{api}/2/media/upload", payload, token, now)
    return _x_id(answer, "id")


def _x_call(
    transport: Transport, url: str, payload: dict[str, Any], token: str, now: datetime
) -> HttpResponse:
    return x_answer(post_json(transport, url, payload, token), now)


def x_answer(answer: HttpResponse, now: datetime) -> HttpResponse:
    """X's answer, or the domain error it means."""
    if 200 <= answer.status < 300:
        return answer
    data = answer.json()
    detail = ""
    if isinstance(data, dict):
        detail = str(data.get("detail") or data.get("title") or data.get("errors") or "")[:500]
    if answer.status == 429:
        reset = answer.header("x-rate-limit-reset")
        wait = int(reset) - int(now.timestamp()) if reset and reset.isdigit() else 900
        raise RateLimited(f"X rate limit: {detail or 'too many requests'}", retry_after_seconds=max(1, wait))
    if answer.status >= 500:
        raise PlatformUnavailable(
            f"X is temporarily unavailable (HTTP {answer.status})", retry_after_seconds=30
        )
    raise PlatformError(f"X refused the reply (HTTP {answer.status}): {detail}")


def _x_id(answer: HttpResponse, key: str) -> str:
    data = answer.json()
    inner = data.get("data") if isinstance(data, dict) else None
    value = inner.get(key) if isinstance(inner, dict) else None
    if not value:
        raise PlatformError(f"X accepted the request but returned no {key}")
    return str(value)
