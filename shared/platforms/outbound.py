"""Outbound connectors: send an agent's reply back through the platform it came from.

`send_reply` picks the endpoint from (platform, channel, private), refuses what the platform would reject
because its messaging window has closed (`WindowClosed`, with the reason), and maps the platform's
answers: rate limits -> `RateLimited` (retry through the queue, never drop), transient failures ->
`PlatformUnavailable` (a RateLimited, so it is retried too), anything else -> `PlatformError`.

The caller composes the final text (including the contact line); connectors send it as given. HTTP goes
through a small injectable transport over urllib: no extra dependency, and tests or the local stack swap
the base URLs (settings.meta_graph_url, x_api_url, telegram_api_url) for the built-in fakes.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from shared import clock
from shared.errors import PlatformError, RateLimited, WindowClosed
from shared.rules.windows import free_form_until, is_open, reply_window_until

TIMEOUT_SECONDS = 10.0
# Graph error codes that mean "slow down" (app, user, page, Send API and WhatsApp throughput limits).
META_RATE_LIMIT_CODES = {
    4,
    17,
    32,
    613,
    80001,
    80002,
    80003,
    80004,
    80005,
    80006,
    80008,
    80014,
    130429,
    131048,
    131056,
}
META_TRANSIENT_CODES = {1, 2}  # "unknown error" / "service temporarily unavailable": retry
# (code, subcode) pairs and codes Meta uses for "outside the allowed window".
META_WINDOW_SUBCODES = {2018278, 2018108, 2534022}
META_WINDOW_CODES = {131047}  # WhatsApp re-engagement: more than 24 h since the customer wrote


class PlatformUnavailable(RateLimited):
    """The platform could not be reached or failed on its side (5xx): retry later."""


class OutboundReply(BaseModel):
    model_config = ConfigDict(frozen=True)

    case_id: Annotated[str, Field(min_length=1, max_length=128)]
    reply_id: Annotated[str, Field(min_length=1, max_length=128)]
    platform: Annotated[str, Field(min_length=1, max_length=32)]
    channel: Annotated[str, Field(min_length=1, max_length=32)]
    conversation_id: Annotated[str, Field(min_length=1, max_length=512)]
    reply_context: dict[str, str] = {}
    text: Annotated[str, Field(min_length=1, max_length=64_000)]
    private: bool = False  # move a public conversation to a direct message
    last_customer_at: datetime


class SendResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    platform_message_id: str
    state: str  # "sent": accepted by the platform; delivery/read statuses arrive later as webhooks
    via: str = ""  # which route was used: comment, private_reply, response, human_agent, template, ...


# ---- transport ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


class Transport(Protocol):
    def __call__(
        self, method: str, url: str, *, headers: Mapping[str, str], body: bytes | None
    ) -> HttpResponse: ...


class UrllibTransport:
    def __init__(self, timeout: float = TIMEOUT_SECONDS):
        self.timeout = timeout

    def __call__(
        self, method: str, url: str, *, headers: Mapping[str, str], body: bytes | None
    ) -> HttpResponse:
        if not url.startswith(("https://", "http://")):
            raise PlatformError(f"refusing to call a non-HTTP URL: {url[:40]}")
        request = urllib.request.Request(url, data=body, method=method, headers=dict(headers))
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310 (scheme checked)
                return HttpResponse(answer.status, answer.read(), dict(answer.headers.items()))
        except urllib.error.HTTPError as error:  # a 4xx/5xx still carries the platform's error body
            return HttpResponse(error.code, error.read(), dict(error.headers.items()))
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise PlatformUnavailable(f"platform unreachable: {error}", retry_after_seconds=30) from error


def _post(transport: Transport, url: str, payload: dict[str, Any], token: str) -> HttpResponse:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    return transport("POST", url, headers=headers, body=json.dumps(payload).encode("utf-8"))


# ---- dispatch -----------------------------------------------------------------------------------------


def send_reply(
    reply: OutboundReply,
    creds: Any,
    settings: Any,
    transport: Transport | None = None,
    *,
    now: datetime | None = None,
) -> SendResult:
    transport = transport or UrllibTransport()
    now = now or clock.now()
    _check_window(reply, now)
    platform = reply.platform
    if platform in ("facebook", "messenger", "instagram", "whatsapp"):
        return _meta(reply, creds, settings.meta_graph_url.rstrip("/"), transport, now)
    if platform == "x":
        return _x(reply, creds, settings.x_api_url.rstrip("/"), transport, now)
    if platform == "telegram":
        return _telegram(reply, creds, settings.telegram_api_url.rstrip("/"), transport)
    raise PlatformError(f"Heard cannot reply on {platform}: answer on the platform itself")


def _check_window(reply: OutboundReply, now: datetime) -> None:
    until = reply_window_until(reply.platform, reply.channel, reply.last_customer_at, private=reply.private)
    if until is not None and now > until:
        what = "a private reply to a comment" if reply.private and reply.channel != "direct" else "a reply"
        raise WindowClosed(
            f"{reply.platform} accepts {what} until {clock.iso(until)} (customer last wrote at "
            f"{clock.iso(reply.last_customer_at)}); that window has closed: reach the customer another way"
        )


def _need(reply: OutboundReply, *keys: str) -> str:
    for key in keys:
        value = reply.reply_context.get(key)
        if value:
            return value
    raise PlatformError(f"reply_context for {reply.platform}/{reply.channel} lacks {' or '.join(keys)}")


def _token(value: str | None, name: str) -> str:
    if not value:
        raise PlatformError(f"{name} is not configured: cannot send")
    return value


# ---- Meta ---------------------------------------------------------------------------------------------


def _meta(reply: OutboundReply, creds: Any, graph: str, transport: Transport, now: datetime) -> SendResult:
    token = _token(creds.meta_page_token, "META_PAGE_TOKEN")
    platform, channel = reply.platform, reply.channel
    if platform == "whatsapp":
        return _whatsapp(reply, creds, graph, token, transport, now)
    if channel == "direct":
        page = _need(reply, "page_id")
        recipient = {"id": _need(reply, "recipient_id")}
        payload: dict[str, Any] = {"recipient": recipient, "message": {"text": reply.text}}
        if is_open(free_form_until(platform, channel, reply.last_customer_at), now):
            payload["messaging_type"], via = "RESPONSE", "response"
        else:  # between 24 h and 7 days only a human agent may answer, and must say so with the tag
            payload["messaging_type"], payload["tag"], via = "MESSAGE_TAG", "HUMAN_AGENT", "human_agent"
        answer = _meta_call(transport, f"{graph}/{page}/messages", payload, token)
        return SendResult(platform_message_id=_meta_id(answer, "message_id"), state="sent", via=via)
    if reply.private:  # public comment -> one private message to its author
        page = _need(reply, "page_id", "ig_account_id")
        comment = _need(reply, "comment_id")
        payload = {"recipient": {"comment_id": comment}, "message": {"text": reply.text}}
        answer = _meta_call(transport, f"{graph}/{page}/messages", payload, token)
        return SendResult(
            platform_message_id=_meta_id(answer, "message_id"), state="sent", via="private_reply"
        )
    if platform == "instagram" and channel == "mention":
        account = _need(reply, "ig_account_id")
        payload = {"media_id": _need(reply, "media_id"), "message": reply.text}
        if reply.reply_context.get("comment_id"):
            payload["comment_id"] = reply.reply_context["comment_id"]
        answer = _meta_call(transport, f"{graph}/{account}/mentions", payload, token)
        return SendResult(platform_message_id=_meta_id(answer, "id"), state="sent", via="mention_reply")
    if platform == "instagram":  # Instagram replies attach to the top-level comment only
        target = _need(reply, "reply_to_comment_id", "comment_id")
        answer = _meta_call(transport, f"{graph}/{target}/replies", {"message": reply.text}, token)
        return SendResult(platform_message_id=_meta_id(answer, "id"), state="sent", via="comment_reply")
    target = _need(reply, "comment_id", "post_id")
    answer = _meta_call(transport, f"{graph}/{target}/comments", {"message": reply.text}, token)
    return SendResult(platform_message_id=_meta_id(answer, "id"), state="sent", via="comment")


def _whatsapp(
    reply: OutboundReply, creds: Any, graph: str, token: str, transport: Transport, now: datetime
) -> SendResult:
    phone_number_id = _need(reply, "phone_number_id")
    payload: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": _need(reply, "to"),
    }
    if is_open(free_form_until("whatsapp", "direct", reply.last_customer_at), now):
        payload.update(type="text", text={"body": reply.text, "preview_url": False})
        via = "text"
    else:  # outside the customer-service window only an approved template is delivered
        payload.update(
            type="template",
            template={
                "name": creds.whatsapp_template,
                "language": {"code": creds.whatsapp_template_language},
                "components": [{"type": "body", "parameters": [{"type": "text", "text": reply.text[:1024]}]}],
            },
        )
        via = "template"
    answer = _meta_call(transport, f"{graph}/{phone_number_id}/messages", payload, token)
    data = answer.json()
    messages = data.get("messages") if isinstance(data, dict) else None
    if (
        not isinstance(messages, list)
        or not messages
        or not isinstance(messages[0], dict)
        or not messages[0].get("id")
    ):
        raise PlatformError("WhatsApp accepted the request but returned no message id")
    return SendResult(platform_message_id=str(messages[0]["id"]), state="sent", via=via)


def _meta_call(transport: Transport, url: str, payload: dict[str, Any], token: str) -> HttpResponse:
    answer = _post(transport, url, payload, token)
    if 200 <= answer.status < 300:
        return answer
    data = answer.json()
    error = data.get("error") if isinstance(data, dict) else None
    error = error if isinstance(error, dict) else {}
    code, subcode = error.get("code"), error.get("error_subcode")
    message = str(error.get("message") or f"HTTP {answer.status}")[:500]
    if answer.status == 429 or code in META_RATE_LIMIT_CODES:
        raise RateLimited(
            f"Meta rate limit (code {code}): {message}", retry_after_seconds=_meta_backoff(answer)
        )
    if code in META_WINDOW_CODES or subcode in META_WINDOW_SUBCODES:
        raise WindowClosed(f"Meta refused the reply as outside its messaging window: {message}")
    if answer.status >= 500 or code in META_TRANSIENT_CODES or error.get("is_transient") is True:
        raise PlatformUnavailable(f"Meta is temporarily unavailable: {message}", retry_after_seconds=30)
    raise PlatformError(f"Meta refused the reply (HTTP {answer.status}, code {code}): {message}")


def _meta_backoff(answer: HttpResponse) -> int:
    # X-Business-Use-Case-Usage / X-App-Usage carry estimated_time_to_regain_access in minutes.
    for name in ("X-Business-Use-Case-Usage", "X-Ad-Account-Usage"):
        raw = answer.header(name)
        if not raw:
            continue
        try:
            usage = json.loads(raw)
        except ValueError:
            continue
        minutes = [
            entry.get("estimated_time_to_regain_access", 0)
            for entries in (usage.values() if isinstance(usage, dict) else [])
            for entry in (entries if isinstance(entries, list) else [])
            if isinstance(entry, dict) and isinstance(entry.get("estimated_time_to_regain_access"), int)
        ]
        if minutes and max(minutes) > 0:
            return max(minutes) * 60
    return 60


def _meta_id(answer: HttpResponse, key: str) -> str:
    data = answer.json()
    value = data.get(key) if isinstance(data, dict) else None
    if not value:
        raise PlatformError(f"Meta accepted the request but returned no {key}")
    return str(value)


# ---- X ------------------------------------------------------------------------------------------------


def _x(reply: OutboundReply, creds: Any, api: str, transport: Transport, now: datetime) -> SendResult:
    token = _token(creds.x_bearer_token, "X_BEARER_TOKEN")
    if reply.channel == "direct" or reply.private:
        participant = _need(reply, "participant_id", "author_id")
        answer = _x_call(
            transport,
            f"{api}/2/dm_conversations/with/{participant}/messages",
            {"text": reply.text},
            token,
            now,
        )
        return SendResult(platform_message_id=_x_id(answer, "dm_event_id"), state="sent", via="dm")
    payload = {"text": reply.text, "reply": {"in_reply_to_tweet_id": _need(reply, "tweet_id")}}
    answer = _x_call(transport, f"{api}/2/tweets", payload, token, now)
    return SendResult(platform_message_id=_x_id(answer, "id"), state="sent", via="tweet_reply")


def _x_call(
    transport: Transport, url: str, payload: dict[str, Any], token: str, now: datetime
) -> HttpResponse:
    answer = _post(transport, url, payload, token)
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


# ---- Telegram -----------------------------------------------------------------------------------------


def _telegram(reply: OutboundReply, creds: Any, api: str, transport: Transport) -> SendResult:
    bot = _token(creds.telegram_bot_token, "TELEGRAM_BOT_TOKEN")
    payload: dict[str, Any] = {"chat_id": _need(reply, "chat_id"), "text": reply.text}
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
    # The bot token is part of Telegram's URL by design; it is never logged here.
    answer = transport(
        "POST",
        f"{api}/bot{bot}/sendMessage",
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
