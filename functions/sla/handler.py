"""Every minute (EventBridge): mark overdue replies, escalate and alert."""

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.observability import lambda_handler
from shared.usecases import sla
from shared.usecases.deps import default_deps


@lambda_handler(correlation_paths.EVENT_BRIDGE)
def handler(event: dict, context: LambdaContext) -> dict:
    result = sla.sweep(default_deps())
    return {"breached": len(result.breached), "skipped": result.skipped}
