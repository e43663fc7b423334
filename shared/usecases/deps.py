"""The composition root: the one place that picks an implementation for every port (shared/ports.py).

Adapters are built from settings on first use (nothing touches AWS at import) and kept for the life of
the container. Tests inject fakes by name through `overrides` (or `provide`) before first use.
tests/unit/test_layering.py fails if any other production module imports an adapter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from shared.adapters.accounts_repo import DynamoAccounts, SecretsManagerAccountSecrets
from shared.adapters.alerts import SnsAlerts
from shared.adapters.analytics_store import S3AnalyticsStore
from shared.adapters.archive import S3ArchiveEraser
from shared.adapters.attachment_files import S3AttachmentFiles
from shared.adapters.audit_log import DynamoAuditLog
from shared.adapters.audit_vault import S3AuditVault
from shared.adapters.broadcasts_repo import DynamoBroadcasts
from shared.adapters.cases_repo import DynamoCasesRepository
from shared.adapters.chat_webhook import HttpsChatWebhook, SecretsManagerChatWebhookSecret
from shared.adapters.company_systems import ConfiguredCompanySystems
from shared.adapters.config_store import ConfigStore
from shared.adapters.crises_repo import DynamoCrisesRepository
from shared.adapters.erasures_repo import DynamoErasures
from shared.adapters.escalations_repo import DynamoEscalations
from shared.adapters.event_bus import EventBridgeBus
from shared.adapters.knowledge_repo import DynamoKnowledgeRepository
from shared.adapters.link_keys import SecretLinkKey
from shared.adapters.links_repo import DynamoCustomerLinks
from shared.adapters.notifications_repo import DynamoNotifications
from shared.adapters.notifier import SesSnsNotifier
from shared.adapters.outbox import SqsOutbox
from shared.adapters.presence_repo import DynamoPresence
from shared.adapters.quality_repo import DynamoQualityRepository
from shared.adapters.report_files import S3ReportFiles
from shared.adapters.scheduler import EventBridgeScheduler
from shared.adapters.search_dynamo import DynamoSearchIndex
from shared.adapters.search_sqlite import SqliteSearchIndex
from shared.adapters.secrets import SecretsReader
from shared.adapters.status_pages import S3StatusPages
from shared.adapters.surveys_repo import DynamoSurveyAnswers
from shared.adapters.training_repo import DynamoTrainingRecords
from shared.adapters.user_directory import CognitoUserDirectory
from shared.adapters.views_repo import DynamoSavedViews
from shared.adapters.work_queues import SqsWorkQueues
from shared.adapters.writing_bedrock import BedrockWritingHelp
from shared.adapters.writing_builtin import BuiltinWritingHelp
from shared.ports import (
    Accounts,
    AccountSecrets,
    Alerts,
    AnalyticsStore,
    AnswerIndex,
    ArchiveEraser,
    AttachmentFiles,
    AuditLog,
    AuditVault,
    Broadcasts,
    CasesRepository,
    ChatWebhook,
    ChatWebhookSecret,
    CompanySystems,
    ConfigSource,
    CrisesRepository,
    CustomerLinks,
    Erasures,
    Escalations,
    EventPublisher,
    KnowledgeRepository,
    LinkKeys,
    Notifications,
    Notifier,
    Outbox,
    PastReplyIndex,
    PresenceBoard,
    QualityRepository,
    ReportFiles,
    SavedViews,
    Scheduler,
    SearchIndex,
    StatusPages,
    SurveyAnswers,
    TrainingRecords,
    UserDirectory,
    WorkQueues,
    WritingHelp,
)
from shared.retrieval import PastSuggester, Suggester
from shared.settings import Settings, get_settings

INDEX_EMBED_SECONDS = 5.0

T = TypeVar("T")


@dataclass
class Deps:
    settings: Settings = field(default_factory=get_settings)
    overrides: dict[str, Any] = field(default_factory=dict)  # tests inject fakes by name

    def provide(self, name: str, build: Callable[[], T]) -> T:
        """The adapter called `name`: an injected one (tests), else built once and kept."""
        if name not in self.overrides:
            self.overrides[name] = build()
        return self.overrides[name]  # type: ignore[no-any-return]  # an injected fake honours the port

    @cached_property
    def cases(self) -> CasesRepository:
        return self.provide("cases", lambda: DynamoCasesRepository(self.settings.require("cases_table")))

    @cached_property
    def search(self) -> SearchIndex:
        """DynamoDB in AWS (and in the integration tests); the embedded engine in the local stack."""
        if self.settings.search_engine == "embedded":
            return self.provide("search", lambda: SqliteSearchIndex(self.settings.search_path))
        return self.provide("search", lambda: DynamoSearchIndex(self.settings.require("search_table")))

    @cached_property
    def quality(self) -> QualityRepository:
        return self.provide("quality", lambda: DynamoQualityRepository(self.settings.require("cases_table")))

    @cached_property
    def crises(self) -> CrisesRepository:
        # Same table as the cases; reuse their client (one connection pool per container).
        return self.provide(
            "crises",
            lambda: DynamoCrisesRepository(
                self.settings.require("cases_table"), client=getattr(self.cases, "client", None)
            ),
        )

    @cached_property
    def broadcasts(self) -> Broadcasts:
        return self.provide(
            "broadcasts",
            lambda: DynamoBroadcasts(
                self.settings.require("cases_table"), client=getattr(self.cases, "client", None)
            ),
        )

    @cached_property
    def crisis_updates(self) -> Outbox:
        """The crisis-updates queue: pages of a statement version's delivery for the broadcaster."""
        return self.provide(
            "crisis_updates", lambda: SqsOutbox(self.settings.require("crisis_updates_queue_url"))
        )

    @cached_property
    def status_pages(self) -> StatusPages:
        s = self.settings
        return self.provide(
            "status_pages",
            lambda: S3StatusPages(s.require("status_bucket"), s.require("status_base_url")),
        )

    @cached_property
    def knowledge(self) -> KnowledgeRepository:
        return self.provide(
            "knowledge",
            lambda: DynamoKnowledgeRepository(
                self.settings.require("cases_table"), client=getattr(self.cases, "client", None)
            ),
        )

    @cached_property
    def notifications(self) -> Notifications:
        return self.provide(
            "notifications",
            lambda: DynamoNotifications(
                self.settings.require("cases_table"), client=getattr(self.cases, "client", None)
            ),
        )

    @cached_property
    def links(self) -> CustomerLinks:
        return self.provide(
            "links",
            lambda: DynamoCustomerLinks(
                self.settings.require("cases_table"), client=getattr(self.cases, "client", None)
            ),
        )

    @cached_property
    def presence(self) -> PresenceBoard:
        return self.provide(
            "presence",
            lambda: DynamoPresence(
                self.settings.require("cases_table"), client=getattr(self.cases, "client", None)
            ),
        )

    @cached_property
    def views(self) -> SavedViews:
        return self.provide(
            "views",
            lambda: DynamoSavedViews(
                self.settings.require("cases_table"), client=getattr(self.cases, "client", None)
            ),
        )

    @cached_property
    def surveys(self) -> SurveyAnswers:
        return self.provide(
            "surveys",
            lambda: DynamoSurveyAnswers(
                self.settings.require("cases_table"), client=getattr(self.cases, "client", None)
            ),
        )

    @cached_property
    def answer_index(self) -> AnswerIndex:
        # An index load embeds at most INDEX_EMBED_SECONDS of answers not embedded before (the rest on the
        # next loads, 30 s apart), so a request never waits minutes for a new knowledge base.
        return self.provide("answer_index", lambda: Suggester(budget=INDEX_EMBED_SECONDS))

    @cached_property
    def past_index(self) -> PastReplyIndex:
        return self.provide("past_index", lambda: PastSuggester())

    @cached_property
    def writing(self) -> WritingHelp:
        """Amazon Bedrock and Translate where the stack was deployed with them; else the built-in help."""
        model = self.settings.generative_model
        if model:
            return self.provide(
                "writing", lambda: BedrockWritingHelp(model, company=lambda: self.config.get().company)
            )
        return self.provide("writing", BuiltinWritingHelp)

    @cached_property
    def work(self) -> WorkQueues:
        return self.provide("work", lambda: SqsWorkQueues(self.settings.work_queues))

    @cached_property
    def outbox(self) -> Outbox:
        return self.provide("outbox", lambda: SqsOutbox(self.settings.require("outbox_queue_url")))

    @cached_property
    def alerts(self) -> Alerts:
        return self.provide("alerts", lambda: SnsAlerts(self.settings.require("alerts_topic_arn")))

    @cached_property
    def notifier(self) -> Notifier:
        return self.provide("notifier", lambda: SesSnsNotifier(self.settings.require("notify_email_from")))

    @cached_property
    def scheduler(self) -> Scheduler:
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
    def audit(self) -> AuditLog:
        # Same table as the cases; reuse their client (one connection pool per container).
        return self.provide(
            "audit",
            lambda: DynamoAuditLog(
                self.settings.require("cases_table"), client=getattr(self.cases, "client", None)
            ),
        )

    @cached_property
    def audit_vault(self) -> AuditVault:
        """The write-once copies of the audit trail (functions given HEARD_AUDIT_BUCKET)."""
        return self.provide("audit_vault", lambda: S3AuditVault(self.settings.require("audit_bucket")))

    @cached_property
    def erasures(self) -> Erasures:
        return self.provide(
            "erasures",
            lambda: DynamoErasures(
                self.settings.require("cases_table"), client=getattr(self.cases, "client", None)
            ),
        )

    @cached_property
    def erasure_jobs(self) -> Outbox:
        # The same SQS sender as the outbox, on the erasure queue: the API starts the archive's erasure.
        return self.provide("erasure_jobs", lambda: SqsOutbox(self.settings.require("erasure_queue_url")))

    @cached_property
    def report_requests(self) -> Outbox:
        # The same SQS sender on the report-requests queue: the API queues a report, the reports function makes it.
        return self.provide(
            "report_requests", lambda: SqsOutbox(self.settings.require("report_requests_queue_url"))
        )

    @cached_property
    def archive_eraser(self) -> ArchiveEraser:
        return self.provide("archive_eraser", lambda: S3ArchiveEraser(self.settings.archive_bucket))

    @cached_property
    def config(self) -> ConfigSource:
        return self.provide("config", lambda: ConfigStore(self.settings.config_parameter))

    @cached_property
    def company(self) -> CompanySystems:
        s = self.settings
        return self.provide(
            "company",
            lambda: ConfiguredCompanySystems(self.config, s.company_secret_arn, s.company_api_url),
        )

    @cached_property
    def company_at_intake(self) -> CompanySystems:
        """The company's systems as intake asks them: a short timeout, a breaker that opens at once."""
        from shared.adapters.company_systems import for_intake

        s = self.settings
        return self.provide(
            "company_at_intake", lambda: for_intake(self.config, s.company_secret_arn, s.company_api_url)
        )

    @cached_property
    def events(self) -> EventPublisher:
        return self.provide("events", lambda: EventBridgeBus(self.settings.require("event_bus_name")))

    @cached_property
    def chat_webhook(self) -> ChatWebhook:
        return self.provide("chat_webhook", lambda: HttpsChatWebhook())

    @cached_property
    def chat_secret(self) -> ChatWebhookSecret:
        return self.provide(
            "chat_secret",
            lambda: SecretsManagerChatWebhookSecret(self.settings.require("chat_webhook_secret_arn")),
        )

    @cached_property
    def accounts(self) -> Accounts:
        return self.provide(
            "accounts",
            lambda: DynamoAccounts(self.settings.require("accounts_table")),
        )

    @cached_property
    def account_secrets(self) -> AccountSecrets:
        s = self.settings
        return self.provide(
            "account_secrets",
            lambda: SecretsManagerAccountSecrets(
                s.require("account_secret_prefix"), s.account_secret_key_arn
            ),
        )

    @cached_property
    def training(self) -> TrainingRecords:
        return self.provide(
            "training",
            lambda: DynamoTrainingRecords(
                self.settings.require("cases_table"), client=getattr(self.cases, "client", None)
            ),
        )

    @cached_property
    def escalations(self) -> Escalations:
        return self.provide(
            "escalations",
            lambda: DynamoEscalations(
                self.settings.require("cases_table"), client=getattr(self.cases, "client", None)
            ),
        )

    @cached_property
    def link_keys(self) -> LinkKeys:
        s = self.settings
        return self.provide("link_keys", lambda: SecretLinkKey(s.require("link_secret_arn"), SecretsReader()))

    @cached_property
    def users(self) -> UserDirectory:
        return self.provide("users", lambda: CognitoUserDirectory(self.settings.require("user_pool_id")))

    @cached_property
    def attachment_files(self) -> AttachmentFiles:
        return self.provide(
            "attachment_files", lambda: S3AttachmentFiles(self.settings.require("attachments_bucket"))
        )

    @cached_property
    def report_files(self) -> ReportFiles:
        return self.provide(
            "report_files",
            lambda: S3ReportFiles(self.settings.require("reports_bucket"), link_base=self.settings.files_url),
        )

    @cached_property
    def analytics(self) -> AnalyticsStore:
        return self.provide("analytics", lambda: S3AnalyticsStore(self.settings.require("analytics_bucket")))


_default: dict[int, Deps] = {}


def default_deps() -> Deps:
    """One container per Lambda execution environment (reused across invocations); one per function's
    environment where several functions share a process (local runner, tests)."""
    settings = get_settings()
    deps = _default.get(id(settings))
    if deps is None or deps.settings is not settings:
        deps = _default[id(settings)] = Deps(settings=settings)
    return deps


def reset_default_deps() -> None:
    _default.clear()


def replay_adapters(archive_bucket: str | None, ingest_queue_url: str | None) -> tuple[Any, Any]:
    """The raw archive and the ingest queue, for the replay paths outside a function (`heard replay`, the
    local stack's restore at start). Imported lazily: only those paths pay for them."""
    from shared.adapters.archive import S3Archive
    from shared.adapters.ingest_queue import IngestQueue

    return S3Archive(archive_bucket), IngestQueue(ingest_queue_url)


def archive_key_time(key: str) -> Any:
    """When the delivery stored under raw-archive `key` was received (the archive's key layout)."""
    from shared.adapters.archive import key_time

    return key_time(key)
