"""Admins replace the company's configuration through the API (R7).

The document is validated as a whole (every problem listed); a team that has no SQS work lanes yet is
refused, because lanes are created from config/heard.json at deploy time and a case routed there could
never be claimed. Only a good document reaches SSM; the last good one keeps working otherwise. A document read before the
stored one was last saved (its `revision` is older) is refused with 409 naming what changed meanwhile,
so a stale form never silently undoes brands, accounts or people added since.
"""

from __future__ import annotations

from typing import Any

from shared.errors import InvalidInput
from shared.models.agent import Agent
from shared.models.config import HeardConfig, parse_config
from shared.observability import logger, metrics
from shared.usecases.deps import Deps


def current(deps: Deps) -> HeardConfig:
    return deps.config.refresh()


def replace(deps: Deps, agent: Agent, document: dict[str, Any]) -> HeardConfig:
    config = parse_config(document)
    without_lanes = sorted({t.id for t in config.teams} - set(deps.work.teams))
    if without_lanes:
        raise InvalidInput(
            f"configuration is invalid: team(s) {without_lanes} have no work queues yet; add them to "
            "config/heard.json and redeploy (queues are created at deploy time), then add them here"
        )
    if config.triage_backend == "comprehend" and not deps.settings.comprehend_granted:
        raise InvalidInput(
            'configuration is invalid: triage_backend "comprehend" needs the deploy setting '
            '"triage_backend": "comprehend" in config/heard.json (the triage function is granted Amazon '
            "Comprehend at deploy time); set it there and redeploy, then switch here"
        )
    stored = deps.config.put(config)  # Conflict (409) when the document is older than the stored one
    metrics.add_metric(name="ConfigReplaced", unit="Count", value=1)
    logger.warning(
        "configuration replaced",
        extra={"by": agent.email, "revision": stored.revision, "teams": [t.id for t in config.teams]},
    )
    return stored
