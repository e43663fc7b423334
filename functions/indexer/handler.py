"""Consumes the search feed: indexes the cases that changed (partial batch failures)."""

import json

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field

from shared.observability import lambda_handler
from shared.usecases.deps import default_deps
from shared.usecases.search import index_cases

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


class Changed(BaseModel):
    case_ids: list[str] = Field(min_length=1, max_length=25)


def record_handler(record: SQSRecord) -> int:
    message = Changed.model_validate(json.loads(record.body))
    return index_cases(default_deps(), message.case_ids)


@lambda_handler()
def handler(event: dict, context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
