"""The one place that creates Powertools' logger, tracer and metrics, and the one decorator stack every
Lambda handler wears:

    @lambda_handler(correlation_paths.API_GATEWAY_REST)   # or EVENT_BRIDGE, a JMESPath, or None
    def handler(event, context): ...

which is, in this order (STYLE.md):
    @logger.inject_lambda_context(correlation_id_path=...)
    @metrics.log_metrics(capture_cold_start_metric=True)
    @tracer.capture_lambda_handler

The tracer is created on first import of the name: the X-Ray SDK costs ~0.5 s of cold start (it loads and
patches botocore), which the webhook path cannot afford — platforms time us out. The webhook handler
therefore asks for `traced=False`; Lambda's active tracing still records its invocations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from aws_lambda_powertools import Logger, Metrics

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer

# The CloudWatch namespace of Heard's business metrics: the functions' environment (infra/lambda_factory),
# the alarms (infra/constructs/monitoring) and the local runner all read it from here.
METRICS_NAMESPACE = "Heard"

F = TypeVar("F", bound=Callable[..., Any])

logger = Logger()
metrics = Metrics(namespace=METRICS_NAMESPACE)
_tracer: Tracer | None = None


def __getattr__(name: str) -> Any:
    if name == "tracer":
        global _tracer
        if _tracer is None:
            from aws_lambda_powertools import Tracer

            _tracer = Tracer()
        return _tracer
    raise AttributeError(name)


def lambda_handler(correlation_id_path: str | None = None, *, traced: bool = True) -> Callable[[F], F]:
    """Wrap a Lambda entry point in the house's decorators, in the house's order.

    `correlation_id_path` is where the event carries the id that ties its log lines together (an API
    Gateway request id, an EventBridge event id, a case id); None for SQS batches, whose records each carry
    their own."""

    def wrap(handler: F) -> F:
        wrapped: Any = handler
        if traced:
            # Never into traces: responses and errors can hold customers' words (docs/privacy.md).
            wrapped = __getattr__("tracer").capture_lambda_handler(
                wrapped, capture_response=False, capture_error=False
            )
        wrapped = metrics.log_metrics(capture_cold_start_metric=True)(wrapped)
        return logger.inject_lambda_context(correlation_id_path=correlation_id_path)(wrapped)  # type: ignore[no-any-return]

    return wrap
