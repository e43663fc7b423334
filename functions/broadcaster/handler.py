"""Consumes the crisis-updates queue: one page of a statement version's delivery per message."""

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.models.broadcast import BroadcastJob
from shared.observability import lambda_handler
from shared.usecases.broadcast import run
from shared.usecases.deps import default_deps

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def record_handler(record: SQSRecord) -> str:
    return run(BroadcastJob.model_validate_json(record.body), default_deps()).value


@lambda_handler()
def handler(event: dict, context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
