"""The one description of Heard's wiring.

Which functions exist, what triggers each (API routes, queues, schedules), and which tables, queues,
buckets, topics, secrets and parameters each may use. Both the CDK constructs (`infra/stack.py`) and the
local runner (`infra/local/`) read this module; `tests/infra/test_wiring_agreement.py` proves that the
synthesised template and the local runner agree with it. Pure data: no CDK or boto3 imports.

Team work queues are derived from `config/heard.json`: each team gets one SQS lane per priority (1 = most
urgent), so an agent's "next" claim drains the most urgent lane first. Lanes are named
`<stack>-work-<team>-p<priority>`; functions receive one URL prefix and the team ids (not one URL per lane)
and their roles are scoped to the `<stack>-work-*` queue names, so adding a team changes configuration only
and the environment and policies stay small with 50 teams (`tests/infra/test_limits.py`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from shared.models.retention import Retention
from shared.platforms import secret_names
from shared.settings import WORK_PRIORITIES, work_lane_name

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "config" / "heard.json"
PRIORITIES = WORK_PRIORITIES
WORK_LANE_PREFIX = "work-"  # after the stack's name: <stack>-work-<team>-p<priority>


class Access(StrEnum):
    READ = "read"
    WRITE = "write"
    READ_WRITE = "read_write"
    SEND = "send"  # SQS send
    CONSUME = "consume"  # SQS receive/delete/change visibility
    PUBLISH = "publish"  # SNS publish; EventBridge PutEvents on a bus
    SCHEDULE = "schedule"  # create/delete EventBridge Scheduler schedules in a group
    ERASE = "erase"  # S3: delete every version of an object (erasure on request), nothing else
    REWRITE = "rewrite"  # S3: read, write and delete objects (the analytics store's compaction)
    MANAGE_USERS = "manage_users"  # Cognito admin APIs on the user pool: invite, groups, disable/enable


class Auth(StrEnum):
    NONE = "none"  # webhooks: verified by the platform's signature instead
    COGNITO = "cognito"


# ---- resources --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Index:
    name: str
    partition_key: str
    sort_key: str


@dataclass(frozen=True)
class Table:
    id: str
    env: str
    partition_key: str = "pk"
    sort_key: str | None = "sk"
    indexes: tuple[Index, ...] = ()
    ttl_attribute: str | None = None
    stream: bool = False  # a stream of new item images (read by a function's StreamTrigger)


@dataclass(frozen=True)
class Queue:
    id: str
    env: str | None  # None for work lanes: see HEARD_WORK_QUEUE_URL_PREFIX and HEARD_WORK_TEAMS
    dlq: bool = True
    max_receive_count: int = 5
    visibility_timeout_seconds: int = 180
    # Under the dead-letter queue's 14 days (SQS's maximum): a message moved there keeps its original
    # enqueue time, so a DLQ must keep messages longer than its source or they expire unseen.
    retention_days: int = 4
    work_lane: tuple[str, int] | None = None  # (team, priority) for team work queues


@dataclass(frozen=True)
class Bucket:
    id: str
    env: str | None
    expire_days: int | None = None
    purpose: str = ""
    listed: bool = False  # readers may list its keys (s3:ListBucket), e.g. to find a day's files
    versioned: bool = False  # an overwrite or delete can be undone; lifecycle then expires old versions too
    noncurrent_days: int | None = None  # how long a replaced or deleted version is kept
    # A public website (S3 + CloudFront): functions that use it also get its base URL in this variable.
    public_url_env: str | None = None
    # S3 Object Lock in compliance mode with this default retention: no version can be changed or deleted
    # before it ends, by anyone (the audit trail's sealed copies). Implies versioning.
    lock_days: int | None = None
    # Browsers post files straight to it through presigned forms (CORS allows POST and GET, any origin: the
    # signature, not the origin, is what grants access).
    browser_uploads: bool = False


@dataclass(frozen=True)
class Topic:
    id: str
    env: str


@dataclass(frozen=True)
class Bus:
    """An Amazon EventBridge event bus (issue #17): Heard's case and crisis events for the company's tools."""

    id: str
    env: str
    source: str  # the events' `source`


@dataclass(frozen=True)
class ScheduleGroup:
    id: str
    env: str
    target_function: str  # the function one-time schedules in this group invoke


@dataclass(frozen=True)
class Secret:
    id: str
    env: str
    description: str
    # A secret Heard makes itself (e.g. a signing key): `{"<generated_key>": <random>}` at deploy time,
    # instead of an empty object the operator fills.
    generated_key: str | None = None
    # A secret an admin sets through the API (the chat webhook's URL, issue #17): created as `{}`.
    admin_set: bool = False


@dataclass(frozen=True)
class Site:
    """A public address functions need to know (e.g. the console, for links in emails): its base URL."""

    id: str
    env: str


@dataclass(frozen=True)
class SecretFamily:
    """Secrets created at run time, one per connected account (issue #16), all named
    `<stack>/<prefix><id>`: functions get the name prefix and the data key, and their roles are scoped to
    the prefix, so adding an account needs no deploy."""

    id: str
    env: str  # the name prefix, e.g. HEARD_ACCOUNT_SECRET_PREFIX = "<stack>/accounts/"
    key_env: str  # the data key's ARN (new secrets are encrypted with it)
    prefix: str  # after "<stack>/"


@dataclass(frozen=True)
class Service:
    """An AWS API whose actions cannot be scoped to a resource (e.g. Comprehend's detect APIs)."""

    id: str
    actions: tuple[str, ...]
    reason: str
    # The resources the actions are allowed on: "*" where the API has no resource-level permissions, or
    # the ARNs the company's configuration names (e.g. its own Lambda function, issue #17).
    resources: tuple[str, ...] = ("*",)
    # Environment variables every function using it receives, decided at deploy time (e.g. the model id).
    settings: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Sender:
    """How Heard reaches people itself: email from one SES identity, or SMS to phone numbers through SNS.
    The email identity is `address` unless the deployer gives `notifyFromEmail` (CDK context)."""

    id: str
    env: str | None
    kind: str  # "email" or "sms"
    address: str = ""


@dataclass(frozen=True)
class UserPool:
    """The Cognito user pool people sign in to (created by the auth construct, not from the wiring)."""

    id: str
    env: str


USER_POOL_ACTIONS = (
    "cognito-idp:ListUsers",
    "cognito-idp:AdminGetUser",
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminListGroupsForUser",
    "cognito-idp:AdminAddUserToGroup",
    "cognito-idp:AdminRemoveUserFromGroup",
    "cognito-idp:AdminDisableUser",
    "cognito-idp:AdminEnableUser",
)


@dataclass(frozen=True)
class Parameter:
    id: str
    env: str
    source_file: Path


# ---- triggers ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpRoute:
    method: str  # GET, POST, ANY
    path: str  # API Gateway resource path, e.g. /webhooks/{platform} or /api/{proxy+}
    auth: Auth


@dataclass(frozen=True)
class QueueTrigger:
    queue: str
    batch_size: int = 10
    max_batching_window_seconds: int = 1


@dataclass(frozen=True)
class StreamTrigger:
    """A table's stream (new images), read in order per shard; a failing batch is split and retried."""

    table: str
    batch_size: int = 100
    max_batching_window_seconds: int = 5
    retry_attempts: int = 5
    # The function answers {"batchItemFailures": [...]}: the batch is retried from the first failed record.
    report_failures: bool = False


@dataclass(frozen=True)
class ScheduleTrigger:
    id: str
    expression: str  # EventBridge: rate(1 minute) / cron(...)
    description: str
    # When set, the function receives {"schedule": <id>, "input": <input>} instead of EventBridge's
    # "Scheduled Event" (the rule's constant input in AWS; the local ticker sends the same).
    input: str | None = None


@dataclass(frozen=True)
class EventRule:
    """An EventBridge rule on one of Heard's buses (issue #17) invoking the function with each matching
    event; EventBridge retries a failed invocation, then keeps the event in the function's dead-letter
    queue (`<function>-invocations`). `pattern` is the rule's event pattern as JSON."""

    id: str
    bus: str
    pattern: str
    description: str
    retry_attempts: int = 4
    max_event_age_hours: int = 2

    @property
    def event_pattern(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.pattern)
        return loaded


@dataclass(frozen=True)
class Use:
    resource: str  # a resource id, or WORK_QUEUES for every team work lane
    access: Access


@dataclass(frozen=True)
class Function:
    id: str
    handler: str  # module:function, e.g. functions.webhook.handler.handler
    description: str
    memory_mb: int = 512
    timeout_seconds: int = 30
    routes: tuple[HttpRoute, ...] = ()
    queue: QueueTrigger | None = None
    stream: StreamTrigger | None = None
    schedules: tuple[ScheduleTrigger, ...] = ()
    rules: tuple[EventRule, ...] = ()
    uses: tuple[Use, ...] = ()

    @property
    def module(self) -> str:
        return self.handler.rsplit(".", 1)[0]

    @property
    def attribute(self) -> str:
        return self.handler.rsplit(".", 1)[1]


WORK_QUEUES = "work-queues"


@dataclass(frozen=True)
class Wiring:
    tables: tuple[Table, ...]
    queues: tuple[Queue, ...]
    buckets: tuple[Bucket, ...]
    topics: tuple[Topic, ...]
    schedule_groups: tuple[ScheduleGroup, ...]
    secrets: tuple[Secret, ...]
    parameters: tuple[Parameter, ...]
    functions: tuple[Function, ...]
    teams: tuple[str, ...] = field(default=())
    services: tuple[Service, ...] = field(default=())
    secret_families: tuple[SecretFamily, ...] = field(default=())
    senders: tuple[Sender, ...] = field(default=())
    user_pools: tuple[UserPool, ...] = field(default=())
    sites: tuple[Site, ...] = field(default=())
    buses: tuple[Bus, ...] = field(default=())

    def function(self, function_id: str) -> Function:
        return next(f for f in self.functions if f.id == function_id)

    def queue(self, queue_id: str) -> Queue:
        return next(q for q in self.queues if q.id == queue_id)

    @property
    def work_queues(self) -> tuple[Queue, ...]:
        return tuple(q for q in self.queues if q.work_lane)

    def resource_ids(self) -> set[str]:
        groups = (
            self.tables,
            self.queues,
            self.buckets,
            self.topics,
            self.schedule_groups,
            self.secrets,
            self.parameters,
            self.services,
            self.secret_families,
            self.senders,
            self.user_pools,
            self.sites,
            self.buses,
        )
        return {r.id for group in groups for r in group} | {WORK_QUEUES}


def work_queue_id(team: str, priority: int) -> str:
    """The lane's wiring id, which is also its queue name after the stack's name and a hyphen."""
    return f"{WORK_LANE_PREFIX}{work_lane_name(team, priority)}"


def _teams_from_config(path: Path = CONFIG_FILE) -> tuple[str, ...]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(team["id"] for team in data["teams"])


def _retention(path: Path = CONFIG_FILE) -> Retention:
    """The retention limits the stack enforces itself (S3 lifecycle), from the company's configuration."""
    return Retention.model_validate(json.loads(path.read_text(encoding="utf-8")).get("retention", {}))


def _triage_backend(path: Path = CONFIG_FILE) -> str:
    return str(json.loads(path.read_text(encoding="utf-8")).get("triage_backend", "builtin"))


def _company_function(path: Path = CONFIG_FILE) -> str | None:
    """The company's Lambda function for lookups (issue #17), when the configuration names one."""
    system = json.loads(path.read_text(encoding="utf-8")).get("company_system") or {}
    return str(system["function_arn"]) if system.get("kind") == "lambda" else None


def company_function_service(arn: str) -> Service:
    return Service(
        "company-function",
        actions=("lambda:InvokeFunction",),
        reason="The company's own function for order and customer lookups, named in its configuration.",
        resources=(arn,),
    )


# Cross-region inference profiles: their id is the model's with a geography in front (eu.anthropic...).
_PROFILE_GEOGRAPHIES = frozenset({"us", "eu", "apac", "jp", "au", "ca", "us-gov", "global"})
_MODEL_ID = re.compile(r"^[a-z0-9-]+\.[A-Za-z0-9._:-]{2,190}$")


def generative_model(value: object) -> str | None:
    """The Amazon Bedrock model id given as CDK context `generativeHelp` (None or "": not deployed with it)."""
    if value is None or value == "" or value is False:
        return None
    model = str(value)
    if not _MODEL_ID.match(model):
        raise ValueError(
            f"generativeHelp: {model!r} is not a Bedrock model id; give one, e.g. -c generativeHelp="
            "amazon.nova-lite-v1:0 (or an inference profile such as eu.amazon.nova-lite-v1:0)"
        )
    return model


def generative_help_services(model: str) -> tuple[Service, ...]:
    """Amazon Bedrock (that one model, through Converse) and Amazon Translate for the api (issue #11)."""
    geography, _, base = model.partition(".")
    models: tuple[str, ...]
    if geography in _PROFILE_GEOGRAPHIES:
        # A cross-region profile routes each call to the model in one of its geography's regions.
        models = (
            f"arn:aws:bedrock:*:*:inference-profile/{model}",
            f"arn:aws:bedrock:*::foundation-model/{base}",
        )
    else:
        models = (f"arn:aws:bedrock:*::foundation-model/{model}",)
    return (
        Service(
            "generative-model",
            actions=("bedrock:InvokeModel",),  # what the Converse API is authorised as
            reason="One Bedrock model, in any region its cross-region inference may route it to.",
            resources=models,
            settings=(("HEARD_GENERATIVE_MODEL", model),),
        ),
        Service(
            "translate",
            actions=("translate:TranslateText",),
            reason="Amazon Translate's TranslateText has no resource to scope to (no custom terminology).",
        ),
    )


def comprehend_granted(wiring: Wiring, function_id: str = "triage") -> bool:
    """Whether the function's role may call Comprehend (decided at deploy time by the configuration)."""
    return any(u.resource == COMPREHEND.id for u in wiring.function(function_id).uses)


COMPREHEND = Service(
    "comprehend",
    actions=(
        "comprehend:DetectSentiment",
        "comprehend:DetectDominantLanguage",
        "comprehend:DetectPiiEntities",
    ),
    reason="Comprehend's real-time detect APIs have no resource-level permissions.",
)


# Email and SMS to people when a case needs them now (issue #12): SLA breaches and urgent escalations.
NOTIFY_EMAIL = Sender(
    "notify-email", env="HEARD_NOTIFY_EMAIL_FROM", kind="email", address="heard@example.com"
)
NOTIFY_SMS = Sender("notify-sms", env=None, kind="sms")
# Escalation links (issue #12): signed with a key Heard generates, opening the console's answer page.
LINK_SIGNING = Secret(
    "link-signing",
    env="HEARD_LINK_SECRET_ARN",
    description='JSON: {"key": ...}, generated: signs escalation answer links (rotating it voids them)',
    generated_key="key",
)
CONSOLE = Site("console", env="HEARD_CONSOLE_URL")
# The chat notifier (issue #17): a Slack/Teams incoming webhook's URL, set by an admin through the API.
CHAT_WEBHOOK = Secret(
    "chat-webhook",
    env="HEARD_CHAT_WEBHOOK_SECRET_ARN",
    description='JSON: {"url": ...}: the Slack or Teams incoming webhook, set by an admin in the console',
    admin_set=True,
)
# What the chat notifier's rule sends it: urgent escalations, SLA breaches and every crisis step; the
# admin's choice among them is configuration (`chat_notifier.events`), applied by the function.
CHAT_RULE_PATTERN = {
    "source": ["heard"],
    "$or": [
        {"detail-type": ["Case Escalated"], "detail": {"urgent": [True]}},
        {"detail-type": ["SLA Breached", "Crisis Declared", "Crisis Updated", "Crisis Ended"]},
    ],
}


# ---- Heard ------------------------------------------------------------------------------------------

REPORTS_TIMEOUT = 900
# Scheduled supervisor reports (UTC): each covers the day, week or month before it and is emailed to the
# recipients in config/heard.json `reports.schedules`.
REPORT_SCHEDULES = (
    ("daily", "cron(0 6 * * ? *)"),
    ("weekly", "cron(0 6 ? * MON *)"),
    ("monthly", "cron(0 6 1 * ? *)"),
)

CASES_INDEXES = (
    # Access patterns (see docs/data-model.md):
    Index("by_status", "gsi1pk", "gsi1sk"),  # cases by status, newest first: STATUS#<status>#<shard>
    Index("sla_due", "gsi2pk", "gsi2sk"),  # sparse: awaiting first response, by due time: SLA#<shard>
    Index("by_owner", "gsi3pk", "gsi3sk"),  # an agent's cases: OWNER#<email>, by status#updated
    Index("by_day", "gsi4pk", "gsi4sk"),  # cases opened per day for reports: DAY#<date>#<shard>
)


@cache
def heard(generative: str | None = None) -> Wiring:
    """Heard's wiring; `generative`: the Bedrock model when deployed with generative help (issue #11)."""
    return wiring_for(CONFIG_FILE, generative=generative)


def wiring_for(config_file: Path, *, generative: str | None = None) -> Wiring:
    """Heard's wiring for a configuration file (its teams and triage backend) and, when given, the Bedrock
    model of the generative writing help (CDK context `generativeHelp`); `heard()` for ours."""
    teams = _teams_from_config(config_file)
    # Comprehend is granted to triage only when the company's configuration asks for that backend.
    comprehend = (Use(COMPREHEND.id, Access.READ),) if _triage_backend(config_file) == "comprehend" else ()
    # The company's Lambda function is invokable by the api and triage only when the configuration names
    # one (#17).
    company_arn = _company_function(config_file)
    company_services = (company_function_service(company_arn),) if company_arn else ()
    company_function = tuple(Use(sv.id, Access.READ) for sv in company_services)
    # Bedrock and Translate are granted to the api only when deployed with generative help (#11).
    generative_services = generative_help_services(generative) if generative else ()
    generative_help = tuple(Use(sv.id, Access.READ) for sv in generative_services)
    ingest_timeout = 30
    work = tuple(
        Queue(
            id=work_queue_id(team, p),
            env=None,
            dlq=False,
            visibility_timeout_seconds=60,
            retention_days=14,  # waiting for an agent's claim, not for a consumer: as long as SQS keeps any
            work_lane=(team, p),
        )
        for team in teams
        for p in PRIORITIES
    )
    return Wiring(
        teams=teams,
        services=(COMPREHEND, *company_services, *generative_services),
        senders=(NOTIFY_EMAIL, NOTIFY_SMS),
        user_pools=(UserPool("user-pool", env="HEARD_USER_POOL_ID"),),
        sites=(CONSOLE,),
        buses=(Bus("events", env="HEARD_EVENT_BUS_NAME", source="heard"),),
        tables=(
            Table(
                "cases",
                env="HEARD_CASES_TABLE",
                indexes=CASES_INDEXES,
                ttl_attribute="expires_at",
                stream=True,  # every case change and interaction becomes an analytics record (R3)
            ),
            # Connected accounts (issue #16), apart from the cases: the public webhook reads only this one.
            Table("accounts", env="HEARD_ACCOUNTS_TABLE"),
            # The search index (shared/adapters/search_dynamo.py), fed by the indexer from the cases' stream.
            Table("search", env="HEARD_SEARCH_TABLE", indexes=(Index("by_status", "gsi1pk", "gsi1sk"),)),
            Table(
                "idempotency",
                env="HEARD_IDEMPOTENCY_TABLE",
                partition_key="id",
                sort_key=None,
                ttl_attribute="expiration",
            ),
        ),
        queues=(
            Queue("ingest", env="HEARD_INGEST_QUEUE_URL", visibility_timeout_seconds=6 * ingest_timeout),
            Queue(
                "outbox", env="HEARD_OUTBOX_QUEUE_URL", max_receive_count=8, visibility_timeout_seconds=6 * 30
            ),
            # Pages of a crisis update's delivery (docs/outreach.md); the broadcaster puts the next page back.
            Queue("crisis-updates", env="HEARD_CRISIS_UPDATES_QUEUE_URL", visibility_timeout_seconds=6 * 60),
            # Erasure on request: the API starts the raw archive's erasure, the erasure worker does it.
            Queue("erasure", env="HEARD_ERASURE_QUEUE_URL", visibility_timeout_seconds=6 * 60),
            # Reports asked for in the console: the API queues them, the reports function makes them.
            Queue(
                "report-requests",
                env="HEARD_REPORT_REQUESTS_QUEUE_URL",
                max_receive_count=3,
                visibility_timeout_seconds=6 * REPORTS_TIMEOUT,
            ),
            *work,
        ),
        buckets=(
            Bucket(
                "archive",
                env="HEARD_ARCHIVE_BUCKET",
                purpose="raw webhook deliveries, replayable",
                expire_days=_retention().archive_days,
                versioned=True,
                noncurrent_days=1,  # a version replaced, deleted or expired is gone the next day
            ),
            Bucket(
                "attachments",
                env="HEARD_ATTACHMENTS_BUCKET",
                purpose="customers' media copied from the platforms, agents' images for replies (issue #16)",
                expire_days=_retention().archive_days,
                browser_uploads=True,
            ),
            Bucket(
                "reports",
                env="HEARD_REPORTS_BUCKET",
                expire_days=_retention().reports_days,
                purpose="supervisor reports",
            ),
            Bucket(
                "analytics",
                env="HEARD_ANALYTICS_BUCKET",
                expire_days=_retention().analytics_days,
                purpose="analytics records: Parquet per dataset and day (Glue table, Athena workgroup)",
                listed=True,
            ),
            Bucket(
                "audit",
                env="HEARD_AUDIT_BUCKET",
                purpose="the audit trail's sealed copies: write-once (Object Lock, compliance mode)",
                listed=True,
                versioned=True,
                lock_days=_retention().audit_days,
                expire_days=_retention().audit_days + 1,
                noncurrent_days=1,  # a sealed key is never replaced; a delete marker's version goes when its lock ends
            ),
            Bucket(
                "status",
                env="HEARD_STATUS_BUCKET",
                purpose="public crisis status pages (R15), served by CloudFront under /status/",
                public_url_env="HEARD_STATUS_BASE_URL",
            ),
        ),
        topics=(Topic("alerts", env="HEARD_ALERTS_TOPIC_ARN"),),
        schedule_groups=(
            ScheduleGroup("followups", env="HEARD_FOLLOWUP_SCHEDULE_GROUP", target_function="followups"),
        ),
        secrets=(
            Secret(
                "platform-credentials",
                env="HEARD_PLATFORM_SECRET_ARN",
                description="JSON: " + ", ".join(secret_names()),  # from the platform specs
            ),
            LINK_SIGNING,
            CHAT_WEBHOOK,
            Secret(
                "company-systems",
                env="HEARD_COMPANY_SECRET_ARN",
                description="JSON: COMPANY_HMAC_SECRET (signs lookups sent to the company's HTTPS endpoint)",
            ),
        ),
        secret_families=(
            SecretFamily(
                "account-credentials",
                env="HEARD_ACCOUNT_SECRET_PREFIX",
                key_env="HEARD_ACCOUNT_SECRET_KEY_ARN",
                prefix="accounts/",
            ),
        ),
        parameters=(Parameter("config", env="HEARD_CONFIG_PARAMETER", source_file=config_file),),
        functions=(
            Function(
                id="webhook",
                handler="functions.webhook.handler.handler",
                description="Verifies, archives and enqueues webhook deliveries; answers fast",
                memory_mb=512,
                timeout_seconds=10,
                routes=(
                    HttpRoute("GET", "/webhooks/{platform}", Auth.NONE),
                    HttpRoute("POST", "/webhooks/{platform}", Auth.NONE),
                    # A connected account's own URL (issue #16): its own credentials and verification.
                    HttpRoute("GET", "/webhooks/{platform}/{account}", Auth.NONE),
                    HttpRoute("POST", "/webhooks/{platform}/{account}", Auth.NONE),
                ),
                uses=(
                    Use("archive", Access.WRITE),
                    Use("ingest", Access.SEND),
                    Use("platform-credentials", Access.READ),
                    Use("accounts", Access.READ),
                    Use("account-credentials", Access.READ),
                ),
            ),
            Function(
                id="triage",
                handler="functions.triage.handler.handler",
                description="Classifies interactions, threads them into cases and routes cases to team queues",
                timeout_seconds=ingest_timeout,
                queue=QueueTrigger("ingest", batch_size=10, max_batching_window_seconds=1),
                uses=(
                    Use("cases", Access.READ_WRITE),
                    Use("idempotency", Access.READ_WRITE),
                    Use(WORK_QUEUES, Access.SEND),
                    Use("outbox", Access.SEND),
                    Use("alerts", Access.PUBLISH),
                    Use("config", Access.READ),
                    # Instagram mentions: their text is fetched with the platform's (or account's) token.
                    Use("platform-credentials", Access.READ),
                    Use("accounts", Access.READ),
                    Use("account-credentials", Access.READ),
                    *comprehend,
                    # A "where is my order" automatic answer tells the order's status (#17): a short,
                    # breaker-guarded lookup in the company's own systems (docs/decisions.md, 2026-12-03).
                    Use("company-systems", Access.READ),
                    *company_function,
                ),
            ),
            Function(
                id="api",
                handler="functions.api.handler.handler",
                description="The Heard API behind the Cognito authorizer: cases, queues, replies, reports",
                timeout_seconds=29,
                # One full vCPU (Lambda gives CPU in proportion to memory): a suggestion runs the sentence
                # encoder over the question (~20 ms on one core; ~70 ms at 512 MB's share). decisions.md.
                memory_mb=1769,
                routes=(HttpRoute("ANY", "/api/{proxy+}", Auth.COGNITO),),
                uses=(
                    Use("cases", Access.READ_WRITE),
                    Use(WORK_QUEUES, Access.CONSUME),
                    Use(WORK_QUEUES, Access.SEND),
                    Use("outbox", Access.SEND),
                    Use("crisis-updates", Access.SEND),
                    Use("erasure", Access.SEND),
                    Use("report-requests", Access.SEND),
                    Use("status", Access.WRITE),
                    Use("reports", Access.READ_WRITE),
                    Use("analytics", Access.READ),  # the dashboard and on-demand reports
                    Use("audit", Access.READ),  # the audit check compares the trail with its sealed copies
                    Use("followups", Access.SCHEDULE),
                    Use("alerts", Access.PUBLISH),
                    Use("config", Access.READ_WRITE),
                    # Searches; erasure rewrites the erased customer's documents at once (not at the next
                    # stream batch), so an admin's erasure is complete when the API answers.
                    Use("search", Access.READ_WRITE),
                    Use("accounts", Access.READ_WRITE),  # admins connect accounts
                    Use("platform-credentials", Access.READ),  # agents moderate on the platforms
                    Use("account-credentials", Access.READ_WRITE),
                    # Attachments: customers' media copied on first view, agents' images uploaded (#16).
                    Use("attachments", Access.READ_WRITE),
                    Use("attachments", Access.ERASE),  # erasure on request deletes the case's files
                    # Urgent escalations reach people by email and SMS.
                    Use(NOTIFY_EMAIL.id, Access.SEND),
                    Use(NOTIFY_SMS.id, Access.SEND),
                    Use("user-pool", Access.MANAGE_USERS),  # admins invite and manage people (#12)
                    # Order and customer lookups in the company's own systems (#17).
                    Use("company-systems", Access.READ),
                    *company_function,
                    # Drafts, summaries and translation with Bedrock and Translate, when deployed so (#11).
                    *generative_help,
                    # Escalation emails carry a signed link to the console's answer page.
                    Use(LINK_SIGNING.id, Access.READ),
                    Use(CONSOLE.id, Access.READ),
                    # Admins set the chat notifier's webhook URL and send it a test message (#17).
                    Use(CHAT_WEBHOOK.id, Access.READ_WRITE),
                ),
            ),
            Function(
                id="answers",
                handler="functions.answers.handler.handler",
                description="The escalation answer page's API: public, the signed link is the credential",
                memory_mb=256,
                timeout_seconds=10,
                routes=(
                    HttpRoute("GET", "/public/escalations/{token}", Auth.NONE),
                    HttpRoute("POST", "/public/escalations/{token}/answer", Auth.NONE),
                ),
                uses=(
                    # Reads the escalation and its case; writes the answer (a note) and the owner's notice.
                    Use("cases", Access.READ_WRITE),
                    Use("config", Access.READ),
                    Use(LINK_SIGNING.id, Access.READ),
                ),
            ),
            Function(
                id="dispatcher",
                handler="functions.dispatcher.handler.handler",
                description="Sends replies from the outbox through each platform's connector",
                timeout_seconds=30,
                queue=QueueTrigger("outbox", batch_size=5, max_batching_window_seconds=0),
                uses=(
                    Use("cases", Access.READ_WRITE),
                    Use("platform-credentials", Access.READ),
                    Use("accounts", Access.READ),  # replies go through the account they came to
                    Use("account-credentials", Access.READ),
                    Use("attachments", Access.READ),  # an agent's image, read back for X's media upload
                ),
            ),
            Function(
                id="broadcaster",
                handler="functions.broadcaster.handler.handler",
                description="Sends a crisis's new statement to every customer of its cases, paced per platform",
                timeout_seconds=60,
                queue=QueueTrigger("crisis-updates", batch_size=1, max_batching_window_seconds=0),
                uses=(
                    Use("cases", Access.READ_WRITE),
                    Use("outbox", Access.SEND),
                    Use("crisis-updates", Access.SEND),
                    Use("config", Access.READ),
                ),
            ),
            Function(
                id="indexer",
                handler="functions.indexer.handler.handler",
                description="The cases table's stream: indexes changed cases for search; links identities by email, phone or order",
                timeout_seconds=60,
                stream=StreamTrigger(
                    "cases", batch_size=100, max_batching_window_seconds=1, report_failures=True
                ),
                # Reads the cases; writes the keys customers gave and the links between their identities.
                uses=(Use("cases", Access.READ_WRITE), Use("search", Access.READ_WRITE)),
            ),
            Function(
                id="sla",
                handler="functions.sla.handler.handler",
                description="Every minute: marks cases whose first response is overdue and alerts",
                timeout_seconds=60,
                schedules=(ScheduleTrigger("sla-every-minute", "rate(1 minute)", "SLA monitor"),),
                uses=(
                    Use("cases", Access.READ_WRITE),
                    # An overdue queued case moves to its team's most urgent lane.
                    Use(WORK_QUEUES, Access.SEND),
                    Use("alerts", Access.PUBLISH),
                    Use("config", Access.READ),
                    # A breach reaches the on-call person or crisis owner by email and SMS.
                    Use(NOTIFY_EMAIL.id, Access.SEND),
                    Use(NOTIFY_SMS.id, Access.SEND),
                    # Unanswered urgent escalations: a reminder, then the backup, each with a signed link.
                    Use(LINK_SIGNING.id, Access.READ),
                    Use(CONSOLE.id, Access.READ),
                ),
            ),
            Function(
                id="spikes",
                handler="functions.spikes.handler.handler",
                description="Every 5 minutes: topic and negative volume against the last hour; alerts on spikes",
                timeout_seconds=60,
                schedules=(ScheduleTrigger("spikes-every-5-minutes", "rate(5 minutes)", "Spike detection"),),
                uses=(
                    Use("cases", Access.READ_WRITE),
                    Use("alerts", Access.PUBLISH),
                    Use("config", Access.READ),
                ),
            ),
            Function(
                id="followups",
                handler="functions.followups.handler.handler",
                description="Invoked by one-time schedules: follow-up tasks for case owners, satisfaction surveys",
                timeout_seconds=30,
                uses=(
                    Use("cases", Access.READ_WRITE),
                    # The survey goes out through the outbox, configured per channel (R21).
                    Use("outbox", Access.SEND),
                    Use("config", Access.READ),
                ),
            ),
            Function(
                id="reports",
                handler="functions.reports.handler.handler",
                description="Supervisor reports (JSON, CSV, XLSX, HTML) computed with DuckDB from the analytics store: "
                "asked for in the console (queued by the API), or daily, weekly and monthly by email",
                # 2 GB buys a full vCPU for DuckDB and XlsxWriter; a month at 1,000,000 cases stays well
                # inside the 15 minutes (bench/bench_reports.py).
                memory_mb=2048,
                timeout_seconds=REPORTS_TIMEOUT,
                queue=QueueTrigger("report-requests", batch_size=1, max_batching_window_seconds=0),
                schedules=tuple(
                    ScheduleTrigger(
                        f"reports-{cadence}",
                        expression,
                        f"{cadence.title()} supervisor report",
                        input=cadence,
                    )
                    for cadence, expression in REPORT_SCHEDULES
                ),
                uses=(
                    # Reads the cases; writes the report's record (listed by GET /api/reports) and the
                    # "report ready" notice of the person who asked.
                    Use("cases", Access.READ_WRITE),
                    Use("analytics", Access.READ),
                    Use("reports", Access.WRITE),
                    Use("config", Access.READ),  # who receives the scheduled reports
                    Use(NOTIFY_EMAIL.id, Access.SEND),  # scheduled reports by email (SES)
                ),
            ),
            Function(
                id="analytics",
                handler="functions.analytics.handler.handler",
                description="The cases table's stream: case changes and interactions as Parquet records in S3",
                memory_mb=512,
                timeout_seconds=60,
                stream=StreamTrigger("cases"),
                uses=(Use("analytics", Access.WRITE),),
            ),
            Function(
                id="compaction",
                handler="functions.compaction.handler.handler",
                description="Hourly: each recent day's analytics batches merged into one Parquet file per dataset",
                memory_mb=1024,
                timeout_seconds=600,
                schedules=(
                    ScheduleTrigger("analytics-compaction", "rate(1 hour)", "Compact the analytics store"),
                ),
                # Reads a day's files, writes the compacted one (conditionally), deletes the batches merged.
                uses=(Use("analytics", Access.REWRITE),),
            ),
            Function(
                id="events",
                handler="functions.events.handler.handler",
                description="The cases table's stream: case and crisis lifecycle events to the Heard event bus",
                memory_mb=256,
                timeout_seconds=30,
                stream=StreamTrigger("cases", batch_size=100, max_batching_window_seconds=1),
                uses=(Use("events", Access.PUBLISH),),
            ),
            Function(
                id="notify-chat",
                handler="functions.notify_chat.handler.handler",
                description="Heard's event bus: urgent escalations and crises to the Slack or Teams webhook",
                memory_mb=256,
                timeout_seconds=15,
                rules=(
                    EventRule(
                        "chat-notifications",
                        bus="events",
                        pattern=json.dumps(CHAT_RULE_PATTERN),
                        description="Urgent escalations, SLA breaches and crises to the chat notifier",
                    ),
                ),
                uses=(
                    Use(CHAT_WEBHOOK.id, Access.READ),
                    Use("config", Access.READ),  # on or off, the webhook's kind, which events
                    Use("idempotency", Access.READ_WRITE),  # one post per event id
                    Use(CONSOLE.id, Access.READ),  # the link to the case or crisis
                ),
            ),
            Function(
                id="erasure",
                handler="functions.erasure.handler.handler",
                description="Erasure on request: deletes every version of a customer's raw deliveries",
                timeout_seconds=60,
                queue=QueueTrigger("erasure", batch_size=1, max_batching_window_seconds=0),
                uses=(
                    # Deletes from the archive (never reads it); counts its progress on the erasure record.
                    Use("archive", Access.ERASE),
                    Use("cases", Access.READ_WRITE),
                ),
            ),
            Function(
                id="retention",
                handler="functions.retention.handler.handler",
                description="Daily: deletes cases and timelines kept longer than the configured retention",
                timeout_seconds=300,
                schedules=(ScheduleTrigger("retention-daily", "cron(30 3 * * ? *)", "Retention of cases"),),
                uses=(Use("cases", Access.READ_WRITE), Use("config", Access.READ)),
            ),
            Function(
                id="audit-seal",
                handler="functions.audit_seal.handler.handler",
                description="Hourly: copies the audit trail's new records to the write-once vault",
                timeout_seconds=120,
                schedules=(ScheduleTrigger("audit-seal-hourly", "rate(1 hour)", "Seal the audit trail"),),
                # Reads the chain and moves its seal pointer; writes new objects to the vault (never reads,
                # lists or deletes them: the API's check reads them).
                uses=(Use("cases", Access.READ_WRITE), Use("audit", Access.WRITE)),
            ),
            Function(
                id="subscriptions",
                handler="functions.subscriptions.handler.handler",
                description="Hourly: checks Meta subscribed apps and X webhook validity; alarms when one lapses",
                timeout_seconds=30,
                schedules=(
                    ScheduleTrigger("subscriptions-hourly", "rate(1 hour)", "Webhook subscription health"),
                ),
                uses=(Use("platform-credentials", Access.READ),),
            ),
        ),
    )


def _service_settings(wiring: Wiring, used: set[str]) -> dict[str, str]:
    """The settings of the services a function uses (e.g. the Bedrock model of generative help)."""
    return {name: value for sv in wiring.services if sv.id in used for name, value in sv.settings}


def environment_for(wiring: Wiring, function: Function, resolve: dict[str, str]) -> dict[str, str]:
    """Environment variables a function receives: one per resource it uses, values from `resolve`
    (resource id -> name/url/arn). Work lanes: the URL every lane's URL starts with (`resolve[WORK_QUEUES]`)
    and the team ids; the lane is `<prefix><team>-p<priority>`."""
    env: dict[str, str] = {}
    used = {u.resource for u in function.uses}
    groups = (
        wiring.tables,
        wiring.queues,
        wiring.buckets,
        wiring.topics,
        wiring.secrets,
        wiring.parameters,
        wiring.senders,
        wiring.user_pools,
        wiring.sites,
        wiring.buses,
    )
    for group in groups:
        for resource in group:
            if resource.id in used and resource.env:
                env[resource.env] = resolve[resource.id]
    for family in wiring.secret_families:
        if family.id in used:
            env[family.env] = resolve[family.id]
            env[family.key_env] = resolve[f"{family.id}:key"]
    for bucket in wiring.buckets:
        if bucket.id in used and bucket.public_url_env:
            env[bucket.public_url_env] = resolve[f"{bucket.id}:url"]
    for sg in wiring.schedule_groups:
        if sg.id in used:
            env[sg.env] = resolve[sg.id]
            env["HEARD_FOLLOWUP_TARGET_ARN"] = resolve[f"{sg.id}:target"]
            env["HEARD_SCHEDULER_ROLE_ARN"] = resolve[f"{sg.id}:role"]
    if any(u.resource == "config" and u.access is Access.READ_WRITE for u in function.uses):
        env["HEARD_COMPREHEND_GRANTED"] = "true" if comprehend_granted(wiring) else "false"
    env.update(_service_settings(wiring, used))
    if WORK_QUEUES in used:
        env["HEARD_WORK_QUEUE_URL_PREFIX"] = resolve[WORK_QUEUES]
        env["HEARD_WORK_TEAMS"] = ",".join(wiring.teams)
    return env
