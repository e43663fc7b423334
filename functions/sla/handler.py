"""Every minute (EventBridge): mark overdue replies, escalate and alert."""

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.observability import logger, metrics, tracer
from shared.usecases import sla
from shared.usecases.deps import default_deps


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler
def handler(event: dict, context: LambdaContext) -> dict:
    result = sla.sweep(default_deps())
    return {"breached": len(result.breached), "skipped": result.skipped}
