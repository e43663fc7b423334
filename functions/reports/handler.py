"""Daily (EventBridge): the supervisor report for the last 24 hours."""

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.observability import logger, metrics, tracer
from shared.usecases import reports
from shared.usecases.deps import default_deps


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler
def handler(event: dict, context: LambdaContext) -> dict:
    report = reports.generate(default_deps(), requested_by="schedule")
    return {"report_id": report["id"], "cases": report["case_count"]}
