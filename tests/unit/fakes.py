"""In-memory implementations of every port (shared/ports.py), for use-case unit tests.

They keep the contracts the use cases rely on: a save is atomic and versioned (Conflict when the case
changed or a side write's condition fails), a reply's delivery moves conditionally, pointers and reports
are stored, and every outside effect (queued replies, alerts, schedules, report files) is recorded for the
test to read. `deps()` wires them into a `Deps` with the bundled configuration.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from shared import clock
from shared.adapters.search_sqlite import SqliteSearchIndex
from shared.adapters.writing_builtin import BuiltinWritingHelp
from shared.errors import ChangedMeanwhile, Conflict, NotFound, Unavailable
from shared.models.account import ConnectedAccount
from shared.models.audit import GENESIS, AuditRecord, AuditSeal, SealPointer
from shared.models.case import Case, CaseStatus, TimelineEntry
from shared.models.company import LookupKind, LookupResult
from shared.models.config import HeardConfig, next_revision, parse_config
from shared.models.crisis import Availability, Crisis, SpikeSuggestion
from shared.models.customer import ContactDetails, Identity, IdentityLink, LinkHow
from shared.models.erasure import ArchiveState, Erased, Erasure
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
from shared.models.presence import PRESENCE_SECONDS, Presence
from shared.models.records import (
    ApprovalDecided,
    ApprovalRequested,
    CustomerPointer,
    DeliveryMoved,
    Duplicate,
    MessagePointer,
    PendingApproval,
    PoolItem,
    PrivateHandover,
    ReviewPooled,
    ReviewTaken,
    SendLease,
    SideWrite,
    WorkItem,
    entry_key,
)
from shared.models.search import SavedView
from shared.models.survey import SurveyAnswer
from shared.models.training import ProcedureChange
from shared.models.users import UserAccount
from shared.retrieval import PastSuggester, Suggester
from shared.settings import Settings
from shared.usecases.deps import Deps

BUNDLED = Path(__file__).resolve().parents[2] / "config" / "heard.json"


def bundled_config() -> HeardConfig:
    return parse_config(BUNDLED.read_text())


@dataclass
class MemoryQuality:
    approvals: dict[tuple[datetime, str, str], PendingApproval] = field(default_factory=dict)
    pool: dict[str, PoolItem] = field(default_factory=dict)
    views: set[tuple[str, str]] = field(default_factory=set)

    def pending_approvals(self, limit: int) -> list[PendingApproval]:
        return [self.approvals[k] for k in sorted(self.approvals)][:limit]

    def forget_cases(self, case_ids: Sequence[str]) -> int:
        approvals = [k for k, a in self.approvals.items() if a.case_id in case_ids]
        pool = [k for k, p in self.pool.items() if p.case_id in case_ids]
        for k in approvals:
            del self.approvals[k]
        for r in pool:
            del self.pool[r]
        return len(approvals) + len(pool)

    def pool_page(self, after: str | None, limit: int) -> tuple[list[PoolItem], str | None]:
        ids = [i for i in sorted(self.pool) if after is None or i > after]
        page = ids[:limit]
        return [self.pool[i] for i in page], (page[-1] if len(ids) > limit else None)

    def pool_item(self, review_id: str) -> PoolItem | None:
        return self.pool.get(review_id)

    def claim(self, review_id: str, reviewer: str, now: datetime, stale_before: datetime) -> bool:
        item = self.pool.get(review_id)
        if item is None:
            return False
        free = item.claimed_by in (None, reviewer) or (
            item.claimed_at is not None and item.claimed_at < stale_before
        )
        if not free:
            return False
        self.pool[review_id] = replace(item, claimed_by=reviewer, claimed_at=now)
        return True

    def record_view(self, case_id: str, reader: str, now: datetime) -> None:
        self.views.add((case_id, reader))

    def has_read(self, case_id: str, reader: str) -> bool:
        return (case_id, reader) in self.views


@dataclass
class MemoryCases:
    quality: MemoryQuality = field(default_factory=MemoryQuality)
    cases: dict[str, Case] = field(default_factory=dict)
    entries: dict[str, dict[str, TimelineEntry]] = field(default_factory=dict)  # case -> key -> entry
    customers: dict[str, CustomerPointer] = field(default_factory=dict)
    handovers: dict[str, PrivateHandover] = field(default_factory=dict)
    contacts: dict[str, ContactDetails] = field(default_factory=dict)
    messages: dict[str, MessagePointer] = field(default_factory=dict)
    dedupe: set[str] = field(default_factory=set)
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)

    # -- reading --

    def get(self, case_id: str) -> Case:
        if case_id not in self.cases:
            raise NotFound(f"case {case_id} not found")
        return self.cases[case_id]

    def customer_case_ids(self, customer_key: str) -> list[str]:
        mine = [c for c in self.cases.values() if c.customer_key == customer_key]
        return [c.case_id for c in sorted(mine, key=lambda c: (c.opened_at, c.case_id))]

    def erase_case(self, case: Case, expected_version: int, entries: list[TimelineEntry]) -> None:
        self._check_version(case.case_id, expected_version)
        self.cases[case.case_id] = case
        for e in entries:
            self.entries.setdefault(case.case_id, {})[entry_key(e)] = e

    def delete_case(self, case: Case, message_keys: Sequence[str]) -> None:
        self.cases.pop(case.case_id, None)
        self.entries.pop(case.case_id, None)
        for k in message_keys:
            self.messages.pop(k, None)
        pointer = self.customers.get(case.customer_key)
        if pointer and pointer.case_id == case.case_id:
            del self.customers[case.customer_key]

    def retention_cursor(self) -> date | None:
        return getattr(self, "_cursor", None)

    def set_retention_cursor(self, day: date) -> None:
        self._cursor = day

    def forget_customer(self, customer_key: str) -> int:
        self.contacts.pop(customer_key, None)
        return 1 if self.customers.pop(customer_key, None) else 0

    def forget_messages(self, message_keys: Sequence[str]) -> int:
        return sum(1 for k in set(message_keys) if self.messages.pop(k, None))

    def customer_cases(self, customer_key: str, limit: int) -> list[Case]:
        mine = [c for c in self.cases.values() if c.customer_key == customer_key]
        return sorted(mine, key=lambda c: (c.opened_at, c.case_id), reverse=True)[:limit]

    def get_with_timeline(self, case_id: str) -> tuple[Case, list[TimelineEntry]]:
        case = self.get(case_id)
        timeline = self.entries.get(case_id, {})
        return case, [timeline[k] for k in sorted(timeline)]

    def timeline(self, case_id: str) -> list[TimelineEntry]:
        return self.get_with_timeline(case_id)[1]

    def customer(self, customer_key: str) -> CustomerPointer | None:
        return self.customers.get(customer_key)

    def message(self, message_key: str) -> MessagePointer | None:
        return self.messages.get(message_key)

    def expect_private(self, handover: PrivateHandover) -> None:
        self.handovers[handover.customer_key] = handover

    def contact_details(self, customer_key: str) -> ContactDetails | None:
        return self.contacts.get(customer_key)

    def save_contact_details(self, customer_key: str, details: ContactDetails) -> None:
        self.contacts[customer_key] = details

    def private_handover(self, customer_key: str) -> PrivateHandover | None:
        found = self.handovers.get(customer_key)
        return found if found and found.until >= clock.now() else None

    # -- writing --

    def _store(self, case: Case, entries: Iterable[TimelineEntry]) -> None:
        self.cases[case.case_id] = case
        for e in entries:
            self.entries.setdefault(case.case_id, {})[entry_key(e)] = e
        self.customers[case.customer_key] = CustomerPointer(
            case.case_id, case.owner, case.status, case.resolved_at
        )

    def open_case(self, case: Case, entries: list[TimelineEntry], message_key: str | None) -> None:
        if message_key and message_key in self.messages:
            raise Duplicate()
        if case.case_id in self.cases:
            raise ChangedMeanwhile("the case changed meanwhile; try again")
        if message_key:
            self.messages[message_key] = MessagePointer(case.case_id, entry_key(entries[0]))
        self._store(case, entries)

    def add_message(
        self, case: Case, expected_version: int, entries: list[TimelineEntry], message_key: str | None
    ) -> None:
        if message_key and message_key in self.messages:
            raise Duplicate()
        self._check_version(case.case_id, expected_version)
        if message_key:
            self.messages[message_key] = MessagePointer(case.case_id, entry_key(entries[0]))
        self._store(case, entries)

    def _check_version(self, case_id: str, expected_version: int) -> None:
        if self.get(case_id).version != expected_version:
            raise ChangedMeanwhile("the case changed meanwhile; try again")

    def save(
        self,
        case: Case,
        expected_version: int,
        entries: list[TimelineEntry] | None = None,
        also: Sequence[SideWrite] = (),
    ) -> None:
        self._check_version(case.case_id, expected_version)
        for write in also:  # every condition holds before anything is written (one transaction)
            self._check(write)
        self._store(case, entries or [])
        for write in also:
            self._apply(write)

    def _check(self, write: SideWrite) -> None:
        match write:
            case ApprovalDecided(at=at, case_id=case_id, reply_id=reply_id):
                if (at, case_id, reply_id) not in self.quality.approvals:
                    raise ChangedMeanwhile("the case changed meanwhile; try again")
            case DeliveryMoved(case_id=case_id, entry_sk=sk, expected=expected):
                entry = self.entries.get(case_id, {}).get(sk)
                if entry is None or entry.data.get("delivery") != expected:
                    raise ChangedMeanwhile("the case changed meanwhile; try again")
            case ReviewTaken(review_id=review_id, claimed_by=claimed_by):
                item = self.quality.pool.get(review_id)
                if item is None or item.claimed_by != claimed_by:
                    raise ChangedMeanwhile("the case changed meanwhile; try again")

    def _apply(self, write: SideWrite) -> None:
        match write:
            case ApprovalRequested(pending=p):
                self.quality.approvals[(p.at, p.case_id, p.reply_id)] = p
            case ApprovalDecided(at=at, case_id=case_id, reply_id=reply_id):
                del self.quality.approvals[(at, case_id, reply_id)]
            case DeliveryMoved(case_id=case_id, entry_sk=sk, to=to, extra=extra):
                self._merge(case_id, sk, {"delivery": to, **extra})
            case ReviewPooled(item=item):
                self.quality.pool[item.review_id] = item
            case ReviewTaken(review_id=review_id):
                del self.quality.pool[review_id]

    def erase_entry_text(self, case_id: str, entry_sk: str) -> None:
        entry = self.entry(case_id, entry_sk)
        if entry is None:
            raise NotFound(f"timeline entry {entry_sk} of case {case_id} not found")
        data = {k: v for k, v in entry.data.items() if k != "edited_text"}
        self.entries[case_id][entry_sk] = entry.model_copy(update={"text": "", "data": data})

    def _merge(self, case_id: str, sk: str, data: dict[str, Any]) -> None:
        entry = self.entries[case_id][sk]
        self.entries[case_id][sk] = entry.model_copy(update={"data": {**entry.data, **data}})

    def append(self, entry: TimelineEntry) -> None:
        self.entries.setdefault(entry.case_id, {})[entry_key(entry)] = entry

    def remember_message(self, message_key: str, case_id: str, entry_sk: str | None) -> None:
        self.messages[message_key] = MessagePointer(case_id, entry_sk)

    def first_time(self, dedupe_key: str, now: datetime) -> bool:
        if dedupe_key in self.dedupe:
            return False
        self.dedupe.add(dedupe_key)
        return True

    def entry(self, case_id: str, entry_sk: str) -> TimelineEntry | None:
        return self.entries.get(case_id, {}).get(entry_sk)

    def entry_exists(self, case_id: str, entry_sk: str) -> bool:
        return self.entry(case_id, entry_sk) is not None

    def transition_entry(
        self, case_id: str, entry_sk: str, field: str, allowed: tuple[str, ...], to: str
    ) -> bool:
        entry = self.entry(case_id, entry_sk)
        if entry is None or entry.data.get(field) not in allowed:
            return False
        self._merge(case_id, entry_sk, {field: to})
        return True

    def take_send_lease(self, case_id: str, entry_sk: str, until: datetime) -> SendLease:
        entry = self.entry(case_id, entry_sk)
        if entry is None:
            return SendLease(taken=False)
        state = entry.data.get("delivery")
        if state in ("queued", "retrying"):
            self._merge(case_id, entry_sk, {"delivery": "sending", "send_lease_until": until})
            return SendLease(taken=True, state="sending", lease_until=until)
        return SendLease(taken=False, state=state, lease_until=entry.data.get("send_lease_until"))

    def update_entry(self, case_id: str, entry_sk: str, data: dict[str, Any]) -> None:
        if self.entry(case_id, entry_sk) is None:
            raise NotFound(f"timeline entry {entry_sk} of case {case_id} not found")
        self._merge(case_id, entry_sk, data)

    # -- lists --

    def list_by_status(
        self, status: CaseStatus, limit: int, cursor: str | None
    ) -> tuple[list[Case], str | None]:
        found = sorted(
            (c for c in self.cases.values() if c.status is status), key=lambda c: c.updated_at, reverse=True
        )
        return found[:limit], None

    def list_by_owner(self, owner: str, status: CaseStatus | None, limit: int) -> list[Case]:
        return [
            c for c in self.cases.values() if c.owner == owner and (status is None or c.status is status)
        ][:limit]

    def count_open_by_owner(self, owner: str) -> int:
        return sum(1 for c in self.cases.values() if c.owner == owner and c.status.is_open)

    def due_for_reply(self, before: datetime, limit: int) -> list[Case]:
        due = [c for c in self.cases.values() if c.reply_due is not None and c.reply_due <= before]
        return sorted(due, key=lambda c: c.reply_due or before)[:limit]

    def opened_between(self, start: datetime, end: datetime) -> list[Case]:
        return sorted(
            (c for c in self.cases.values() if start <= c.opened_at < end), key=lambda c: c.opened_at
        )

    def put_report(self, report: dict[str, Any], *, new: bool = False) -> None:
        if new and report["id"] in self.reports:
            raise Conflict(f"report {report['id']} exists")
        self.reports[report["id"]] = report

    def list_reports(self, limit: int = 50) -> list[dict[str, Any]]:
        return sorted(
            self.reports.values(), key=lambda r: r.get("requested_at") or r["generated_at"], reverse=True
        )[:limit]

    def get_report(self, report_id: str) -> dict[str, Any]:
        if report_id not in self.reports:
            raise NotFound(f"report {report_id} not found")
        return self.reports[report_id]


@dataclass
class MemoryCrises:
    crises: dict[str, Crisis] = field(default_factory=dict)
    counters: dict[datetime, dict[str, int]] = field(default_factory=dict)
    suggestions: dict[tuple[str, str], SpikeSuggestion] = field(default_factory=dict)
    away: dict[str, Availability] = field(default_factory=dict)
    fail_counts: bool = False

    def create_crisis(self, crisis: Crisis) -> None:
        self.crises[crisis.crisis_id] = crisis

    def save_crisis(self, crisis: Crisis, expected_version: int) -> None:
        if self.get_crisis(crisis.crisis_id).version != expected_version:
            raise Conflict("the crisis changed meanwhile; try again")
        self.crises[crisis.crisis_id] = crisis

    def active_crises(self) -> list[Crisis]:
        return [c for c in self.list_crises(1000) if c.status.value == "active"]

    def get_crisis(self, crisis_id: str) -> Crisis:
        if crisis_id not in self.crises:
            raise NotFound(f"crisis {crisis_id} not found")
        return self.crises[crisis_id]

    def list_crises(self, limit: int = 50) -> list[Crisis]:
        return [self.crises[k] for k in sorted(self.crises, reverse=True)][:limit]

    def count(self, bucket: datetime, series: Iterable[str], now: datetime) -> None:
        if self.fail_counts:
            from shared.errors import Unavailable

            raise Unavailable("counting the message failed (ProvisionedThroughputExceededException)")
        counts = self.counters.setdefault(bucket, {})
        for s in dict.fromkeys(series):
            counts[s] = counts.get(s, 0) + 1

    def counts(self, buckets: list[datetime]) -> dict[datetime, dict[str, int]]:
        return {b: dict(self.counters.get(b, {})) for b in buckets}

    def add_suggestion(self, suggestion: SpikeSuggestion) -> bool:
        key = (str(suggestion.bucket), suggestion.series)
        if key in self.suggestions:
            return False
        self.suggestions[key] = suggestion
        return True

    def list_suggestions(self, limit: int = 50) -> list[SpikeSuggestion]:
        return list(self.suggestions.values())[:limit]

    def availability(self, email: str) -> Availability | None:
        return self.away.get(email)

    def set_availability(self, availability: Availability) -> None:
        self.away[availability.email] = availability


@dataclass
class MemoryWork:
    lanes: dict[str, list[WorkItem]] = field(default_factory=dict)
    released: list[WorkItem] = field(default_factory=list)
    in_flight: list[WorkItem] = field(default_factory=list)  # received, not yet done or released (SQS)
    team_ids: list[str] = field(default_factory=lambda: [t.id for t in bundled_config().teams])
    _handles: Any = field(default_factory=itertools.count)

    @property
    def teams(self) -> list[str]:
        return self.team_ids

    def enqueue(self, team: str, priority: int, case_id: str) -> None:
        item = WorkItem(case_id, priority, f"lane/{team}/{priority}", f"h{next(self._handles)}")
        self.lanes.setdefault(team, []).append(item)

    def receive_next(self, team: str) -> WorkItem | None:
        waiting = sorted(
            (i for i in self.lanes.get(team, []) if i not in self.in_flight), key=lambda i: i.priority
        )
        if waiting:
            self.in_flight.append(waiting[0])
        return waiting[0] if waiting else None

    def done(self, item: WorkItem) -> None:
        if item in self.in_flight:
            self.in_flight.remove(item)
        for lane in self.lanes.values():
            if item in lane:
                lane.remove(item)

    def release(self, item: WorkItem) -> None:
        if item in self.in_flight:
            self.in_flight.remove(item)
        self.released.append(item)

    def depths(self, team: str) -> dict[str, int]:
        depth: dict[str, int] = {}
        for item in self.lanes.get(team, []):
            depth[str(item.priority)] = depth.get(str(item.priority), 0) + 1
        return depth


@dataclass
class MemoryOutbox:
    sent: list[str] = field(default_factory=list)
    down: bool = False

    def put(self, message_json: str, delay_seconds: int = 0) -> None:
        if self.down:
            from shared.errors import Unavailable

            raise Unavailable("queueing the reply failed (ServiceUnavailable)")
        self.sent.append(message_json)


@dataclass
class MemoryAlerts:
    sent: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)

    def notify(self, subject: str, detail: dict[str, Any], kind: str) -> None:
        self.sent.append((subject, detail, kind))


@dataclass
class MemoryScheduler:
    schedules: dict[str, tuple[datetime, dict[str, Any]]] = field(default_factory=dict)

    def schedule_once(self, name: str, at: datetime, payload: dict[str, Any]) -> None:
        self.schedules.setdefault(name, (at, payload))


@dataclass
class MemoryNotifier:
    emails: list[tuple[str, str, str]] = field(default_factory=list)
    attachments: list[tuple[str, str, bytes, str]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)
    down: bool = False

    def email(
        self, to: str, subject: str, text: str, attachment: tuple[str, bytes, str] | None = None
    ) -> None:
        self._check("sending an email")
        self.emails.append((to, subject, text))
        if attachment is not None:
            self.attachments.append((to, *attachment))

    def sms(self, to: str, text: str) -> None:
        self._check("sending an SMS")
        self.texts.append((to, text))

    def _check(self, what: str) -> None:
        if self.down:
            from shared.errors import Unavailable

            raise Unavailable(f"{what} failed (Throttling)")


@dataclass
class MemorySurveyAnswers:
    answers: dict[str, SurveyAnswer] = field(default_factory=dict)

    def record(self, answer: SurveyAnswer) -> None:
        self.answers[answer.case_id] = answer

    def between(self, start: datetime, end: datetime) -> list[SurveyAnswer]:
        return [a for a in self.answers.values() if start <= a.scheduled_for <= end]


@dataclass
class MemoryConfig:
    config: HeardConfig = field(default_factory=bundled_config)

    def get(self) -> HeardConfig:
        return self.config

    def refresh(self) -> HeardConfig:
        return self.config

    def put(self, config: HeardConfig) -> HeardConfig:
        self.config = next_revision(self.config, config)
        return self.config


@dataclass
class MemoryReportFiles:
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self.files[key] = (body, content_type)

    def download_url(self, key: str, filename: str, expires_seconds: int) -> str:
        if key not in self.files:
            raise NotFound(f"no file {key}")
        return f"memory://{key}?filename={filename}&expires={expires_seconds}"


@dataclass
class MemoryAttachmentFiles:
    """Attachments by key: (body, content type); links are memory:// with their expiry."""

    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)

    def upload_form(
        self, key: str, content_type: str, max_bytes: int, expires_seconds: int
    ) -> tuple[str, dict[str, str]]:
        return "memory://post", {"key": key, "Content-Type": content_type, "max": str(max_bytes)}

    def download_url(self, key: str, expires_seconds: int) -> str:
        return f"memory://get/{key}?expires={expires_seconds}"

    def describe(self, key: str) -> tuple[int, str]:
        if key not in self.files:
            raise NotFound(f"no attachment at {key}")
        body, content_type = self.files[key]
        return len(body), content_type

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self.files[key] = (body, content_type)

    def read(self, key: str) -> bytes:
        if key not in self.files:
            raise NotFound(f"no attachment at {key}")
        return self.files[key][0]

    def erase_case(self, case_id: str) -> int:
        doomed = [k for k in self.files if k.startswith((f"in/{case_id}/", f"out/{case_id}/"))]
        for key in doomed:
            del self.files[key]
        return len(doomed)


@dataclass
class MemoryAnalytics:
    """The analytics store's objects by (dataset, day, name); `fetch` writes them out as files."""

    objects: dict[tuple[str, str, str], bytes] = field(default_factory=dict)

    def put(self, dataset: str, day: str, name: str, body: bytes) -> None:
        self.objects[(dataset, day, name)] = body

    def fetch(self, dataset: str, days: list[str], into: Path) -> list[Path]:
        into.mkdir(parents=True, exist_ok=True)
        paths = []
        for (kind, day, name), body in sorted(self.objects.items()):
            if kind == dataset and day in days:
                path = into / f"{day}-{name}.parquet"
                path.write_bytes(body)
                paths.append(path)
        return paths

    def files(self, dataset: str, day: str) -> dict[str, str]:
        return self.files_by_day(dataset, [day]).get(day, {})

    def files_by_day(self, dataset: str, days: Sequence[str]) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        for (kind, on, name), body in sorted(self.objects.items()):
            if kind == dataset and on in days:
                found.setdefault(on, {})[name] = hashlib.md5(body).hexdigest()  # noqa: S324 - an ETag, as S3's
        return found

    def download(self, dataset: str, day: str, names: Sequence[str], into: Path) -> list[Path]:
        into.mkdir(parents=True, exist_ok=True)
        paths = []
        for name in names:
            path = into / f"{day}-{name}.parquet"
            path.write_bytes(self.objects[(dataset, day, name)])
            paths.append(path)
        return paths

    def replace(self, dataset: str, day: str, name: str, body: bytes, *, expected: str | None) -> None:
        if self.files(dataset, day).get(name) != expected:
            raise Conflict(f"{dataset} {day}: {name} changed meanwhile")
        self.objects[(dataset, day, name)] = body

    def delete(self, dataset: str, day: str, names: Sequence[str]) -> None:
        for name in names:
            self.objects.pop((dataset, day, name), None)

    def record_cases(self, deps: Deps, cases: Iterable[Case], batch: str = "b1") -> None:
        """What the cases table's stream would deliver for these cases (their current images)."""
        from shared.usecases import analytics

        images = [{**json.loads(c.model_dump_json()), "type": "case"} for c in cases]
        analytics.record(deps, images, batch)


class MemoryNotifications:
    def __init__(self) -> None:
        self.items: dict[str, dict[str, Notification]] = {}

    def add(self, notification: Notification) -> None:
        self.items.setdefault(notification.recipient, {})[notification.notification_id] = notification

    def recent(self, recipient: str, limit: int) -> list[Notification]:
        mine = self.items.get(recipient, {})
        return [mine[k] for k in sorted(mine, reverse=True)[:limit]]

    def rewrite_for_cases(self, recipient: str, case_ids: Sequence[str], text: str) -> int:
        mine = self.items.get(recipient, {})
        hits = [k for k, n in mine.items() if n.case_id in case_ids and n.text != text]
        for k in hits:
            mine[k] = mine[k].model_copy(update={"text": text})
        return len(hits)

    def mark_read(self, recipient: str, notification_ids: Sequence[str], at: datetime) -> int:
        mine = self.items.get(recipient, {})
        marked = 0
        for nid in notification_ids:
            if nid in mine and mine[nid].read_at is None:
                mine[nid] = mine[nid].model_copy(update={"read_at": at})
                marked += 1
        return marked


@dataclass
class MemoryKnowledge:
    answers: dict[str, KnowledgeAnswer] = field(default_factory=dict)
    versions: dict[str, list[AnswerVersion]] = field(default_factory=dict)
    saved: dict[tuple[str, str], dict[str, SavedReply]] = field(default_factory=dict)
    generations: int = 0
    gaps: dict[date, dict[str, UnansweredQuestion]] = field(default_factory=dict)
    pasts: dict[str, PastReply] = field(default_factory=dict)

    def _write(self, answer: KnowledgeAnswer, version: AnswerVersion | None, approved_before: bool) -> None:
        self.answers[answer.answer_id] = answer.model_copy(update={"vectors": None})  # as the item drops them
        if version is not None:
            self.versions.setdefault(answer.answer_id, []).append(version)
        if answer.is_approved or approved_before:
            self.generations += 1

    def create(self, answer: KnowledgeAnswer, version: AnswerVersion) -> None:
        if answer.answer_id in self.answers:
            raise Conflict(f"answer {answer.answer_id} already exists")
        self._write(answer, version, False)

    def save(self, answer: KnowledgeAnswer, before: KnowledgeAnswer, version: AnswerVersion | None) -> None:
        stored = self.get(answer.answer_id)
        if (stored.version, stored.used) != (before.version, before.used):
            raise Conflict(f"answer {answer.answer_id} changed meanwhile")
        self._write(answer, version, before.is_approved)

    def get(self, answer_id: str) -> KnowledgeAnswer:
        if answer_id not in self.answers:
            raise NotFound(f"answer {answer_id} not found")
        return self.answers[answer_id]

    def by_state(self, state: AnswerState, limit: int | None) -> list[KnowledgeAnswer]:
        found = sorted((a for a in self.answers.values() if a.state is state), key=lambda a: a.answer_id)
        return found[::-1][:limit]

    def automatic(self) -> list[KnowledgeAnswer]:
        return [a for a in self.answers.values() if a.is_approved and a.automatic]

    def history(self, answer_id: str) -> list[AnswerVersion]:
        return self.versions.get(answer_id, [])[::-1]

    def generation(self) -> str:
        return str(self.generations)

    def store_vectors(self, answer: KnowledgeAnswer, vectors: str) -> bool:
        stored = self.answers.get(answer.answer_id)
        if (
            stored is None
            or not stored.is_approved
            or (stored.version, stored.used) != (answer.version, answer.used)
        ):
            return False
        self.answers[answer.answer_id] = stored.model_copy(update={"vectors": vectors})
        return True

    def put_macro(self, macro: SavedReply) -> None:
        self.saved.setdefault((macro.scope, macro.owner), {})[macro.macro_id] = macro

    def delete_macro(self, scope: MacroScope, owner: str, macro_id: str) -> None:
        if self.saved.get((scope, owner), {}).pop(macro_id, None) is None:
            raise NotFound(f"saved reply {macro_id} not found")

    def macros(self, scope: MacroScope, owner: str) -> list[SavedReply]:
        return list(self.saved.get((scope, owner), {}).values())

    def record_unanswered(self, question: UnansweredQuestion) -> None:
        self.gaps.setdefault(question.at.date(), {})[question.case_id] = question

    def unanswered(self, day: date, limit: int) -> list[UnansweredQuestion]:
        found = sorted(self.gaps.get(day, {}).values(), key=lambda q: q.at, reverse=True)
        return found[:limit]

    def forget_unanswered(self, case_ids: Sequence[str], since: date) -> int:
        gone = 0
        for day, questions in self.gaps.items():
            if day >= since:
                gone += sum(questions.pop(c, None) is not None for c in case_ids)
        return gone

    def record_past_reply(self, past: PastReply) -> None:
        self.pasts[past.case_id] = past

    def past_replies(self, limit: int) -> list[PastReply]:
        return sorted(self.pasts.values(), key=lambda p: p.resolved_at, reverse=True)[:limit]

    def forget_past_replies(self, case_ids: Sequence[str]) -> int:
        return sum(self.pasts.pop(c, None) is not None for c in case_ids)


@dataclass
class MemoryAudit:
    """The audit chain in memory; `records` may be edited by a test to play a tamperer."""

    records: dict[int, AuditRecord] = field(default_factory=dict)
    kept_days: dict[int, int] = field(default_factory=dict)
    seal_pointer: SealPointer = field(default_factory=SealPointer)

    def head(self) -> tuple[int, str]:
        if not self.records:
            return 0, GENESIS
        last = max(self.records)
        return last, self.records[last].hash

    def append(self, record: AuditRecord, expected_seq: int, keep_days: int) -> None:
        if self.head()[0] != expected_seq or record.seq in self.records:
            raise Conflict("the audit chain moved meanwhile")
        self.records[record.seq] = record
        self.kept_days[record.seq] = keep_days

    def day(self, day: date) -> list[AuditRecord]:
        return [r for _, r in sorted(self.records.items()) if r.at.date() == day]

    def sealed(self) -> SealPointer:
        return self.seal_pointer

    def advance_seal(self, to: SealPointer, expected_seq: int) -> None:
        if self.seal_pointer.seq != expected_seq:
            raise Conflict("the audit seal moved meanwhile")
        self.seal_pointer = to


@dataclass
class MemoryVault:
    """Write-once copies: a second put of the same run is refused, nothing is ever replaced."""

    objects: dict[tuple[date, int, int], AuditSeal] = field(default_factory=dict)

    def put(self, seal: AuditSeal) -> None:
        key = (seal.day, seal.first_seq, seal.last_seq)
        if key in self.objects:
            raise Conflict("already sealed")
        self.objects[key] = seal.model_copy(deep=True)

    def seals(self, day: date) -> list[AuditSeal]:
        return [seal for key, seal in sorted(self.objects.items()) if key[0] == day]


class MemoryAccounts:
    def __init__(self) -> None:
        self.items: dict[str, ConnectedAccount] = {}

    def get(self, account_id: str) -> ConnectedAccount:
        if account_id not in self.items:
            raise NotFound(f"unknown account {account_id!r}")
        return self.items[account_id]

    def list(self) -> list[ConnectedAccount]:
        return list(self.items.values())

    def add(self, account: ConnectedAccount) -> None:
        if account.account_id in self.items:
            raise Conflict(f"account {account.account_id!r} already exists")
        self.items[account.account_id] = account

    def remove(self, account_id: str) -> None:
        self.items.pop(account_id, None)


class MemoryAccountSecrets:
    def __init__(self) -> None:
        self.items: dict[str, dict[str, str]] = {}

    def put(self, account_id: str, values: dict[str, str]) -> None:
        self.items[account_id] = dict(values)

    def get(self, account_id: str) -> dict[str, Any]:
        if account_id not in self.items:
            raise NotFound(f"no credentials stored for account {account_id!r}")
        return dict(self.items[account_id])

    def delete(self, account_id: str) -> None:
        self.items.pop(account_id, None)


@dataclass
class MemoryBroadcasts:
    """Crisis updates' members and progress (shared/adapters/broadcasts_repo.py's semantics)."""

    cases: MemoryCases
    members_of: dict[str, dict[str, str]] = field(default_factory=dict)
    runs: dict[tuple[str, int], Any] = field(default_factory=dict)
    failures: dict[tuple[str, int], list[Any]] = field(default_factory=dict)

    def add_member(self, crisis_id: str, case_id: str, platform: str) -> None:
        self.members_of.setdefault(crisis_id, {})[case_id] = platform

    def members(self, crisis_id: str, after: str | None, limit: int) -> tuple[list[str], bool]:
        ids = sorted(i for i in self.members_of.get(crisis_id, {}) if after is None or i > after)
        return ids[:limit], len(ids) > limit

    def record_update(self, entry: TimelineEntry, crisis_id: str, version: int) -> bool:
        case = self.cases.cases.get(entry.case_id)
        exists = entry_key(entry) in self.cases.entries.get(entry.case_id, {})
        if case is None or case.crisis_id != crisis_id or case.crisis_statement_version >= version or exists:
            return False
        moved = case.model_copy(update={"crisis_statement_version": version, "version": case.version + 1})
        self.cases._store(moved, [entry])
        return True

    def start(self, progress: Any) -> bool:
        key = (progress.crisis_id, progress.statement_version)
        if key in self.runs:
            return False
        self.runs[key] = progress
        return True

    def count(self, crisis_id: str, version: int, what: str, platform: str | None = None) -> None:
        run = self.runs[(crisis_id, version)]
        if what in ("queued", "sent", "failed"):
            update: dict[str, Any] = {what: getattr(run, what) + 1}
            if platform and what == "queued":
                update["by_platform"] = {**run.by_platform, platform: run.by_platform.get(platform, 0) + 1}
        else:
            update = {"skipped": {**run.skipped, what: run.skipped.get(what, 0) + 1}}
        self.runs[(crisis_id, version)] = run.model_copy(update=update)

    def mark(
        self, crisis_id: str, version: int, *, done_at: str | None = None, superseded: bool = False
    ) -> None:
        run = self.runs[(crisis_id, version)]
        update: dict[str, Any] = {"superseded": run.superseded or superseded}
        if done_at and run.done_at is None:
            update["done_at"] = done_at
        self.runs[(crisis_id, version)] = run.model_copy(update=update)

    def add_failure(self, crisis_id: str, version: int, failure: Any) -> None:
        self.failures.setdefault((crisis_id, version), []).insert(0, failure)

    def progress(self, crisis_id: str) -> list[Any]:
        mine = sorted((k for k in self.runs if k[0] == crisis_id), key=lambda k: -k[1])
        return [self.runs[k].model_copy(update={"failures": self.failures.get(k, [])[:20]}) for k in mine]


@dataclass
class MemoryStatusPages:
    pages: dict[str, str] = field(default_factory=dict)

    def url(self, crisis_id: str) -> str:
        return f"https://status.example/status/{crisis_id}.html"

    def publish(self, crisis_id: str, html: str) -> None:
        self.pages[crisis_id] = html


@dataclass
class MemoryUsers:
    """The user pool: accounts by email, each with one Heard role."""

    accounts: dict[str, UserAccount] = field(default_factory=dict)

    def users(self) -> list[UserAccount]:
        return sorted(self.accounts.values(), key=lambda a: a.email)

    def user(self, email: str) -> UserAccount:
        if email not in self.accounts:
            raise NotFound(f"no account for {email}")
        return self.accounts[email]

    def invite(self, email: str, role: str) -> UserAccount:
        if email in self.accounts:
            raise Conflict(f"an account for {email} exists already")
        self.accounts[email] = UserAccount(
            email=email, role=role, enabled=True, status="FORCE_CHANGE_PASSWORD"
        )
        return self.accounts[email]

    def set_role(self, email: str, role: str) -> None:
        self.accounts[email] = self.user(email).model_copy(update={"role": role})

    def set_enabled(self, email: str, enabled: bool) -> None:
        self.accounts[email] = self.user(email).model_copy(update={"enabled": enabled})


@dataclass
class MemoryTraining:
    changes: list[ProcedureChange] = field(default_factory=list)
    passed_at: dict[tuple[str, int], datetime] = field(default_factory=dict)

    def current(self) -> ProcedureChange | None:
        return self.changes[-1] if self.changes else None

    def publish(self, change: ProcedureChange) -> None:
        if any(c.version == change.version for c in self.changes):
            raise Conflict(f"version {change.version} was published meanwhile")
        self.changes.append(change)

    def passed(self, email: str, version: int) -> bool:
        return (email, version) in self.passed_at

    def record_pass(self, email: str, version: int, at: datetime) -> None:
        self.passed_at[(email, version)] = at

    def passes(self, version: int) -> dict[str, datetime]:
        return {e: at for (e, v), at in self.passed_at.items() if v == version}


@dataclass
class MemoryEscalations:
    records: dict[str, EscalationRecord] = field(default_factory=dict)

    def add(self, record: EscalationRecord) -> None:
        self.records[record.escalation_id] = record

    def get(self, escalation_id: str) -> EscalationRecord:
        if escalation_id not in self.records:
            raise NotFound(f"no escalation {escalation_id}")
        return self.records[escalation_id]

    def due(self, before: datetime, limit: int) -> list[EscalationRecord]:
        due = [r for r in self.records.values() if r.next_at is not None and r.next_at < before]
        return sorted(due, key=lambda r: r.next_at or before)[:limit]

    def advance(self, before: EscalationRecord, after: EscalationRecord) -> None:
        if self.records[before.escalation_id].stage != before.stage:
            raise Conflict(f"escalation {before.escalation_id} changed meanwhile")
        self.records[after.escalation_id] = after


@dataclass
class MemoryLinkKeys:
    secret: bytes = b"unit-test-link-signing-key-0123456789abcdef"

    def key(self) -> bytes:
        return self.secret


class MemoryEvents:
    """Heard's event bus: what was published, in order."""

    published: list[HeardEvent] = field(default_factory=list)

    def publish(self, events: Sequence[HeardEvent]) -> int:
        self.published.extend(events)
        return len(events)


@dataclass
class MemoryChatWebhook:
    """The chat webhook: what was posted where; `down` makes every post Unavailable."""

    posted: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    down: bool = False

    def post(self, url: str, payload: dict[str, Any]) -> int:
        if self.down:
            raise Unavailable("the chat webhook answered 500")
        self.posted.append((url, payload))
        return 200


@dataclass
class MemoryChatSecret:
    """The chat webhook's URL as the secret keeps it."""

    value: str | None = None

    def url(self) -> str | None:
        return self.value

    def set_url(self, url: str) -> None:
        self.value = url


@dataclass
class MemoryCompany:
    """The company's systems: answers by (kind, value); `down` makes every lookup Unavailable."""

    answers: dict[tuple[str, str], LookupResult] = field(default_factory=dict)
    asked: list[tuple[str, str]] = field(default_factory=list)
    down: bool = False

    @property
    def source(self) -> str:
        return "memory"

    def lookup(self, kind: LookupKind, value: str) -> LookupResult:
        from shared.errors import Unavailable

        self.asked.append((kind, value))
        if self.down:
            raise Unavailable("the company system did not answer in time")
        return self.answers.get((kind, value), LookupResult(found=False))


@dataclass
class Fakes:
    """Every port's fake, and the Deps that uses them."""

    cases: MemoryCases
    quality: MemoryQuality
    crises: MemoryCrises
    work: MemoryWork
    outbox: MemoryOutbox
    alerts: MemoryAlerts
    scheduler: MemoryScheduler
    config: MemoryConfig
    report_files: MemoryReportFiles
    attachment_files: MemoryAttachmentFiles
    analytics: MemoryAnalytics
    knowledge: MemoryKnowledge
    answer_index: Suggester  # the built-in index is pure Python: it is its own fake (numpy, no AWS)
    past_index: PastSuggester  # likewise
    audit: MemoryAudit
    notifications: MemoryNotifications
    broadcasts: MemoryBroadcasts
    crisis_updates: MemoryOutbox
    accounts: MemoryAccounts
    account_secrets: MemoryAccountSecrets
    surveys: MemorySurveyAnswers
    erasures: MemoryErasures
    erasure_jobs: MemoryOutbox
    report_requests: MemoryOutbox
    archive_eraser: MemoryArchiveEraser
    notifier: MemoryNotifier
    status_pages: MemoryStatusPages
    users: MemoryUsers
    training: MemoryTraining
    escalations: MemoryEscalations
    link_keys: MemoryLinkKeys
    search: SqliteSearchIndex  # the embedded engine is itself in-memory and offline
    links: MemoryCustomerLinks
    company: MemoryCompany
    events: MemoryEvents
    chat_webhook: MemoryChatWebhook
    chat_secret: MemoryChatSecret
    writing: BuiltinWritingHelp  # pure and offline: its own fake
    deps: Deps


def fakes() -> Fakes:
    quality = MemoryQuality()
    cases = MemoryCases(quality=quality)
    parts: dict[str, Any] = {
        "cases": cases,
        "quality": quality,
        "crises": MemoryCrises(),
        "work": MemoryWork(),
        "outbox": MemoryOutbox(),
        "alerts": MemoryAlerts(),
        "scheduler": MemoryScheduler(),
        "config": MemoryConfig(),
        "report_files": MemoryReportFiles(),
        "attachment_files": MemoryAttachmentFiles(),
        "analytics": MemoryAnalytics(),
        "knowledge": MemoryKnowledge(),
        "answer_index": Suggester(),
        "past_index": PastSuggester(),
        "audit": MemoryAudit(),
        "notifications": MemoryNotifications(),
        "broadcasts": MemoryBroadcasts(cases=cases),
        "crisis_updates": MemoryOutbox(),
        "accounts": MemoryAccounts(),
        "account_secrets": MemoryAccountSecrets(),
        "surveys": MemorySurveyAnswers(),
        "erasures": MemoryErasures(),
        "erasure_jobs": MemoryOutbox(),
        "report_requests": MemoryOutbox(),
        "archive_eraser": MemoryArchiveEraser(),
        "notifier": MemoryNotifier(),
        "status_pages": MemoryStatusPages(),
        "users": MemoryUsers(),
        "training": MemoryTraining(),
        "escalations": MemoryEscalations(),
        "link_keys": MemoryLinkKeys(),
        "search": SqliteSearchIndex(":memory:"),
        "links": MemoryCustomerLinks(),
        "company": MemoryCompany(),
        "events": MemoryEvents(),
        "chat_webhook": MemoryChatWebhook(),
        "chat_secret": MemoryChatSecret(),
        "writing": BuiltinWritingHelp(),
    }
    deps = Deps(settings=Settings.model_validate({}), overrides=dict(parts))
    return Fakes(**parts, deps=deps)


class MemorySavedViews:
    def __init__(self) -> None:
        self.items: dict[str, dict[str, SavedView]] = {}

    def put_view(self, view: SavedView) -> None:
        self.items.setdefault(view.owner, {})[view.view_id] = view

    def views(self, owner: str, limit: int) -> list[SavedView]:
        mine = self.items.get(owner, {})
        return [mine[k] for k in sorted(mine)[:limit]]

    def delete_view(self, owner: str, view_id: str) -> None:
        if view_id not in self.items.get(owner, {}):
            raise NotFound(f"no saved view {view_id!r}")
        del self.items[owner][view_id]


class MemoryErasures:
    def __init__(self) -> None:
        self.items: dict[str, Erasure] = {}
        self.chunks: dict[str, tuple[int, set[int]]] = {}

    def put(self, erasure: Erasure, archive_chunks: int) -> None:
        self.items[erasure.erasure_id] = erasure
        self.chunks[erasure.erasure_id] = (archive_chunks, set())

    def set_counts(self, erasure_id: str, erased: Erased) -> None:
        self.items[erasure_id] = self.items[erasure_id].model_copy(update={"erased": erased})

    def get(self, erasure_id: str) -> Erasure:
        if erasure_id not in self.items:
            raise NotFound(f"erasure {erasure_id} not found")
        return self.items[erasure_id]

    def recent(self, limit: int) -> list[Erasure]:
        return [self.items[k] for k in sorted(self.items, reverse=True)[:limit]]

    def archive_chunk_done(self, erasure_id: str, chunk: int, versions: int, at: datetime) -> None:
        total, done = self.chunks[erasure_id]
        done.add(chunk)
        before = self.items[erasure_id]
        update: dict[str, Any] = {"archive_versions_deleted": before.archive_versions_deleted + versions}
        if len(done) >= total:
            update.update(archive=ArchiveState.DONE, archive_done_at=before.archive_done_at or at)
        self.items[erasure_id] = before.model_copy(update=update)


class MemoryArchiveEraser:
    def __init__(self, versions: dict[str, int] | None = None) -> None:
        self.versions = dict(versions or {})  # key -> how many versions it has
        self.erased: list[str] = []

    def erase(self, key: str) -> int:
        self.erased.append(key)
        return self.versions.pop(key, 0)


class MemoryCustomerLinks:
    def __init__(self) -> None:
        self.keys: dict[str, dict[str, Identity]] = {}
        self.edges: dict[str, dict[str, IdentityLink]] = {}

    def remember_key(self, key: str, identity: Identity) -> None:
        self.keys.setdefault(key, {})[identity.customer_key] = identity

    def holders(self, key: str, limit: int) -> list[Identity]:
        return list(self.keys.get(key, {}).values())[:limit]

    def link(self, a: Identity, b: Identity, how: LinkHow, key: str | None, by: str, at: datetime) -> bool:
        made = False
        for one, other in ((a, b), (b, a)):
            mine = self.edges.setdefault(one.customer_key, {})
            if how is LinkHow.MANUAL or other.customer_key not in mine:
                mine[other.customer_key] = IdentityLink(other=other, how=how, key=key, at=at, by=by)
                made = True
        return made

    def links(self, customer_key: str) -> list[IdentityLink]:
        return list(self.edges.get(customer_key, {}).values())

    def undo(self, a_key: str, b_key: str, by: str, at: datetime) -> None:
        link = self.edges.get(a_key, {}).get(b_key)
        if link is None or link.undone_at is not None:
            raise NotFound("these identities are not linked")
        for one, other in ((a_key, b_key), (b_key, a_key)):
            if other in self.edges.get(one, {}):
                self.edges[one][other] = self.edges[one][other].model_copy(
                    update={"undone_at": at, "undone_by": by}
                )

    def forget(self, customer_key: str, keys: Sequence[str]) -> int:
        gone = sum(1 for k in keys if self.keys.get(k, {}).pop(customer_key, None))
        for other in self.edges.pop(customer_key, {}):
            gone += 1 if self.edges.get(other, {}).pop(customer_key, None) else 0
        return gone


class MemoryPresence:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Presence] = {}

    def touch(self, presence: Presence) -> None:
        self.items[(presence.case_id, presence.email)] = presence

    def present(self, case_id: str, now: datetime) -> list[Presence]:
        return [
            p
            for (case, _), p in self.items.items()
            if case == case_id and (now - p.at).total_seconds() <= PRESENCE_SECONDS
        ]
