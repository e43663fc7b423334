"""Daily (EventBridge): delete cases kept longer than the configured retention (shared/usecases/retention.py)."""

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.observability import lambda_handler
from shared.usecases import retention
from shared.usecases.deps import default_deps


@lambda_handler(correlation_paths.EVENT_BRIDGE)
def handler(event: dict, context: LambdaContext) -> dict:
    swept = retention.sweep(default_deps())
    return {
        "deleted": swept.deleted,
        "kept": swept.kept,
        "days": swept.days,
        "cursor": swept.cursor.isoformat(),
    }
