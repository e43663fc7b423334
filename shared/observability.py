"""The one place that creates Powertools' logger, tracer and metrics.

Decorator order on every handler:
    @logger.inject_lambda_context(correlation_id_path=...)
    @metrics.log_metrics(capture_cold_start_metric=True)
    @tracer.capture_lambda_handler
"""

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Heard")
