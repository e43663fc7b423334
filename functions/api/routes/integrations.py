"""/api/integrations/chat-webhook: the Slack/Teams notifier for urgent escalations and crises (issue #17).

Admins only. The URL is written to the stack's secret and never answered back (only its host); the
other settings (on or off, the webhook's kind, which events) go to the configuration.
"""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel, ConfigDict, Field

from functions.api.auth import ADMINS, allow, caller
from functions.api.errors import answers
from shared.models.chat import (
    DEFAULT_EVENTS,
    MAX_URL_LENGTH,
    ChatEvent,
    ChatKind,
    ChatTrial,
    ChatWebhookState,
)
from shared.usecases import chat_notify
from shared.usecases.deps import default_deps

router = Router()


class ChatWebhookRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Annotated[
        str | None,
        Field(
            min_length=9,
            max_length=MAX_URL_LENGTH,
            description="The incoming webhook's https:// URL; absent: keep the one set",
        ),
    ] = None
    enabled: Annotated[bool, Field(description="Post the chosen events to the channel")] = False
    kind: Annotated[ChatKind, Field(description="slack (Block Kit) or teams (MessageCard)")] = "slack"
    events: Annotated[
        list[ChatEvent], Field(max_length=5, description="Which events are posted (urgent escalations only)")
    ] = list(DEFAULT_EVENTS)


@router.get(
    "/integrations/chat-webhook",
    summary="The chat notifier's settings: whether a webhook is set and its host (never the URL)",
    tags=["integrations"],
    responses=answers(errors=(403,), meanings={403: "Admins only"}),
)
@allow(ADMINS)
def get_chat_webhook() -> ChatWebhookState:
    return chat_notify.state(default_deps())


@router.put(
    "/integrations/chat-webhook",
    summary="Set the chat notifier: the webhook URL (kept as a secret), its kind, which events, on or off",
    tags=["integrations"],
    responses=answers(
        errors=(403, 409),
        body=True,
        meanings={
            403: "Admins only",
            409: "The configuration was saved by someone else meanwhile: try again",
            422: "Invalid settings (the field is named: url must be https://, ...)",
        },
    ),
)
@allow(ADMINS)
def put_chat_webhook(body: ChatWebhookRequest) -> ChatWebhookState:
    return chat_notify.configure(
        default_deps(),
        caller(router),
        url=body.url,
        enabled=body.enabled,
        kind=body.kind,
        events=body.events,
    )


@router.post(
    "/integrations/chat-webhook/test",
    summary="Send a test message to the chat webhook and report how it went",
    description="`delivered` false with `error` when the webhook refused it or did not answer in time.",
    tags=["integrations"],
    responses=answers(
        errors=(403, 422),
        meanings={
            403: "Admins only",
            422: "No webhook URL is set",
        },
    ),
)
@allow(ADMINS)
def send_chat_test() -> ChatTrial:
    return chat_notify.send_trial(default_deps(), caller(router))
