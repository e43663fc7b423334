"""The EventBridge rule on Heard's bus: urgent escalations and crises to the Slack/Teams webhook (#17).

Idempotent per event (`detail.event_id`, the same for the same fact however often it is delivered): a
redelivered event that was posted returns the stored outcome and posts nothing. A failed post raises, so
EventBridge retries the invocation and, at last, puts the event in the rule's dead-letter queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.observability import lambda_handler
from shared.settings import Settings, per_settings
from shared.usecases import chat_notify
from shared.usecases.deps import default_deps

idempotency_config = IdempotencyConfig(
    event_key_jmespath="detail.event_id || id", expires_after_seconds=7 * 24 * 3600
)


@per_settings
def _notify(settings: Settings) -> Callable[..., dict[str, Any]]:
    store = DynamoDBPersistenceLayer(table_name=settings.require("idempotency_table"))

    @idempotent_function(data_keyword_argument="event", persistence_store=store, config=idempotency_config)
    def notify(event: dict[str, Any]) -> dict[str, Any]:
        return {"outcome": chat_notify.notify(default_deps(), event)}

    return notify


@lambda_handler(correlation_paths.EVENT_BRIDGE)
def handler(event: dict, context: LambdaContext) -> dict[str, Any]:
    idempotency_config.register_lambda_context(context)
    return _notify()(event=event)
