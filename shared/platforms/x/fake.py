"""A local fake of the X API v2: tweets, DMs and the webhook list the subscription check reads."""

from __future__ import annotations

import re
from typing import Any

from shared.platforms.fakes import FakeContext, Refused, text_at


class FakeX:
    prefix = ""
    created_status = 201

    def handle(
        self, ctx: FakeContext, method: str, path: str, body: dict[str, Any], token: str | None
    ) -> dict[str, Any]:
        if not token:
            raise Refused(
                401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
            )
        if method == "GET" and path == "/2/webhooks":
            return {
                "data": [
                    {
                        "id": "1",
                        "url": "https://example.invalid/webhooks/x",
                        "valid": ctx.subscribed(),
                        "created_at": "2026-01-01T00:00:00.000Z",
                    }
                ],
                "meta": {"result_count": 1},
            }
        text = text_at(body, "text")
        if method == "POST" and path == "/2/media/upload":  # simple upload: base64 bytes
            if not text_at(body, "media") or not text_at(body, "media_category"):
                raise Refused(
                    400, {"title": "Invalid Request", "detail": "media and media_category are required"}
                )
            media_id = str(1_700_000_000_000_000_000 + ctx.next_id())
            return {"data": {"id": media_id, "media_key": f"3_{media_id}"}}
        if method == "POST" and path == "/2/tweets":
            if not text or len(text) > 280:
                raise Refused(400, {"title": "Invalid Request", "detail": "text must be 1..280 characters"})
            reply = body.get("reply")
            if reply is not None and not text_at(
                reply if isinstance(reply, dict) else {}, "in_reply_to_tweet_id"
            ):
                raise Refused(
                    400, {"title": "Invalid Request", "detail": "reply.in_reply_to_tweet_id is required"}
                )
            return {"data": {"id": str(1_900_000_000_000_000_000 + ctx.next_id()), "text": text}}
        hidden = re.fullmatch(r"/2/tweets/([^/]+)/hidden", path)
        if method == "PUT" and hidden:
            if not isinstance(body.get("hidden"), bool):
                raise Refused(400, {"title": "Invalid Request", "detail": "hidden must be true or false"})
            return {"data": {"hidden": body["hidden"]}}
        match = re.fullmatch(r"/2/dm_conversations/with/([^/]+)/messages", path)
        if method == "POST" and match:
            if not text:
                raise Refused(400, {"title": "Invalid Request", "detail": "text is required"})
            return {
                "data": {
                    "dm_conversation_id": f"{match.group(1)}-self",
                    "dm_event_id": str(1_800_000_000_000_000_000 + ctx.next_id()),
                }
            }
        raise Refused(404, {"title": "Not Found Error", "detail": f"no route {method} {path}"})

    def failure(self, kind: str) -> Refused:
        if kind == "rate_limit":
            return Refused(
                429,
                {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
                {"x-rate-limit-reset": "0"},
            )
        return Refused(
            403,
            {"title": "Forbidden", "detail": "You are not permitted to perform this action.", "status": 403},
        )
