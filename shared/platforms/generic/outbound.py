"""The generic channel's replies (issue #16): POST the answer to the source's callback URL, signed like
its inbound side (`X-Heard-Timestamp`, `X-Heard-Signature: sha256=<hex HMAC-SHA256(secret, "<ts>.<body>")>`).

The URL is the account's `GENERIC_CALLBACK_URL` credential (one per source), else the setting of the same
name (the single-account setup). The body carries the reply's id, so a bridge that sees a retry can drop
it: `{"id", "source", "in_reply_to", "thread", "text"}`. The bridge answers 2xx (optionally `{"id": …}`),
429 with Retry-After to slow us down, 5xx to have us retry later.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from shared.errors import PlatformError, RateLimited
from shared.platforms.generic.inbound import sign
from shared.platforms.outbound import OutboundReply, PlatformUnavailable, SendResult, Transport, need_context


def send(reply: OutboundReply, creds: Any, api: str, transport: Transport, now: datetime) -> SendResult:
    url = (creds.generic_callback_url or api or "").strip()
    if not url:
        raise PlatformError("no GENERIC_CALLBACK_URL for this source: answer on the source itself")
    secret = creds.generic_webhook_secret
    if not secret:
        raise PlatformError("GENERIC_WEBHOOK_SECRET is not configured: cannot sign the reply")
    payload = {
        "id": reply.reply_id,
        "source": need_context(reply, "source"),
        "in_reply_to": need_context(reply, "id"),
        "thread": reply.conversation_id,
        "text": reply.text,
    }
    body = json.dumps(payload).encode("utf-8")
    timestamp = str(int(now.timestamp()))
    headers = {
        "Content-Type": "application/json",
        "X-Heard-Timestamp": timestamp,
        "X-Heard-Signature": sign(secret, timestamp, body),
    }
    answer = transport("POST", url, headers=headers, body=body)
    if 200 <= answer.status < 300:
        data = answer.json()
        given = data.get("id") if isinstance(data, dict) else None
        return SendResult(platform_message_id=str(given or reply.reply_id), state="sent", via="callback")
    if answer.status == 429:
        retry = answer.header("Retry-After")
        raise RateLimited(
            "the source asks us to slow down",
            retry_after_seconds=int(retry) if retry and retry.isdigit() else 60,
        )
    if answer.status >= 500:
        raise PlatformUnavailable(
            f"the source's callback failed (HTTP {answer.status})", retry_after_seconds=30
        )
    raise PlatformError(f"the source's callback refused the reply (HTTP {answer.status})")
