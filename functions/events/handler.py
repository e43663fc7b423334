"""The cases table's stream: case and crisis lifecycle events on Heard's EventBridge bus (docs/events.md)."""

from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.observability import lambda_handler
from shared.usecases import lifecycle_events
from shared.usecases.deps import default_deps


@lambda_handler()
def handler(event: dict, context: LambdaContext) -> dict:
    changes = [
        (str(r.event_name.name if r.event_name else ""), r.dynamodb.new_image)
        for r in DynamoDBStreamEvent(event).records
        if r.dynamodb and r.dynamodb.new_image
    ]
    return {"published": lifecycle_events.publish(default_deps(), changes)}
