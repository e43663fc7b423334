"""Configuration: one pydantic model, validated once per cold start, read through `get_settings()`.

Logic never reads `os.environ`; it asks for `get_settings()`. Resource names are passed in by the CDK
stack (or the local runner) as environment variables named in `infra/wiring.py`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from shared.errors import ConfigurationError

T = TypeVar("T")


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    environment: Annotated[str, Field(alias="HEARD_ENV")] = "aws"

    # Resources (names/URLs/ARNs given by the stack; each function gets only those it may use).
    cases_table: Annotated[str | None, Field(alias="HEARD_CASES_TABLE")] = None
    idempotency_table: Annotated[str | None, Field(alias="HEARD_IDEMPOTENCY_TABLE")] = None
    archive_bucket: Annotated[str | None, Field(alias="HEARD_ARCHIVE_BUCKET")] = None
    reports_bucket: Annotated[str | None, Field(alias="HEARD_REPORTS_BUCKET")] = None
    ingest_queue_url: Annotated[str | None, Field(alias="HEARD_INGEST_QUEUE_URL")] = None
    outbox_queue_url: Annotated[str | None, Field(alias="HEARD_OUTBOX_QUEUE_URL")] = None
    # {"team": {"1": url, "2": url, "3": url, "4": url}}: one SQS lane per priority per team.
    work_queues: Annotated[dict[str, dict[str, str]], Field(alias="HEARD_WORK_QUEUES")] = {}
    alerts_topic_arn: Annotated[str | None, Field(alias="HEARD_ALERTS_TOPIC_ARN")] = None
    followup_schedule_group: Annotated[str | None, Field(alias="HEARD_FOLLOWUP_SCHEDULE_GROUP")] = None
    followup_target_arn: Annotated[str | None, Field(alias="HEARD_FOLLOWUP_TARGET_ARN")] = None
    scheduler_role_arn: Annotated[str | None, Field(alias="HEARD_SCHEDULER_ROLE_ARN")] = None
    config_parameter: Annotated[str | None, Field(alias="HEARD_CONFIG_PARAMETER")] = None

    # Platform credentials: in AWS one Secrets Manager secret (JSON) holds them all; locally, env vars.
    platform_secret_arn: Annotated[str | None, Field(alias="HEARD_PLATFORM_SECRET_ARN")] = None
    meta_app_secret: Annotated[str | None, Field(alias="META_APP_SECRET")] = None
    meta_verify_token: Annotated[str | None, Field(alias="META_VERIFY_TOKEN")] = None
    meta_page_token: Annotated[str | None, Field(alias="META_PAGE_TOKEN")] = None
    x_consumer_secret: Annotated[str | None, Field(alias="X_CONSUMER_SECRET")] = None
    x_bearer_token: Annotated[str | None, Field(alias="X_BEARER_TOKEN")] = None
    x_account_id: Annotated[str | None, Field(alias="X_ACCOUNT_ID")] = None
    telegram_secret_token: Annotated[str | None, Field(alias="TELEGRAM_SECRET_TOKEN")] = None
    telegram_bot_token: Annotated[str | None, Field(alias="TELEGRAM_BOT_TOKEN")] = None
    linkedin_client_secret: Annotated[str | None, Field(alias="LINKEDIN_CLIENT_SECRET")] = None
    generic_webhook_secret: Annotated[str | None, Field(alias="GENERIC_WEBHOOK_SECRET")] = None

    # Where connectors send replies. Defaults are the real APIs; the local stack points them at fakes.
    meta_graph_url: Annotated[str, Field(alias="META_GRAPH_URL")] = "https://graph.facebook.com/v21.0"
    x_api_url: Annotated[str, Field(alias="X_API_URL")] = "https://api.x.com"
    telegram_api_url: Annotated[str, Field(alias="TELEGRAM_API_URL")] = "https://api.telegram.org"

    # Behaviour.
    first_response_minutes: Annotated[
        int, Field(alias="HEARD_FIRST_RESPONSE_MINUTES", ge=1, le=7 * 24 * 60)
    ] = 60
    max_webhook_bytes: Annotated[int, Field(alias="HEARD_MAX_WEBHOOK_BYTES", ge=1024)] = 5 * 1024 * 1024
    default_agent_capacity: Annotated[int, Field(alias="HEARD_AGENT_CAPACITY", ge=1, le=500)] = 8

    @field_validator("work_queues", mode="before")
    @classmethod
    def _json_map(cls, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value.strip() else {}
        return value

    @property
    def is_local(self) -> bool:
        return self.environment == "local"

    def require(self, field: str) -> str:
        """The value of a resource setting this code path cannot work without."""
        value = getattr(self, field)
        if not value:
            alias = type(self).model_fields[field].alias
            raise ConfigurationError(f"setting {alias} is required here but not set")
        return str(value)


def per_settings(build: Callable[[Settings], T]) -> Callable[[], T]:
    """Build something once per configuration: reused while warm, rebuilt only when `get_settings()`
    returns a new object (tests and the local runner swap environments within one process)."""
    built: list[tuple[Settings, T]] = []

    def get() -> T:
        settings = get_settings()
        if not built or built[0][0] is not settings:
            built[:] = [(settings, build(settings))]
        return built[0][1]

    return get


@cache
def get_settings() -> Settings:
    try:
        return Settings.model_validate(dict(os.environ))
    except (ValidationError, json.JSONDecodeError) as error:
        raise ConfigurationError(f"invalid configuration: {error}") from error
