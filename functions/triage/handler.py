"""Consumes the ingest queue: each record is one normalised interaction (partial batch failures)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.models.interaction import Interaction
from shared.observability import lambda_handler, logger
from shared.settings import Settings, per_settings
from shared.usecases import intake
from shared.usecases.deps import default_deps

# Report every failed record (even a whole failed batch) instead of raising: SQS retries exactly those.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
idempotency_config = IdempotencyConfig(event_key_jmespath="dedupe_key", expires_after_seconds=8 * 24 * 3600)


@per_settings
def _process(settings: Settings) -> Callable[..., dict[str, Any]]:
    """The intake use case made idempotent on the interaction's dedupe key. Built on first use, so
    nothing touches AWS at import."""
    store = DynamoDBPersistenceLayer(table_name=settings.require("idempotency_table"))

    @idempotent_function(
        data_keyword_argument="interaction", persistence_store=store, config=idempotency_config
    )
    def process(interaction: dict[str, Any]) -> dict[str, Any]:
        result = intake.handle(Interaction.model_validate(interaction), default_deps())
        return {"outcome": result.outcome.value, "case_id": result.case_id}

    return process


def record_handler(record: SQSRecord) -> dict[str, Any]:
    interaction = Interaction.model_validate_json(record.body)
    result = _process()(interaction=interaction.model_dump(mode="json"))
    logger.info("interaction handled", extra={"dedupe_key": interaction.dedupe_key, **result})
    return result


@lambda_handler()
def handler(event: dict, context: LambdaContext) -> PartialItemFailureResponse:
    idempotency_config.register_lambda_context(context)
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
