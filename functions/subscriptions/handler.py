"""Hourly: are our webhook subscriptions alive? Emits SubscriptionLapsed (alarmed on) when one is not."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from shared.observability import lambda_handler, logger, metrics
from shared.platforms.credentials import load_credentials
from shared.platforms.subscriptions import check_subscriptions
from shared.settings import get_settings


@lambda_handler(correlation_paths.EVENT_BRIDGE)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    settings = get_settings()
    checks = check_subscriptions(load_credentials(settings), settings)
    lapsed = [c for c in checks if c.lapsed]
    # Always emit the metric (0 when healthy) so the alarm can also treat missing data as a failure.
    metrics.add_metric(name="SubscriptionLapsed", unit=MetricUnit.Count, value=len(lapsed))
    for check in checks:
        log = logger.error if check.lapsed else logger.info
        log(
            "webhook subscription checked",
            extra={
                "platform": check.platform,
                "target": check.target,
                "state": check.state,
                "detail": check.detail,
            },
        )
    return {"checked": len(checks), "lapsed": [c.platform for c in lapsed]}
