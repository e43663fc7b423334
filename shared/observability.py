"""The one place that creates Powertools' logger, tracer and metrics.

Decorator order on every handler:
    @logger.inject_lambda_context(correlation_id_path=...)
    @metrics.log_metrics(capture_cold_start_metric=True)
    @tracer.capture_lambda_handler

The tracer is created on first import of the name: the X-Ray SDK costs ~0.5 s of cold start (it loads and
patches botocore), which the webhook path cannot afford — platforms time us out. The webhook handler
therefore imports only `logger` and `metrics`; Lambda's active tracing still records its invocations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer

logger = Logger()
metrics = Metrics(namespace="Heard")
_tracer: Tracer | None = None


def __getattr__(name: str) -> Any:
    if name == "tracer":
        global _tracer
        if _tracer is None:
            from aws_lambda_powertools import Tracer

            _tracer = Tracer()
        return _tracer
    raise AttributeError(name)
