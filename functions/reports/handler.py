"""Daily (EventBridge): the supervisor report for the last 24 hours."""

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.observability import lambda_handler
from shared.usecases import reports
from shared.usecases.deps import default_deps


@lambda_handler(correlation_paths.EVENT_BRIDGE)
def handler(event: dict, context: LambdaContext) -> dict:
    report = reports.generate(default_deps(), requested_by="schedule")
    return {"report_id": report["id"], "cases": report["case_count"]}
