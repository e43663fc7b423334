"""Configuration: one pydantic model, validated once per cold start, read through `get_settings()`.

Logic never reads `os.environ`; it asks for `get_settings()`. Resource names are passed in by the CDK
stack (or the local runner) as environment variables named in `infra/wiring.py`.
"""

from __future__ import annotations

import contextvars
import json
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from shared.errors import ConfigurationError

T = TypeVar("T")

WORK_PRIORITIES = (1, 2, 3, 4)  # 1 = most urgent; infra/wiring.py creates one lane per team and priority


def work_lane_name(team: str, priority: int) -> str:
    """A lane's queue name after the stack's prefix (the prefix ends in `-work-`)."""
    return f"{team}-p{priority}"


def work_lane_url(url_prefix: str, team: str, priority: int) -> str:
    return url_prefix + work_lane_name(team, priority)


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    environment: Annotated[str, Field(alias="HEARD_ENV")] = "aws"

    # Resources (names/URLs/ARNs given by the stack; each function gets only those it may use).
    cases_table: Annotated[str | None, Field(alias="HEARD_CASES_TABLE")] = None
    accounts_table: Annotated[str | None, Field(alias="HEARD_ACCOUNTS_TABLE")] = None
    idempotency_table: Annotated[str | None, Field(alias="HEARD_IDEMPOTENCY_TABLE")] = None
    archive_bucket: Annotated[str | None, Field(alias="HEARD_ARCHIVE_BUCKET")] = None
    reports_bucket: Annotated[str | None, Field(alias="HEARD_REPORTS_BUCKET")] = None
    attachments_bucket: Annotated[str | None, Field(alias="HEARD_ATTACHMENTS_BUCKET")] = None
    analytics_bucket: Annotated[str | None, Field(alias="HEARD_ANALYTICS_BUCKET")] = None
    audit_bucket: Annotated[str | None, Field(alias="HEARD_AUDIT_BUCKET")] = None
    ingest_queue_url: Annotated[str | None, Field(alias="HEARD_INGEST_QUEUE_URL")] = None
    outbox_queue_url: Annotated[str | None, Field(alias="HEARD_OUTBOX_QUEUE_URL")] = None
    status_bucket: Annotated[str | None, Field(alias="HEARD_STATUS_BUCKET")] = None
    status_base_url: Annotated[str | None, Field(alias="HEARD_STATUS_BASE_URL")] = None
    # The console's address (escalation links open its public answer page) and the secret that signs them.
    console_url: Annotated[str | None, Field(alias="HEARD_CONSOLE_URL")] = None
    link_secret_arn: Annotated[str | None, Field(alias="HEARD_LINK_SECRET_ARN")] = None
    crisis_updates_queue_url: Annotated[str | None, Field(alias="HEARD_CRISIS_UPDATES_QUEUE_URL")] = None
    erasure_queue_url: Annotated[str | None, Field(alias="HEARD_ERASURE_QUEUE_URL")] = None
    # Locally only: report download links go through the local stack's front door (`<base>/files`), as
    # the console reaches nothing else; in AWS the presigned S3 link is used as it is.
    files_url: Annotated[str | None, Field(alias="HEARD_FILES_URL")] = None
    report_requests_queue_url: Annotated[str | None, Field(alias="HEARD_REPORT_REQUESTS_QUEUE_URL")] = None
    # The verified SES identity email notifications come from (issue #12).
    notify_email_from: Annotated[str | None, Field(alias="HEARD_NOTIFY_EMAIL_FROM")] = None
    # Team work lanes: one SQS queue per team and priority, named <prefix><team>-p<priority>. The stack
    # passes the URL every lane's URL starts with and the teams, so the environment stays small however
    # many teams there are (the roles are scoped to the same name prefix).
    work_queue_url_prefix: Annotated[str | None, Field(alias="HEARD_WORK_QUEUE_URL_PREFIX")] = None
    work_teams: Annotated[tuple[str, ...], Field(alias="HEARD_WORK_TEAMS")] = ()
    alerts_topic_arn: Annotated[str | None, Field(alias="HEARD_ALERTS_TOPIC_ARN")] = None
    followup_schedule_group: Annotated[str | None, Field(alias="HEARD_FOLLOWUP_SCHEDULE_GROUP")] = None
    followup_target_arn: Annotated[str | None, Field(alias="HEARD_FOLLOWUP_TARGET_ARN")] = None
    scheduler_role_arn: Annotated[str | None, Field(alias="HEARD_SCHEDULER_ROLE_ARN")] = None
    config_parameter: Annotated[str | None, Field(alias="HEARD_CONFIG_PARAMETER")] = None
    # The search index (docs/decisions.md, 2026-12-03): a DynamoDB table in AWS and under moto's tests;
    # the local runner sets HEARD_SEARCH_ENGINE=embedded for SQLite FTS5 (a million messages in < 1 s).
    search_table: Annotated[str | None, Field(alias="HEARD_SEARCH_TABLE")] = None
    search_engine: Annotated[Literal["dynamodb", "embedded"], Field(alias="HEARD_SEARCH_ENGINE")] = "dynamodb"
    # The embedded search engine's database (SQLite FTS5): a file, or by default one in-memory database
    # shared by every function of the process (the local stack and the tests run them all in one).
    search_path: Annotated[str, Field(alias="HEARD_SEARCH_PATH", max_length=500)] = (
        "file:heard-search?mode=memory&cache=shared"
    )
    user_pool_id: Annotated[str | None, Field(alias="HEARD_USER_POOL_ID")] = None  # admins manage users
    # Whether this stack was deployed with Amazon Comprehend granted to triage (given to the configuration
    # editor, so it refuses a switch the deployed role could not carry out).
    comprehend_granted: Annotated[bool, Field(alias="HEARD_COMPREHEND_GRANTED")] = False

    # Platform credentials: in AWS one Secrets Manager secret (JSON) holds them all; locally, env vars.
    platform_secret_arn: Annotated[str | None, Field(alias="HEARD_PLATFORM_SECRET_ARN")] = None
    # Connected accounts (issue #16): one secret each, named <prefix><account id>, under the data key.
    account_secret_prefix: Annotated[str | None, Field(alias="HEARD_ACCOUNT_SECRET_PREFIX")] = None
    account_secret_key_arn: Annotated[str | None, Field(alias="HEARD_ACCOUNT_SECRET_KEY_ARN")] = None
    meta_app_secret: Annotated[str | None, Field(alias="META_APP_SECRET")] = None
    meta_verify_token: Annotated[str | None, Field(alias="META_VERIFY_TOKEN")] = None
    meta_page_token: Annotated[str | None, Field(alias="META_PAGE_TOKEN")] = None
    x_consumer_secret: Annotated[str | None, Field(alias="X_CONSUMER_SECRET")] = None
    x_bearer_token: Annotated[str | None, Field(alias="X_BEARER_TOKEN")] = None
    x_account_id: Annotated[str | None, Field(alias="X_ACCOUNT_ID")] = None
    telegram_secret_token: Annotated[str | None, Field(alias="TELEGRAM_SECRET_TOKEN")] = None
    telegram_bot_token: Annotated[str | None, Field(alias="TELEGRAM_BOT_TOKEN")] = None
    linkedin_client_secret: Annotated[str | None, Field(alias="LINKEDIN_CLIENT_SECRET")] = None
    linkedin_access_token: Annotated[str | None, Field(alias="LINKEDIN_ACCESS_TOKEN")] = None
    generic_webhook_secret: Annotated[str | None, Field(alias="GENERIC_WEBHOOK_SECRET")] = None
    # The generic channel's reply callback for the single-account setup (accounts carry their own).
    generic_callback_url: Annotated[str, Field(alias="GENERIC_CALLBACK_URL")] = ""

    # The company's own systems (issue #17): the secret that signs requests to its HTTPS endpoint; the
    # endpoint's URL is in the configuration, and the local stack points lookups at its fake instead.
    company_secret_arn: Annotated[str | None, Field(alias="HEARD_COMPANY_SECRET_ARN")] = None
    company_api_url: Annotated[str | None, Field(alias="HEARD_COMPANY_API_URL", max_length=500)] = None

    # Generative writing help (issue #11): the Amazon Bedrock model the api drafts and summarises with,
    # given only when deployed with it (-c generativeHelp=<model id>); None: the built-in, offline help.
    generative_model: Annotated[
        str | None, Field(alias="HEARD_GENERATIVE_MODEL", min_length=3, max_length=200)
    ] = None

    # Heard's EventBridge bus (issue #17), where case and crisis events go.
    event_bus_name: Annotated[str | None, Field(alias="HEARD_EVENT_BUS_NAME")] = None
    # The chat notifier's incoming-webhook URL (a secret the admin sets through the API).
    chat_webhook_secret_arn: Annotated[str | None, Field(alias="HEARD_CHAT_WEBHOOK_SECRET_ARN")] = None

    # Where connectors send replies. Defaults are the real APIs; the local stack points them at fakes.
    meta_graph_url: Annotated[str, Field(alias="META_GRAPH_URL")] = "https://graph.facebook.com/v21.0"
    x_api_url: Annotated[str, Field(alias="X_API_URL")] = "https://api.x.com"
    telegram_api_url: Annotated[str, Field(alias="TELEGRAM_API_URL")] = "https://api.telegram.org"
    linkedin_api_url: Annotated[str, Field(alias="LINKEDIN_API_URL")] = "https://api.linkedin.com/rest"

    # Behaviour.
    first_response_minutes: Annotated[
        int, Field(alias="HEARD_FIRST_RESPONSE_MINUTES", ge=1, le=7 * 24 * 60)
    ] = 60
    max_webhook_bytes: Annotated[int, Field(alias="HEARD_MAX_WEBHOOK_BYTES", ge=1024)] = 5 * 1024 * 1024
    default_agent_capacity: Annotated[int, Field(alias="HEARD_AGENT_CAPACITY", ge=1, le=500)] = 8

    @field_validator("work_teams", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(t.strip() for t in value.split(",") if t.strip())
        return value

    @property
    def work_queues(self) -> dict[str, dict[str, str]]:
        """{"team": {"1": url, ..., "4": url}}: every team's lanes, most urgent first."""
        if not self.work_queue_url_prefix:
            return {}
        prefix = self.work_queue_url_prefix
        return {
            team: {str(p): work_lane_url(prefix, team, p) for p in WORK_PRIORITIES}
            for team in self.work_teams
        }

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
    """Build something once per configuration: reused while warm, rebuilt only for a configuration not seen
    before (tests and the local runner run several functions, each with its own environment, in one
    process; one entry per environment is kept, so alternating functions do not rebuild)."""
    built: dict[int, tuple[Settings, T]] = {}

    def get() -> T:
        settings = get_settings()
        entry = built.get(id(settings))
        if entry is None or entry[0] is not settings:
            if len(built) > 64:  # environments are few; settings objects die with cache_clear()
                built.clear()
            entry = built[id(settings)] = (settings, build(settings))
        return entry[1]

    return get


# The environment of the function whose invocation runs in this thread, when it is not the process's own
# (the local runner and the tests run every function in one process, each with only its own variables).
_function_environment: contextvars.ContextVar[frozenset[tuple[str, str]] | None] = contextvars.ContextVar(
    "heard_function_environment", default=None
)


@contextmanager
def function_environment(environment: Mapping[str, str]) -> Iterator[None]:
    """Within this block (this thread), `get_settings()` reads `environment` instead of `os.environ`."""
    token = _function_environment.set(frozenset(environment.items()))
    try:
        yield
    finally:
        _function_environment.reset(token)


def _validate(environment: Mapping[str, str]) -> Settings:
    try:
        return Settings.model_validate(dict(environment))
    except (ValidationError, json.JSONDecodeError) as error:
        raise ConfigurationError(f"invalid configuration: {error}") from error


@cache
def _process_settings() -> Settings:
    return _validate(os.environ)


@cache
def _environment_settings(environment: frozenset[tuple[str, str]]) -> Settings:
    return _validate(dict(environment))


class _GetSettings:
    """`get_settings()`: validated once per environment; `get_settings.cache_clear()` forgets them."""

    def __call__(self) -> Settings:
        environment = _function_environment.get()
        return _process_settings() if environment is None else _environment_settings(environment)

    @staticmethod
    def cache_clear() -> None:
        _process_settings.cache_clear()
        _environment_settings.cache_clear()


get_settings = _GetSettings()
