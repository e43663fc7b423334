"""The adapters a use case needs, built from settings on first use (nothing touches AWS at import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from shared.adapters.alerts import SnsAlerts
from shared.adapters.cases_repo import DynamoCasesRepository
from shared.adapters.config_store import ConfigStore
from shared.adapters.outbox import SqsOutbox
from shared.adapters.quality_repo import DynamoQualityRepository
from shared.adapters.scheduler import EventBridgeScheduler
from shared.adapters.work_queues import SqsWorkQueues
from shared.settings import Settings, get_settings


@dataclass
class Deps:
    settings: Settings = field(default_factory=get_settings)
    overrides: dict[str, Any] = field(default_factory=dict)  # tests inject fakes by name

    def provide(self, name: str, build: Any) -> Any:
        """The adapter called `name`: an injected one (tests), else built once and kept."""
        if name not in self.overrides:
            self.overrides[name] = build()
        return self.overrides[name]

    @cached_property
    def cases(self) -> DynamoCasesRepository:
        return self.provide("cases", lambda: DynamoCasesRepository(self.settings.require("cases_table")))

    @cached_property
    def quality(self) -> DynamoQualityRepository:
        return self.provide("quality", lambda: DynamoQualityRepository(self.settings.require("cases_table")))

    @cached_property
    def work(self) -> SqsWorkQueues:
        return self.provide("work", lambda: SqsWorkQueues(self.settings.work_queues))

    @cached_property
    def outbox(self) -> SqsOutbox:
        return self.provide("outbox", lambda: SqsOutbox(self.settings.require("outbox_queue_url")))

    @cached_property
    def alerts(self) -> SnsAlerts:
        return self.provide("alerts", lambda: SnsAlerts(self.settings.require("alerts_topic_arn")))

    @cached_property
    def scheduler(self) -> EventBridgeScheduler:
        s = self.settings
        return self.provide(
            "scheduler",
            lambda: EventBridgeScheduler(
                s.require("followup_schedule_group"),
                s.require("followup_target_arn"),
                s.require("scheduler_role_arn"),
            ),
        )

    @cached_property
    def config(self) -> ConfigStore:
        return self.provide("config", lambda: ConfigStore(self.settings.config_parameter))

    @cached_property
    def reports_bucket(self) -> str:
        return self.settings.require("reports_bucket")

    @cached_property
    def s3(self) -> Any:
        def build() -> Any:
            import boto3

            return boto3.client("s3")

        return self.provide("s3", build)


_default: Deps | None = None


def default_deps() -> Deps:
    """One container per Lambda execution environment (reused across invocations)."""
    global _default
    if _default is None:
        _default = Deps()
    return _default


def reset_default_deps() -> None:
    global _default
    _default = None
