"""Every 5 minutes (EventBridge): compare the last 5 minutes' volume per topic and of negative posts with
the hour before; alert the crisis contacts and suggest declaring a crisis on a spike."""

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.observability import lambda_handler
from shared.usecases import spikes
from shared.usecases.deps import default_deps


@lambda_handler(correlation_paths.EVENT_BRIDGE)
def handler(event: dict, context: LambdaContext) -> dict:
    found = spikes.detect_and_alert(default_deps())
    return {"spikes": [s.series for s in found], "alerted": sum(1 for s in found if not s.covered_by)}
