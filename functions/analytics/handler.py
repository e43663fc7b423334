"""The cases table's stream: every case change and interaction as an analytics record (Parquet in S3)."""

from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.observability import lambda_handler
from shared.usecases import analytics
from shared.usecases.deps import default_deps


@lambda_handler()
def handler(event: dict, context: LambdaContext) -> dict:
    changes = [r.dynamodb for r in DynamoDBStreamEvent(event).records if r.dynamodb and r.dynamodb.new_image]
    if not changes:
        return {"cases": 0, "interactions": 0}
    # Named after the batch's sequence numbers: a retried batch overwrites its own files.
    name = f"{changes[0].sequence_number}-{changes[-1].sequence_number}"
    return analytics.record(default_deps(), [c.new_image for c in changes], name)
