"""Hourly (EventBridge): copy the audit trail's new records to the write-once vault
(shared/usecases/audit_seal.py)."""

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared import clock
from shared.observability import lambda_handler
from shared.usecases import audit_seal
from shared.usecases.deps import default_deps


@lambda_handler(correlation_paths.EVENT_BRIDGE)
def handler(event: dict, context: LambdaContext) -> dict:
    deps = default_deps()
    sealed = audit_seal.seal(deps.audit, deps.audit_vault, clock.now())
    return {
        "records": sealed.records,
        "seals": sealed.seals,
        "through": sealed.through,
        "problem": sealed.problem,
    }
