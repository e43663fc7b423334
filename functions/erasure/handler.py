"""The erasure worker: deletes every version of an erased customer's raw deliveries (partial batch failures).

Only this function may delete from the raw archive; the API starts it with one message per chunk of keys.
"""

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.models.erasure import ErasureJob
from shared.observability import lambda_handler
from shared.usecases.deps import default_deps
from shared.usecases.erasure import erase_archive

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def record_handler(record: SQSRecord) -> int:
    return erase_archive(default_deps(), ErasureJob.model_validate_json(record.body))


@lambda_handler()
def handler(event: dict, context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
