"""Consumes the outbox: sends each reply through its platform connector (partial batch failures)."""

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.observability import lambda_handler
from shared.usecases.casework import OutboxMessage
from shared.usecases.deps import default_deps
from shared.usecases.dispatch import dispatch

# Report every failed record (even a whole failed batch) instead of raising: SQS retries exactly those.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def record_handler(record: SQSRecord) -> str:
    message = OutboxMessage.model_validate_json(record.body)
    return dispatch(message, default_deps()).value


@lambda_handler()
def handler(event: dict, context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
