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
from shared.rules.windows import reply_window_until

TIMEOUT_SECONDS = 10.0


class PlatformUnavailable(RateLimited):
    """The platform could not be reached or failed on its side (5xx): retry later."""


class ReplyImage(BaseModel):
    """An image attached to a reply (issue #16): a short-lived link to Heard's copy, which the platform
    fetches (or the connector uploads)."""

    model_config = ConfigDict(frozen=True)

    url: Annotated[str, Field(min_length=1, max_length=4096)]
    content_type: Annotated[str, Field(min_length=1, max_length=100)]
    size: Annotated[int, Field(ge=1)]
    body: bytes | None = Field(default=None, repr=False)  # for connectors that upload it (X)


class Choice(BaseModel):
    """A quick-answer button (a survey's score): the label the customer sees, what the platform sends back."""

    model_config = ConfigDict(frozen=True)

    title: Annotated[str, Field(min_length=1, max_length=20)]
    payload: Annotated[str, Field(min_length=1, max_length=64)]  # Telegram's callback_data limit


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
    image: ReplyImage | None = None
    # Buttons for a private conversation on platforms that have them (Messenger and Instagram quick
    # replies, WhatsApp interactive messages, Telegram inline keyboards); others send the text alone.
    choices: tuple[Choice, ...] = ()


class SendResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    platform_message_id: str
    state: str  # "sent": accepted by the platform; delivery/read statuses arrive later as webhooks
    via: str = ""  # which route was used: comment, private_reply, response, human_agent, template, ...
    # The text went out but its image did not (Messenger sends them as two messages): said on the case,
    # never retried (a retry would send the text twice).
    image_error: str | None = None


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


def post_json(transport: Transport, url: str, payload: dict[str, Any], token: str) -> HttpResponse:
    return json_call(transport, "POST", url, payload, token)


def json_call(
    transport: Transport, method: str, url: str, payload: dict[str, Any], token: str
) -> HttpResponse:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    return transport(method, url, headers=headers, body=json.dumps(payload).encode("utf-8"))


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
    from shared.platforms import spec_for_product

    spec = spec_for_product(reply.platform)
    if spec is None or spec.outbound is None or spec.api_url is None:
        raise PlatformError(f"Heard cannot reply on {reply.platform}: answer on the platform itself")
    if reply.image is not None and spec.image_rule(reply.platform, reply.channel) is None:
        raise PlatformError(f"{reply.platform} {reply.channel} replies cannot carry an image")
    api = str(getattr(settings, spec.api_url.setting)).rstrip("/")
    return spec.load(spec.outbound)(reply, creds, api, transport, now)


def _check_window(reply: OutboundReply, now: datetime) -> None:
    until = reply_window_until(reply.platform, reply.channel, reply.last_customer_at, private=reply.private)
    if until is not None and now > until:
        what = "a private reply to a comment" if reply.private and reply.channel != "direct" else "a reply"
        raise WindowClosed(
            f"{reply.platform} accepts {what} until {clock.iso(until)} (customer last wrote at "
            f"{clock.iso(reply.last_customer_at)}); that window has closed: reach the customer another way"
        )


def need_context(reply: OutboundReply, *keys: str) -> str:
    for key in keys:
        value = reply.reply_context.get(key)
        if value:
            return value
    raise PlatformError(f"reply_context for {reply.platform}/{reply.channel} lacks {' or '.join(keys)}")


def require_token(value: str | None, name: str) -> str:
    if not value:
        raise PlatformError(f"{name} is not configured: cannot send")
    return value
