"""The cases table's stream: indexes the cases that changed for search (partial batch failures).

Every record whose key is a case's partition (the case, a timeline entry) says "this case changed"; the
use case reads the case as it is now, so order and repeats do not matter. A case is indexed once per
batch however many of its items changed. A failed record is reported and the batch is retried from it.
"""

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.observability import lambda_handler
from shared.usecases.deps import default_deps
from shared.usecases.search import changed_case, index_case

processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)
_done: set[str] = set()  # cases indexed in this invocation


def record_handler(record: DynamoDBRecord) -> None:
    keys = (record.dynamodb.keys if record.dynamodb else None) or {}
    case_id = changed_case(str(keys.get("pk", "")), str(keys.get("sk", "")))
    if case_id is None or case_id in _done:
        return
    index_case(default_deps(), case_id)
    _done.add(case_id)


@lambda_handler()
def handler(event: dict, context: LambdaContext) -> PartialItemFailureResponse:
    _done.clear()
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
