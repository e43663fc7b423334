"""The chat notifier (issue #17): urgent escalations and crises posted to a Slack or Teams channel.

Its settings live in the configuration (`chat_notifier`: on or off, the webhook's kind, which events); the
incoming webhook's URL is a secret (Secrets Manager), set by an admin through the API and never kept in
the configuration, the logs or an answer (only its host is shown).
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from shared.models.events import EventType

ChatKind = Literal["slack", "teams"]
# The events a chat channel may receive: urgent work only (the EventBridge rule's pattern, infra/wiring.py).
NOTIFIABLE = (
    EventType.CASE_ESCALATED,  # urgent escalations only
    EventType.SLA_BREACHED,
    EventType.CRISIS_DECLARED,
    EventType.CRISIS_UPDATED,
    EventType.CRISIS_ENDED,
)
ChatEvent = Literal["Case Escalated", "SLA Breached", "Crisis Declared", "Crisis Updated", "Crisis Ended"]
DEFAULT_EVENTS: tuple[ChatEvent, ...] = (
    "Case Escalated",
    "Crisis Declared",
    "Crisis Updated",
    "Crisis Ended",
)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_URL_LENGTH = 1000


class ChatNotifier(BaseModel):
    """`chat_notifier` in the configuration: off by default."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = False
    kind: ChatKind = "slack"
    events: Annotated[list[ChatEvent], Field(max_length=len(NOTIFIABLE))] = list(DEFAULT_EVENTS)


class ChatMessage(BaseModel):
    """What one notification says, whatever the chat tool: a title, a few facts and a link."""

    model_config = ConfigDict(frozen=True)

    title: str
    facts: list[tuple[str, str]]
    link: str | None = None
    link_label: str = "Open in Heard"
    urgent: bool = True


def webhook_url_problem(url: str, *, local: bool) -> str | None:
    """Why `url` cannot be a chat webhook, or None: https with a host (plain http to this machine only on
    the local stack, where the fake receiver listens), no credentials in it, at most 1000 characters."""
    if len(url) > MAX_URL_LENGTH:
        return f"must be at most {MAX_URL_LENGTH} characters"
    if not all("!" <= c <= "~" for c in url):  # what a chat tool issues: printable ASCII, no spaces
        return "must be printable ASCII without spaces (percent-encode anything else)"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "is not a URL"
    if not host:
        return "must be an https:// URL with a host"
    if parts.username or parts.password:
        return "must not carry a user name or password"
    if parts.scheme == "https" or (local and parts.scheme == "http" and host in LOOPBACK_HOSTS):
        return None
    return "must be an https:// URL"


def url_host(url: str | None) -> str | None:
    """The host of a webhook URL (what the API shows instead of the URL, whose path is the credential)."""
    if not url:
        return None
    try:
        return urlsplit(url).hostname or None
    except ValueError:
        return None


class ChatWebhookState(BaseModel):
    """What an admin sees of the notifier: its settings, whether a URL is set and its host (never the URL)."""

    model_config = ConfigDict(frozen=True)

    configured: bool
    host: str | None
    enabled: bool
    kind: ChatKind
    events: list[ChatEvent]


class ChatTrial(BaseModel):
    """How a test message went: delivered (with the webhook's status) or not, and why."""

    model_config = ConfigDict(frozen=True)

    delivered: bool
    status: int | None
    host: str
    error: str | None
