"""The ports: what the use cases need from the outside world, as Protocols.

Use cases speak only these (and the domain types in shared/models/); the adapters in shared/adapters/
implement them for AWS, the in-memory fakes in tests/unit/fakes.py implement them for unit tests, and the
composition root (shared/usecases/deps.py) is the one place that picks an implementation. Every adapter
translates its AWS errors into the domain errors of shared/errors.py (NotFound, Conflict, Unavailable,
InvalidInput) or the records' own (Duplicate), so no use case sees botocore.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from shared.models.account import ConnectedAccount
from shared.models.audit import AuditRecord, AuditSeal, SealPointer
from shared.models.broadcast import BroadcastProgress, Failure
from shared.models.case import Case, CaseStatus, TimelineEntry
from shared.models.company import LookupKind, LookupResult
from shared.models.config import HeardConfig
from shared.models.crisis import Availability, Crisis, SpikeSuggestion
from shared.models.customer import ContactDetails, Identity, IdentityLink, LinkHow
from shared.models.erasure import Erased, Erasure
from shared.models.escalation import EscalationRecord
from shared.models.events import HeardEvent
from shared.models.knowledge import (
    AnswerState,
    AnswerVersion,
    KnowledgeAnswer,
    MacroScope,
    PastReply,
    SavedReply,
    UnansweredQuestion,
)
from shared.models.notification import Notification
from shared.models.presence import Presence
from shared.models.records import (
    CustomerPointer,
    MessagePointer,
    PendingApproval,
    PoolItem,
    PrivateHandover,
    SendLease,
    SideWrite,
    WorkItem,
)
from shared.models.search import SavedView, SearchDoc, SearchPage, SearchQuery
from shared.models.survey import SurveyAnswer
from shared.models.training import ProcedureChange
from shared.models.users import UserAccount
from shared.models.writing import Draft, GroundingAnswer

if TYPE_CHECKING:
    from shared.retrieval import Hit


class CasesRepository(Protocol):
    """Cases, their timelines, the pointers that thread messages to them, and the reports index."""

    def get(self, case_id: str) -> Case: ...  # NotFound
    def get_with_timeline(self, case_id: str) -> tuple[Case, list[TimelineEntry]]: ...  # NotFound
    def customer(self, customer_key: str) -> CustomerPointer | None: ...
    def expect_private(self, handover: PrivateHandover) -> None: ...  # the identity's next DM -> its case
    def private_handover(self, customer_key: str) -> PrivateHandover | None: ...  # unexpired only
    def contact_details(self, customer_key: str) -> ContactDetails | None: ...
    def save_contact_details(self, customer_key: str, details: ContactDetails) -> None: ...
    def customer_cases(self, customer_key: str, limit: int) -> list[Case]: ...  # newest first
    def message(self, message_key: str) -> MessagePointer | None: ...
    def open_case(self, case: Case, entries: list[TimelineEntry], message_key: str | None) -> None: ...
    def add_message(
        self, case: Case, expected_version: int, entries: list[TimelineEntry], message_key: str | None
    ) -> None: ...  # Duplicate when the message was seen; Conflict when the case changed
    def save(
        self,
        case: Case,
        expected_version: int,
        entries: list[TimelineEntry] | None = None,
        also: Sequence[SideWrite] = (),
    ) -> None: ...  # Conflict when the case (or a side write's condition) changed meanwhile
    def append(self, entry: TimelineEntry) -> None: ...
    def remember_message(self, message_key: str, case_id: str, entry_sk: str | None) -> None: ...
    def first_time(self, dedupe_key: str, now: datetime) -> bool: ...
    def entry_exists(self, case_id: str, entry_sk: str) -> bool: ...
    def transition_entry(
        self, case_id: str, entry_sk: str, field: str, allowed: tuple[str, ...], to: str
    ) -> bool: ...
    def take_send_lease(self, case_id: str, entry_sk: str, until: datetime) -> SendLease: ...
    def update_entry(self, case_id: str, entry_sk: str, data: dict[str, Any]) -> None: ...  # NotFound
    def erase_entry_text(self, case_id: str, entry_sk: str) -> None: ...  # text and edits gone; NotFound
    def list_by_status(
        self, status: CaseStatus, limit: int, cursor: str | None
    ) -> tuple[list[Case], str | None]: ...
    def list_by_owner(self, owner: str, status: CaseStatus | None, limit: int) -> list[Case]: ...
    def count_open_by_owner(self, owner: str) -> int: ...
    def due_for_reply(self, before: datetime, limit: int) -> list[Case]: ...
    def opened_between(self, start: datetime, end: datetime) -> list[Case]: ...
    def put_report(self, report: dict[str, Any], *, new: bool = False) -> None: ...  # Conflict when new
    def list_reports(self, limit: int = 50) -> list[dict[str, Any]]: ...
    def get_report(self, report_id: str) -> dict[str, Any]: ...  # NotFound
    # Erasure on request (docs/privacy.md)
    def customer_case_ids(self, customer_key: str) -> list[str]: ...  # every case, oldest first
    def erase_case(
        self, case: Case, expected_version: int, entries: list[TimelineEntry]
    ) -> None: ...  # Conflict
    def forget_customer(self, customer_key: str) -> int: ...
    def forget_messages(self, message_keys: Sequence[str]) -> int: ...
    # Retention (shared/usecases/retention.py)
    def delete_case(self, case: Case, message_keys: Sequence[str]) -> None: ...
    def retention_cursor(self) -> date | None: ...  # the first opening day not yet swept clean
    def set_retention_cursor(self, day: date) -> None: ...


class QualityRepository(Protocol):
    """Trainees' replies awaiting approval, the blind review pool, and who has read which case."""

    def pending_approvals(self, limit: int) -> list[PendingApproval]: ...
    def pool_page(self, after: str | None, limit: int) -> tuple[list[PoolItem], str | None]: ...
    def pool_item(self, review_id: str) -> PoolItem | None: ...
    def claim(self, review_id: str, reviewer: str, now: datetime, stale_before: datetime) -> bool: ...
    def record_view(self, case_id: str, reader: str, now: datetime) -> None: ...
    def has_read(self, case_id: str, reader: str) -> bool: ...
    def forget_cases(self, case_ids: Sequence[str]) -> int: ...  # approvals and pool items deleted


class CrisesRepository(Protocol):
    """Crises, spike counters and suggestions, and agents' availability."""

    def create_crisis(self, crisis: Crisis) -> None: ...
    def save_crisis(self, crisis: Crisis, expected_version: int) -> None: ...  # Conflict
    def active_crises(self) -> list[Crisis]: ...
    def get_crisis(self, crisis_id: str) -> Crisis: ...  # NotFound
    def list_crises(self, limit: int = 50) -> list[Crisis]: ...
    def count(self, bucket: datetime, series: Iterable[str], now: datetime) -> None: ...  # Unavailable
    def counts(self, buckets: list[datetime]) -> dict[datetime, dict[str, int]]: ...
    def add_suggestion(self, suggestion: SpikeSuggestion) -> bool: ...
    def list_suggestions(self, limit: int = 50) -> list[SpikeSuggestion]: ...
    def availability(self, email: str) -> Availability | None: ...
    def set_availability(self, availability: Availability) -> None: ...


class Broadcasts(Protocol):
    """Crisis updates to everyone affected: the crisis's cases, each version's progress and failures."""

    def add_member(self, crisis_id: str, case_id: str, platform: str) -> None: ...
    def members(self, crisis_id: str, after: str | None, limit: int) -> tuple[list[str], bool]: ...
    def record_update(self, entry: TimelineEntry, crisis_id: str, version: int) -> bool: ...
    def start(self, progress: BroadcastProgress) -> bool: ...  # False when already started
    def count(self, crisis_id: str, version: int, what: str, platform: str | None = None) -> None: ...
    def mark(
        self, crisis_id: str, version: int, *, done_at: str | None = None, superseded: bool = False
    ) -> None: ...
    def add_failure(self, crisis_id: str, version: int, failure: Failure) -> None: ...
    def progress(self, crisis_id: str) -> list[BroadcastProgress]: ...  # newest version first


class StatusPages(Protocol):
    """The public status page of each crisis (issue 17): where it is, and replacing it."""

    def url(self, crisis_id: str) -> str: ...
    def publish(self, crisis_id: str, html: str) -> None: ...  # Unavailable


class WorkQueues(Protocol):
    """Each team's priority lanes of cases waiting to be claimed."""

    @property
    def teams(self) -> list[str]: ...
    def enqueue(self, team: str, priority: int, case_id: str) -> None: ...
    def receive_next(self, team: str) -> WorkItem | None: ...
    def done(self, item: WorkItem) -> None: ...
    def release(self, item: WorkItem) -> None: ...
    def depths(self, team: str) -> dict[str, int]: ...


class Outbox(Protocol):
    """Replies waiting for the dispatcher."""

    def put(self, message_json: str, delay_seconds: int = 0) -> None: ...  # Unavailable


class Alerts(Protocol):
    """Messages to people (crisis contacts, supervisors)."""

    def notify(self, subject: str, detail: dict[str, Any], kind: str) -> None: ...


class Scheduler(Protocol):
    """One-time schedules (follow-ups); scheduling the same name twice is a no-op."""

    def schedule_once(self, name: str, at: datetime, payload: dict[str, Any]) -> None: ...


class ConfigSource(Protocol):
    """The company's configuration: the last good one, and replacing it."""

    def get(self) -> HeardConfig: ...
    def refresh(self) -> HeardConfig: ...  # read it again now, whatever the cache says
    def put(self, config: HeardConfig) -> HeardConfig: ...  # its next revision stored; Conflict when stale


class ReportFiles(Protocol):
    """Where generated report files live and how they are downloaded."""

    def put(self, key: str, body: bytes, content_type: str) -> None: ...  # Unavailable
    def download_url(self, key: str, filename: str, expires_seconds: int) -> str: ...


class AttachmentFiles(Protocol):
    """Customers' media copied from the platforms and agents' images (issue #16), behind short-lived links."""

    def upload_form(
        self, key: str, content_type: str, max_bytes: int, expires_seconds: int
    ) -> tuple[str, dict[str, str]]: ...  # (url, fields) of a presigned POST
    def download_url(self, key: str, expires_seconds: int) -> str: ...
    def describe(self, key: str) -> tuple[int, str]: ...  # (size, content type); NotFound
    def put(self, key: str, body: bytes, content_type: str) -> None: ...  # Unavailable
    def read(self, key: str) -> bytes: ...  # NotFound, Unavailable
    def erase_case(self, case_id: str) -> int: ...  # every file of the case, every version; how many


class AnalyticsStore(Protocol):
    """The analytics records: Parquet files per dataset and day (docs/analytics.md)."""

    def put(self, dataset: str, day: str, name: str, body: bytes) -> None: ...  # Unavailable
    def fetch(self, dataset: str, days: list[str], into: Path) -> list[Path]: ...  # Unavailable
    # Compaction (shared/usecases/analytics.py): a day's files by name with their version tag (ETag),
    # some of them fetched, one replaced only if it is still the version read, the others deleted.
    def files(self, dataset: str, day: str) -> dict[str, str]: ...  # Unavailable
    def files_by_day(self, dataset: str, days: Sequence[str]) -> dict[str, dict[str, str]]: ...  # one listing
    def download(self, dataset: str, day: str, names: Sequence[str], into: Path) -> list[Path]: ...
    def replace(
        self, dataset: str, day: str, name: str, body: bytes, *, expected: str | None
    ) -> None: ...  # Conflict when the file is no longer `expected` (None: when it exists)
    def delete(self, dataset: str, day: str, names: Sequence[str]) -> None: ...  # Unavailable


class KnowledgeRepository(Protocol):
    """The knowledge base's answers with their versions, and saved replies (docs/data-model.md)."""

    def create(self, answer: KnowledgeAnswer, version: AnswerVersion) -> None: ...  # Conflict
    def save(
        self, answer: KnowledgeAnswer, before: KnowledgeAnswer, version: AnswerVersion | None
    ) -> None: ...  # Conflict when the stored answer is no longer `before`
    def get(self, answer_id: str) -> KnowledgeAnswer: ...  # NotFound
    def by_state(self, state: AnswerState, limit: int | None) -> list[KnowledgeAnswer]: ...
    def automatic(self) -> list[KnowledgeAnswer]: ...
    def history(self, answer_id: str) -> list[AnswerVersion]: ...
    def generation(self) -> str: ...
    def store_vectors(self, answer: KnowledgeAnswer, vectors: str) -> bool: ...  # False: it changed meanwhile
    def put_macro(self, macro: SavedReply) -> None: ...
    def delete_macro(self, scope: MacroScope, owner: str, macro_id: str) -> None: ...  # NotFound
    def macros(self, scope: MacroScope, owner: str) -> list[SavedReply]: ...
    def record_unanswered(self, question: UnansweredQuestion) -> None: ...  # once per case and day
    def unanswered(self, day: date, limit: int) -> list[UnansweredQuestion]: ...  # newest first
    def forget_unanswered(self, case_ids: Sequence[str], since: date) -> int: ...  # deleted, since that day
    def record_past_reply(self, past: PastReply) -> None: ...  # one per case and month resolved
    def past_replies(self, limit: int) -> list[PastReply]: ...  # the most recently resolved first
    def forget_past_replies(self, case_ids: Sequence[str]) -> int: ...  # erasure: how many were deleted


class AnswerIndex(Protocol):
    """Ranks approved answers for a question (the built-in one is shared/retrieval.Suggester)."""

    @property
    def generation(self) -> str | None: ...
    def load(self, answers: Sequence[KnowledgeAnswer], generation: str | None) -> None: ...
    def fresh_vectors(self) -> list[tuple[KnowledgeAnswer, str]]: ...  # embedded by the last load, packed
    def rank(self, question: str, k: int) -> list[Hit]: ...


class PastReplyIndex(Protocol):
    """Ranks recently resolved cases by how alike their question is (built-in: retrieval.PastSuggester)."""

    @property
    def loaded_at(self) -> float | None: ...
    def load(self, pasts: Sequence[PastReply], loaded_at: float) -> None: ...
    def rank(self, question: str, k: int) -> list[Hit]: ...  # Hit.answer_id is the past case's id


class AuditLog(Protocol):
    """The audit trail's hash chain (shared/models/audit.py): its head, appending after it, one day's records."""

    def head(self) -> tuple[int, str]: ...  # (last seq, its hash); (0, GENESIS) when empty; Unavailable
    def append(self, record: AuditRecord, expected_seq: int, keep_days: int) -> None: ...  # Conflict
    def day(self, day: date) -> list[AuditRecord]: ...  # that day's records, in seq order
    def sealed(self) -> SealPointer: ...  # how far the chain has been copied to the vault
    def advance_seal(self, to: SealPointer, expected_seq: int) -> None: ...  # Conflict if it moved meanwhile


class AuditVault(Protocol):
    """Write-once copies of runs of the audit chain (S3 Object Lock, compliance mode)."""

    def put(self, seal: AuditSeal) -> None: ...  # never replaces a seal; Unavailable
    def seals(self, day: date) -> list[AuditSeal]: ...  # that day's seals, in seq order


class Notifications(Protocol):
    """Each agent's notifications, newest first; read ones stay until they expire."""

    def add(self, notification: Notification) -> None: ...  # Unavailable
    def recent(self, recipient: str, limit: int) -> list[Notification]: ...
    def mark_read(self, recipient: str, notification_ids: Sequence[str], at: datetime) -> int: ...
    def rewrite_for_cases(self, recipient: str, case_ids: Sequence[str], text: str) -> int: ...


class SearchIndex(Protocol):
    """Finding cases by words and filters (docs/decisions.md, 2026-12-03: the engine and its AWS design)."""

    def put(self, doc: SearchDoc) -> None: ...  # replaces the case's document unless a newer one is there
    def remove(self, case_id: str) -> None: ...  # a case that no longer exists
    def search(self, query: SearchQuery, now: datetime) -> SearchPage: ...


class SavedViews(Protocol):
    """Each agent's saved searches."""

    def put_view(self, view: SavedView) -> None: ...  # Unavailable
    def views(self, owner: str, limit: int) -> list[SavedView]: ...  # oldest first
    def delete_view(self, owner: str, view_id: str) -> None: ...  # NotFound


class Accounts(Protocol):
    """Connected accounts (issue #16): records only, never credentials."""

    def get(self, account_id: str) -> ConnectedAccount: ...  # NotFound
    def list(self) -> list[ConnectedAccount]: ...
    def add(self, account: ConnectedAccount) -> None: ...  # Conflict when the id exists
    def remove(self, account_id: str) -> None: ...


class AccountSecrets(Protocol):
    """Each connected account's credentials, one secret per account."""

    def put(self, account_id: str, values: dict[str, str]) -> None: ...
    def get(self, account_id: str) -> dict[str, Any]: ...  # NotFound
    def delete(self, account_id: str) -> None: ...


class SurveyAnswers(Protocol):
    """Answered satisfaction surveys (R21): one per case, listed by when the survey was scheduled."""

    def record(self, answer: SurveyAnswer) -> None: ...  # replaces; Unavailable
    def between(self, start: datetime, end: datetime) -> list[SurveyAnswer]: ...


class Erasures(Protocol):
    """Erasure records (ids and counts, never the person) and the worker's progress on the raw archive."""

    def put(self, erasure: Erasure, archive_chunks: int) -> None: ...  # Unavailable
    def set_counts(self, erasure_id: str, erased: Erased) -> None: ...
    def get(self, erasure_id: str) -> Erasure: ...  # NotFound
    def recent(self, limit: int) -> list[Erasure]: ...
    def archive_chunk_done(self, erasure_id: str, chunk: int, versions: int, at: datetime) -> None: ...


class ArchiveEraser(Protocol):
    """Deletes a raw delivery for good (every version); only the erasure worker holds one."""

    def erase(self, key: str) -> int: ...  # versions deleted; Unavailable


class Notifier(Protocol):
    """Email and SMS to one person (SES and SNS in AWS, moto's locally)."""

    # Unavailable; `attachment`: (file name, bytes, content type), e.g. a scheduled report's HTML page
    def email(
        self, to: str, subject: str, text: str, attachment: tuple[str, bytes, str] | None = None
    ) -> None: ...
    def sms(self, to: str, text: str) -> None: ...  # Unavailable; `to` in E.164


class CustomerLinks(Protocol):
    """Which identities (platform, author id) are one customer, and the keys they gave (R19)."""

    def remember_key(self, key: str, identity: Identity) -> None: ...
    def holders(self, key: str, limit: int) -> list[Identity]: ...
    def link(
        self, a: Identity, b: Identity, how: LinkHow, key: str | None, by: str, at: datetime
    ) -> bool: ...  # False when an automatic link existed already (even undone)
    def links(self, customer_key: str) -> list[IdentityLink]: ...
    def undo(self, a_key: str, b_key: str, by: str, at: datetime) -> None: ...  # NotFound
    def forget(self, customer_key: str, keys: Sequence[str]) -> int: ...  # erasure: items deleted


class PresenceBoard(Protocol):
    """Who has a case open and who is typing in it (heartbeats; silent ones fade)."""

    def touch(self, presence: Presence) -> None: ...  # Unavailable
    def present(self, case_id: str, now: datetime) -> list[Presence]: ...  # the recent ones


class UserDirectory(Protocol):
    """The user pool's accounts, managed by admins: invite, role (one group), disable and enable."""

    def users(self) -> list[UserAccount]: ...
    def user(self, email: str) -> UserAccount: ...  # NotFound
    def invite(self, email: str, role: str) -> UserAccount: ...  # Conflict when the account exists
    def set_role(self, email: str, role: str) -> None: ...  # NotFound
    def set_enabled(self, email: str, enabled: bool) -> None: ...  # NotFound


class Escalations(Protocol):
    """Escalations to directory contacts until they answer (issue #12)."""

    def add(self, record: EscalationRecord) -> None: ...  # Unavailable
    def get(self, escalation_id: str) -> EscalationRecord: ...  # NotFound
    def due(self, before: datetime, limit: int) -> list[EscalationRecord]: ...  # reminders/hand-overs due
    def advance(self, before: EscalationRecord, after: EscalationRecord) -> None: ...  # Conflict if moved


class LinkKeys(Protocol):
    """The secret key that signs escalation links."""

    def key(self) -> bytes: ...  # ConfigurationError when there is none


class TrainingRecords(Protocol):
    """The procedure change in force and who has passed its check (R26)."""

    def current(self) -> ProcedureChange | None: ...
    def publish(self, change: ProcedureChange) -> None: ...  # Conflict when that version exists
    def passed(self, email: str, version: int) -> bool: ...
    def record_pass(self, email: str, version: int, at: datetime) -> None: ...
    def passes(self, version: int) -> dict[str, datetime]: ...  # who passed, when


class CompanySystems(Protocol):
    """The company's own systems (issue #17): a customer or an order by order number, email or phone.
    Unavailable when none is configured, it is slow, failing, answers nonsense, or its breaker is open."""

    @property
    def source(self) -> str: ...  # "https", "lambda" or "" when none is configured
    def lookup(self, kind: LookupKind, value: str) -> LookupResult: ...


class EventPublisher(Protocol):
    """Heard's event bus (issue #17): case and crisis lifecycle events for the company's own tools.
    Unavailable when some could not be published (the caller retries the batch; ids are stable)."""

    def publish(self, events: Sequence[HeardEvent]) -> int: ...  # how many were published


class ChatWebhook(Protocol):
    """A Slack or Teams incoming webhook (issue #17): posts one JSON message to the URL.
    Unavailable when it is slow, refuses the message (non-2xx) or failed several times in a row."""

    def post(self, url: str, payload: dict[str, Any]) -> int: ...  # the HTTP status it answered


class ChatWebhookSecret(Protocol):
    """Where the chat webhook's URL is kept (a secret: its path is the credential)."""

    def url(self) -> str | None: ...  # None when no admin has set one; ConfigurationError if unreadable
    def set_url(self, url: str) -> None: ...  # Unavailable when the secret cannot be written


class WritingHelp(Protocol):
    """Help writing a reply (issue #11): a draft grounded in approved answers, a case's summary, a
    translation. Built in and offline by default; Amazon Bedrock and Amazon Translate when deployed with
    `generativeHelp`. Nothing here sends anything: the agent edits and sends the draft.
    Unavailable when the service failed for now; ConfigurationError when the deployment is wrong."""

    @property
    def backend(self) -> str: ...  # "builtin" or "bedrock"
    @property
    def model(self) -> str | None: ...  # the model id, None for the built-in one
    @property
    def translates(self) -> bool: ...  # False: translate() raises Conflict (not available offline)
    def draft(
        self, case: Case, timeline: Sequence[TimelineEntry], answers: Sequence[GroundingAnswer]
    ) -> Draft: ...  # Conflict when no approved answer fits and the backend cannot draft without one
    def summarise(self, case: Case, timeline: Sequence[TimelineEntry]) -> str: ...
    def translate(self, text: str, source: str, target: str) -> str: ...  # InvalidInput: unsupported pair
