"""Every minute (EventBridge): mark overdue replies, escalate and alert; chase unanswered urgent escalations."""

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.observability import lambda_handler
from shared.usecases import escalation_links, sla
from shared.usecases.deps import default_deps


@lambda_handler(correlation_paths.EVENT_BRIDGE)
def handler(event: dict, context: LambdaContext) -> dict:
    deps = default_deps()
    result = sla.sweep(deps)
    escalation_links.chase(deps)  # reminders and hand-overs are on the cases' timelines
    return {"breached": len(result.breached), "skipped": result.skipped}
