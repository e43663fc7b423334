"""Telegram's outbound connector: the Bot API's `sendMessage`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from shared.errors import PlatformError, RateLimited
from shared.platforms.outbound import (
    OutboundReply,
    PlatformUnavailable,
    SendResult,
    Transport,
    need_context,
    require_token,
)

CAPTION_MAX = 1024
BUTTONS_PER_ROW = 6  # a 0-10 scale in two rows, readable on a phone


def inline_keyboard(reply: OutboundReply) -> dict[str, Any]:
    buttons = [{"text": c.title, "callback_data": c.payload} for c in reply.choices]
    rows = [buttons[n : n + BUTTONS_PER_ROW] for n in range(0, len(buttons), BUTTONS_PER_ROW)]
    return {"inline_keyboard": rows}


def send(reply: OutboundReply, creds: Any, api: str, transport: Transport, now: datetime) -> SendResult:
    """Reply in the chat with `sendMessage`, threaded under the customer's message when it still exists."""
    bot = require_token(creds.telegram_bot_token, "TELEGRAM_BOT_TOKEN")
    payload: dict[str, Any] = {"chat_id": need_context(reply, "chat_id"), "text": reply.text}
    context = reply.reply_context
    if context.get("message_id"):
        payload["reply_to_message_id"] = (
            int(context["message_id"]) if context["message_id"].isdigit() else None
        )
        payload["allow_sending_without_reply"] = True  # the customer may have deleted their message
    for key in ("message_thread_id", "business_connection_id"):
        if context.get(key):
            payload[key] = context[key]
    payload = {k: v for k, v in payload.items() if v is not None}
    if reply.choices:  # one button per choice; pressing it sends a callback_query with its callback_data
        payload["reply_markup"] = inline_keyboard(reply)
    method = "sendMessage"
    if reply.image is not None:  # Telegram fetches the photo from the link; the text is its caption
        if len(reply.text) > CAPTION_MAX:
            raise PlatformError(f"Telegram captions hold {CAPTION_MAX} characters: shorten the reply")
        payload["photo"], payload["caption"], method = reply.image.url, payload.pop("text"), "sendPhoto"
    # The bot token is part of Telegram's URL by design; it is never logged here.
    answer = transport(
        "POST",
        f"{api}/bot{bot}/{method}",
        headers={"Content-Type": "application/json"},
        body=json.dumps(payload).encode("utf-8"),
    )
    data = answer.json()
    data = data if isinstance(data, dict) else {}
    if answer.status == 200 and data.get("ok") is True:
        result = data.get("result")
        message_id = result.get("message_id") if isinstance(result, dict) else None
        if message_id is None:
            raise PlatformError("Telegram accepted the request but returned no message_id")
        return SendResult(
            platform_message_id=f"{payload['chat_id']}:{message_id}", state="sent", via="message"
        )
    description = str(data.get("description") or f"HTTP {answer.status}")[:500]
    parameters: dict[str, Any] = data["parameters"] if isinstance(data.get("parameters"), dict) else {}
    if answer.status == 429 or data.get("error_code") == 429:
        retry = parameters.get("retry_after")
        raise RateLimited(
            f"Telegram rate limit: {description}",
            retry_after_seconds=retry if isinstance(retry, int) and retry > 0 else 30,
        )
    if answer.status >= 500:
        raise PlatformUnavailable(
            f"Telegram is temporarily unavailable: {description}", retry_after_seconds=30
        )
    raise PlatformError(f"Telegram refused the reply: {description}")
