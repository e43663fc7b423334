"""The chat notifier (issue #17): urgent escalations and crises posted to a Slack or Teams channel.

`notify` runs for each event the EventBridge rule on Heard's bus sends the `notify-chat` function (urgent
escalations, SLA breaches, crises declared, updated and ended). It reads the configuration fresh (an admin's
change applies to the next event), skips what the admin did not choose, and posts one message built only
from the event (shared/rules/chat_messages.py). A failed post raises Unavailable: EventBridge retries the
invocation and keeps what finally failed in the dead-letter queue; the handler makes it idempotent per
`event_id`, so a redelivered event is not posted twice.

Admins set the webhook through the API (`configure`, `send_trial`): the URL goes to the secret, the
rest to the configuration; only the URL's host is ever shown or logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.errors import InvalidInput, Unavailable
from shared.models.agent import Agent
from shared.models.chat import (
    ChatEvent,
    ChatKind,
    ChatNotifier,
    ChatTrial,
    ChatWebhookState,
    url_host,
    webhook_url_problem,
)
from shared.models.events import EventType
from shared.observability import logger, metrics
from shared.rules import chat_messages
from shared.usecases.deps import Deps


def skip_reason(kind: EventType, detail: Mapping[str, Any], settings: ChatNotifier) -> str | None:
    """Why this event is not posted, or None when it is."""
    if not settings.enabled:
        return "off"
    if kind.value not in settings.events:
        return "not chosen"
    if kind is EventType.CASE_ESCALATED and detail.get("urgent") is not True:
        return "not urgent"
    return None


def notify(deps: Deps, event: Mapping[str, Any]) -> str:
    """Post the EventBridge event to the chat channel; what happened ("posted" or why not)."""
    try:
        kind = EventType(str(event.get("detail-type")))
    except ValueError:
        logger.warning("event of an unknown type ignored", extra={"type": str(event.get("detail-type"))[:64]})
        return "unknown type"
    detail = event.get("detail") or {}
    settings = deps.config.refresh().chat_notifier
    skipped = skip_reason(kind, detail, settings)
    if skipped:
        logger.info("chat notification skipped", extra={"type": kind.value, "reason": skipped})
        return skipped
    url = deps.chat_secret.url()
    if url is None:
        metrics.add_metric(name="ChatNotifierNotSetUp", unit="Count", value=1)
        logger.warning("chat notifier is on but no webhook URL is set", extra={"type": kind.value})
        return "no webhook"
    message = chat_messages.message_for(kind, detail, deps.settings.console_url)
    status = deps.chat_webhook.post(url, chat_messages.payload(settings.kind, message))
    metrics.add_metric(name="ChatNotified", unit="Count", value=1)
    logger.info(
        "chat notified",
        extra={
            "type": kind.value,
            "event_id": detail.get("event_id"),
            "status": status,
            "host": url_host(url),
        },
    )
    return "posted"


def state(deps: Deps) -> ChatWebhookState:
    settings = deps.config.refresh().chat_notifier
    url = deps.chat_secret.url()
    return ChatWebhookState(
        configured=url is not None,
        host=url_host(url),
        enabled=settings.enabled,
        kind=settings.kind,
        events=list(settings.events),
    )


def configure(
    deps: Deps,
    agent: Agent,
    *,
    url: str | None,
    enabled: bool,
    kind: ChatKind,
    events: list[ChatEvent],
) -> ChatWebhookState:
    """Set the notifier: the URL (when given) into the secret, the rest into the configuration."""
    if url is not None:
        problem = webhook_url_problem(url, local=deps.settings.is_local)
        if problem:
            raise InvalidInput(f"url {problem}")
    elif enabled and deps.chat_secret.url() is None:
        raise InvalidInput("url is required to turn the notifier on: no webhook URL is set yet")
    if url is not None:
        deps.chat_secret.set_url(url)
    current = deps.config.refresh()
    chosen = ChatNotifier(enabled=enabled, kind=kind, events=list(dict.fromkeys(events)))
    deps.config.put(current.model_copy(update={"chat_notifier": chosen}))
    logger.warning(
        "chat notifier changed",
        extra={"by": agent.email, "enabled": enabled, "kind": kind, "url_changed": url is not None},
    )
    return state(deps)


def send_trial(deps: Deps, agent: Agent) -> ChatTrial:
    """Post a test message with the kind in force and report how it went (a webhook that refuses it or is
    unreachable is a result to show the admin, not an error of Heard's)."""
    url = deps.chat_secret.url()
    if url is None:
        raise InvalidInput("url is not set: set the webhook's URL before sending a test message")
    kind = deps.config.refresh().chat_notifier.kind
    message = chat_messages.trial_message(deps.settings.console_url, agent.email)
    host = url_host(url) or ""
    try:
        status = deps.chat_webhook.post(url, chat_messages.payload(kind, message))
    except Unavailable as error:
        logger.warning("chat test message not delivered", extra={"by": agent.email, "host": host})
        return ChatTrial(delivered=False, status=None, host=host, error=str(error))
    logger.info("chat test message sent", extra={"by": agent.email, "status": status, "host": host})
    return ChatTrial(delivered=True, status=status, host=host, error=None)
