"""Hourly (EventBridge): merge each recent day's analytics batches into one compacted file per dataset
(shared/usecases/analytics.py `compact`), so reports read one file a day and rank only recent changes."""

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared import clock
from shared.observability import lambda_handler
from shared.usecases import analytics
from shared.usecases.deps import default_deps


@lambda_handler(correlation_paths.EVENT_BRIDGE)
def handler(event: dict, context: LambdaContext) -> dict:
    return analytics.compact(default_deps(), clock.now().date())
