"""The API's request and response models (separate from the domain entities, mapped explicitly)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Annotated, Any, Literal, get_args

from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from shared import clock
from shared.models.case import Case, ResolutionReason, TimelineEntry
from shared.models.config import EmailStr
from shared.models.customer import ConsentHow, ContactDetails
from shared.models.interaction import Platform
from shared.models.notification import Notification
from shared.models.notify import ContactPreference
from shared.models.roles import ROLES
from shared.models.training import CheckQuestion
from shared.rules.survey_scores import KindScores
from shared.usecases.customers import CustomerProfile


class ReplyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(min_length=1, max_length=8000, description="What to send to the customer")]
    private: Annotated[
        bool, Field(description="Move to a private channel (DM) where the platform allows it")
    ] = False
    attachment: Annotated[
        str | None,
        Field(
            pattern=r"^u[0-9a-z]{6,40}$",
            description="An image to send with the reply: the upload_id of POST /api/cases/{id}/attachments/"
            "uploads, uploaded first (Messenger and Instagram DMs, WhatsApp, Telegram, X)",
        ),
    ] = None
    invite_private: Annotated[
        bool,
        Field(
            description="A public reply that adds the link opening a private conversation with us "
            "(m.me, ig.me, wa.me, x.com/messages/compose), built from the configuration's accounts"
        ),
    ] = False
    idempotency_key: Annotated[
        str | None,
        Field(
            pattern=r"^[A-Za-z0-9._:-]{1,128}$",
            description="Sending the same key again returns the same reply instead of sending a second one "
            "(also accepted as the Idempotency-Key header)",
        ),
    ] = None
    seen_until: Annotated[
        Moment | None,
        Field(
            description="The time of the newest reply on the timeline you have read (or the case's opening): "
            "if a colleague replied after it, yours is refused with 409 quoting theirs"
        ),
    ] = None


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, Field(max_length=2000)] = ""
    reason: Annotated[
        ResolutionReason,
        Field(description="solved, no_reply_needed, duplicate, or spam (spam is never followed up)"),
    ] = ResolutionReason.SOLVED


class SnoozeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    until: Annotated[
        Moment | None,
        Field(description="Snooze until then (at most 30 days ahead); absent: waiting on the customer"),
    ] = None
    note: Annotated[str, Field(max_length=2000)] = ""


class ReopenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, Field(max_length=2000)] = ""


class FollowUpDoneRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, Field(max_length=2000)] = ""


# A moment from outside: with a time zone, between clock.EARLIEST and clock.LATEST (years 2000-2200).
Moment = Annotated[
    datetime,
    AfterValidator(clock.sane),
    Field(description="ISO-8601 with a time zone, between 2000-01-01 and 2200-01-01"),
]


Period = Literal["day", "week", "month", "custom"]
FilterValue = Annotated[str, Field(min_length=1, max_length=320)]


class ReportFilters(BaseModel):
    """Narrow a report to one team, agent (email), platform, topic or language."""

    model_config = ConfigDict(extra="forbid")

    team: FilterValue | None = None
    agent: FilterValue | None = None
    platform: FilterValue | None = None
    topic: FilterValue | None = None
    language: FilterValue | None = None
    brand: FilterValue | None = None


class ReportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: Annotated[
        Period | None,
        Field(description="The last day, week (7 days) or month (30 days) up to now; custom: start and end"),
    ] = None
    start: Annotated[Moment | None, Field(description="Period start (default: 24 hours before end)")] = None
    end: Annotated[Moment | None, Field(description="Period end (default: now)")] = None
    filters: ReportFilters | None = None
    request_key: Annotated[
        str | None,
        Field(
            pattern=r"^[A-Za-z0-9_-]{8,64}$",
            description="Makes the request idempotent: the same key (per person) names the same report",
        ),
    ] = None


class CustomerView(BaseModel):
    id: str
    name: str | None = None
    handle: str | None = None
    followers: int | None = None


class FollowUpView(BaseModel):
    label: str
    due_at: datetime
    state: str


class SurveyView(BaseModel):
    kind: str = Field(description="csat (1-5) or nps (0-10)")
    state: str = Field(description="scheduled, sent, answered or skipped")
    scheduled_for: datetime
    sent_at: datetime | None = None
    via: str | None = None
    skipped_reason: str | None = None
    score: int | None = None
    answered_at: datetime | None = None
    answer_text: str | None = None
    survey_id: str | None = Field(default=None, description="Named in the survey's quick-answer buttons")
    answered_by: str | None = Field(default=None, description="button (a quick-answer button) or text")


class CaseView(BaseModel):
    case_id: str
    status: str
    team: str
    owner: str | None
    priority: int
    priority_reasons: list[str]
    category: str
    sentiment: str
    first_sentiment: str | None
    topic: str
    operation: str
    language: str
    crisis: str | None
    crisis_id: str | None = None
    updates_opt_out: Annotated[bool, Field(description="The customer wants no more crisis updates")] = False
    action: str
    pii: list[str]
    platform: str
    channel: str
    customer: CustomerView
    brand: str | None = None  # issue #16: None is the default brand
    connected_account: str | None = None
    summary: str
    opened_at: datetime
    updated_at: datetime
    last_customer_at: datetime
    reply_due: datetime | None
    first_response_due: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    reply_window_until: datetime | None
    sla_breached: bool
    message_count: int
    reply_count: int
    followups: list[FollowUpView]
    routing_reason: str
    tags: list[str] = []
    resolution: str | None = None
    snoozed_until: datetime | None = None
    waiting_since: datetime | None = None
    required_skills: list[str] = []
    hidden_ids: list[str] = []
    author_blocked: bool = False
    moderation: list[str] = []  # what the platform lets Heard do on this case (hide, delete, block...)
    survey: SurveyView | None = None
    erased_at: datetime | None = None  # the customer's personal data was erased on request
    erasure_id: str | None = None
    brief: Annotated[str, Field(description="The case in a few sentences, once summarised (#11)")] = ""
    brief_by: Annotated[
        str | None, Field(description='Who wrote the summary: "builtin" or "bedrock:<model>"')
    ] = None
    brief_at: datetime | None = None
    reply_refusal: Annotated[
        str | None,
        Field(
            description="Why a reply would be refused now (resolved, messaging window closed); None: it can go"
        ),
    ] = None
    reply_by_template: Annotated[
        bool, Field(description="A reply now goes as the approved template (WhatsApp after 24 hours)")
    ] = False
    parent_post: Annotated[
        dict[str, str] | None, Field(description="A comment's post: its id and, where known, its address")
    ] = None
    follow_up_due: Annotated[
        str | None, Field(description="A follow-up came due: its owner may message the customer (R20)")
    ] = None

    @classmethod
    def of(cls, case: Case) -> CaseView:
        data = case.model_dump(
            mode="json",
            exclude={"reply_context", "version", "conversation_id", "sentiment_score", "assigned_at"},
        )
        from shared import clock
        from shared.platforms.moderation import allowed
        from shared.rules.parent_post import parent_post
        from shared.usecases.replies import by_template, due_follow_up, reply_refusal

        now = clock.now()
        data["moderation"] = [a.value for a in allowed(case.platform.value)]
        data["reply_refusal"] = reply_refusal(case, now)
        data["reply_by_template"] = by_template(case, now)
        data["parent_post"] = parent_post(case.platform.value, case.channel.value, case.reply_context)
        data["follow_up_due"] = due_follow_up(case) if case.status.value == "resolved" else None
        return cls.model_validate(data)


class TimelineEntryView(BaseModel):
    entry_id: str
    kind: str
    at: datetime
    actor: str
    text: str
    data: dict[str, Any]

    @classmethod
    def of(cls, entry: TimelineEntry) -> TimelineEntryView:
        return cls.model_validate(entry.model_dump(mode="json", exclude={"case_id"}))


class CaseList(BaseModel):
    items: list[CaseView]
    next_cursor: str | None = None


class CaseDetail(BaseModel):
    case: CaseView
    timeline: list[TimelineEntryView]
    reopens_until: Annotated[
        datetime | None,
        Field(description="A resolved case: the customer writing until then reaches it and its owner (R8)"),
    ] = None
    contact_line: Annotated[
        str | None, Field(description="The line appended to every reply on this case (its brand's, R4)")
    ] = None


class CaseAnswer(BaseModel):
    case: CaseView


class ReplyAnswer(BaseModel):
    reply: TimelineEntryView


class QueueView(BaseModel):
    team: str
    name: str
    depth: dict[str, int]
    total: int


class QueueList(BaseModel):
    items: list[QueueView]


class Me(BaseModel):
    email: str
    groups: list[str]


class ReportView(BaseModel):
    id: str
    # queued: being generated; ready: downloadable; failed: could not be made (failure_reason), may be retried
    status: Literal["queued", "ready", "failed"] = "ready"
    failure_reason: str | None = None
    failed_at: datetime | None = None
    attempts: int | None = None
    requested_at: datetime | None = None
    generated_at: datetime
    requested_by: str
    period_start: datetime
    period_end: datetime
    case_count: int
    sla_compliance_pct: float | None = None
    filters: dict[str, str] = {}
    formats: list[str] = []


class Distribution(BaseModel):
    count: int
    p50: float | None
    p90: float | None
    mean: float | None


class SlaNumbers(BaseModel):
    measured: int
    met: int
    breached: int
    pending: int = Field(description="Open, unanswered and not due yet: neither met nor breached")
    not_applicable: int = Field(description="Resolved without a reply (spam, duplicate...) and never overdue")
    compliance_pct: float | None


class HourVolume(BaseModel):
    hour: int
    messages_in: int
    replies: int
    cases_opened: int


class DayVolume(BaseModel):
    day: str
    cases: int
    sla_breached: int


class BreakdownRow(BaseModel):
    key: str
    cases: int
    resolved: int
    sla_met: int
    sla_breached: int
    sla_compliance_pct: float | None
    first_response_p50: float | None
    first_response_p90: float | None
    handling_p50: float | None
    resolution_p50: float | None
    resolution_p90: float | None
    empathy_average: float | None


class ComplaintPattern(BaseModel):
    operation: str
    topic: str
    complaints: int
    previous_complaints: int
    trend_pct: float | None = Field(description="Change against the previous period; null when new")
    share_of_complaints_pct: float
    sla_breaches: int
    resolution_p50: float | None
    team: str | None
    platform: str | None
    peak_hour: int | None
    suggestion: str


class Overview(BaseModel):
    """A period's numbers, computed now from the analytics store."""

    period: dict[str, str]
    filters: dict[str, str]
    cases: int
    open: int
    resolved: int
    first_response_minutes: Distribution
    handling_minutes: Distribution
    resolution_minutes: Distribution
    sla: SlaNumbers
    sentiment_conversion: dict[str, int | float | None]
    by_status: dict[str, int]
    by_category: dict[str, int]
    by_platform: dict[str, int]
    by_hour: list[HourVolume]
    by_hour_zone: str = "UTC"  # the team's time zone, or "each team's own time zone" when they differ
    by_day: list[DayVolume]
    breakdowns: dict[str, list[BreakdownRow]]
    complaint_patterns: list[ComplaintPattern]


class DrillRow(BaseModel):
    case_id: str
    opened_at: datetime
    team: str
    owner: str
    platform: str
    topic: str
    language: str
    category: str
    status: str
    sla_state: str
    first_response_due: datetime | None
    first_response_at: datetime | None
    first_response_minutes: float | None
    resolution_minutes: float | None


class DrillList(BaseModel):
    metric: str
    items: list[DrillRow]
    truncated: bool


class AtRiskCase(BaseModel):
    case_id: str
    team: str
    owner: str | None
    priority: int
    platform: str
    topic: str
    summary: str
    reply_due: datetime
    minutes_left: float = Field(description="Until the reply is due; negative when already overdue")


class AtRiskList(BaseModel):
    within_minutes: int
    items: list[AtRiskCase]


class ReportList(BaseModel):
    items: list[ReportView]


class ReportAnswer(BaseModel):
    report: ReportView


class DownloadAnswer(BaseModel):
    url: str


# ---- crises, spikes, escalation, configuration, availability (R6, R9, R15, R17) ---------------------

Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,39}$")]
# The path parameter every /cases/{case_id} route takes.
CaseId = Annotated[str, Path(pattern=r"^[a-z0-9]{4,40}$", description="Case id")]
Keyword = Annotated[str, Field(min_length=2, max_length=60)]
Email = Annotated[str, Field(pattern=r"^[^@\s]{1,64}@[^@\s]{1,255}$", max_length=320)]


class HoldingStatementBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(min_length=1, max_length=600, description="The approved statement")]
    next_update: Annotated[
        str,
        Field(
            min_length=1,
            max_length=80,
            description='When the next update comes, e.g. "by 15:00 UTC" or an ISO time',
        ),
    ]
    more_info: Annotated[str, Field(min_length=1, max_length=200, description="A URL or where to find more")]


class DeclareCrisisRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Annotated[Slug, Field(description="A crisis type id of the configuration (crisis_types)")]
    name: Annotated[str, Field(min_length=1, max_length=120)]
    keywords: Annotated[
        list[Keyword], Field(max_length=50, description="Words or phrases; whole words, any case")
    ] = []
    topics: Annotated[list[Slug], Field(max_length=20, description="Topic ids of the configuration")] = []
    holding_statement: HoldingStatementBody


class UpdateCrisisRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    holding_statement: HoldingStatementBody | None = None
    name: Annotated[str | None, Field(min_length=1, max_length=120)] = None
    keywords: Annotated[list[Keyword] | None, Field(max_length=50)] = None
    topics: Annotated[list[Slug] | None, Field(max_length=20)] = None


class EndCrisisRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, Field(max_length=2000, description="Internal: why it ended")] = ""
    closing_statement: Annotated[
        str,
        Field(
            max_length=600,
            description="The final update, sent once to every customer of the crisis; empty sends nothing",
        ),
    ] = ""


class FailureView(BaseModel):
    case_id: str
    platform: str
    reason: str
    at: datetime


class UpdateProgressView(BaseModel):
    statement_version: int
    started_at: datetime
    done_at: Annotated[datetime | None, Field(description="Every case looked at (sends may be under way)")]
    superseded: Annotated[bool, Field(description="A newer version started before this one finished")]
    queued: int
    sent: int
    failed: int
    skipped: Annotated[
        dict[str, int], Field(description="opted_out, window_closed, too_long, already, left -> count")
    ]
    by_platform: Annotated[dict[str, int], Field(description="Queued per platform")]
    failures: Annotated[list[FailureView], Field(description="The latest failures, newest first")]


class UpdateProgressList(BaseModel):
    items: Annotated[list[UpdateProgressView], Field(description="Newest statement version first")]


class OptOutRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    opt_out: Annotated[bool, Field(description="True: the customer wants no more crisis updates")]


class CrisisEventView(BaseModel):
    at: datetime
    actor: str
    action: str
    statement_version: int
    note: str
    statement: Annotated[
        str, Field(description="What customers read in this version; empty if unchanged")
    ] = ""


class CrisisView(BaseModel):
    crisis_id: str
    type: str
    name: str
    status: str
    keywords: list[str]
    topics: list[str]
    holding_statement: HoldingStatementBody
    statement_text: Annotated[str, Field(description="What customers receive (before the contact line)")]
    statement_version: int
    team: str
    point_person: str
    backup: str
    declared_by: str
    declared_at: datetime
    updated_at: datetime
    ended_at: datetime | None
    status_url: Annotated[str, Field(description="The public status page, linked from every reply")] = ""
    closing_statement: str = ""
    history: list[CrisisEventView]

    @classmethod
    def of(cls, crisis: Any) -> CrisisView:
        data = crisis.model_dump(mode="json", exclude={"version"})
        data["type"] = data.pop("crisis_type")
        data["holding_statement"] = data.pop("statement")
        data["statement_text"] = crisis.statement.compose()
        return cls.model_validate(data)


class CrisisAnswer(BaseModel):
    crisis: CrisisView


class CrisisList(BaseModel):
    items: Annotated[list[CrisisView], Field(description="Active crises first, then recently ended ones")]


class SuggestionView(BaseModel):
    suggestion_id: str
    series: Annotated[str, Field(description='"negative", "all" or "topic:<id>"')]
    bucket: datetime
    count: int
    baseline_mean: float
    baseline_sd: float
    threshold: float
    detected_at: datetime
    notified: list[str]
    covered_by: str | None
    suggested_types: Annotated[list[str], Field(description="Crisis types whose topics or keywords fit")] = []


class SuggestionList(BaseModel):
    items: list[SuggestionView]


class EscalateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contact: Annotated[Slug | None, Field(description="An escalation contact id (give this or team)")] = None
    team: Annotated[Slug | None, Field(description="A team id: the case moves to its queue")] = None
    reason: Annotated[str, Field(min_length=1, max_length=1000)]
    urgent: Annotated[
        bool,
        Field(
            description="Reach the contact and the on-call person (or the crisis owner) by email and SMS now; "
            "escalations to high or critical contacts and of P1 cases are urgent anyway"
        ),
    ] = False


class EscalationAnswer(BaseModel):
    case: CaseView
    escalation: TimelineEntryView


class EscalationContactView(BaseModel):
    id: str
    name: str
    title: str
    question_types: list[str]
    email: str
    phone: str
    urgency: str
    hours: str
    backup: str | None


class EscalationContactList(BaseModel):
    items: list[EscalationContactView]


class ConfigAnswer(BaseModel):
    config: Annotated[dict[str, Any], Field(description="The configuration (see config/heard.json)")]


class AvailabilityRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    away: bool
    backup: Annotated[Email | None, Field(description="Who takes your customers while you are away")] = None


class AvailabilityView(BaseModel):
    email: str
    away: bool
    backup: str | None
    updated_at: datetime


# ---- approvals and blind empathy review (R11, R12) ---------------------------------------------------


class RejectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    feedback: Annotated[
        str, Field(min_length=1, max_length=2000, description="What the trainee should change; they see it")
    ]


class PendingCaseView(BaseModel):
    summary: str = ""
    platform: str = ""
    channel: str = ""
    team: str = ""
    priority: int | None = None
    category: str = ""
    customer: str = ""
    reply_due: datetime | None = None


class PendingApprovalView(BaseModel):
    case_id: str
    reply_id: str
    author: str
    text: str
    at: datetime
    case: PendingCaseView


class PendingApprovalList(BaseModel):
    items: list[PendingApprovalView]


class DecisionAnswer(BaseModel):
    case: CaseView
    reply: TimelineEntryView
    decision: TimelineEntryView


class BlindReviewView(BaseModel):
    """Only what a blind reviewer may see: no customer post, case id, summary or author."""

    review_id: str
    text: str
    platform: str
    channel: str
    claimed_until: datetime
    scale: dict[str, str] = Field(description="What each empathy grade means")


class GradeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    empathy: Annotated[int, Field(ge=1, le=5, description="1 (cold) to 5 (deeply empathetic)")]
    comment: Annotated[str, Field(max_length=1000)] = ""


class GradeAnswer(BaseModel):
    review_id: str
    empathy: int
    graded_at: datetime


# ---- working together: notes, tags, handing over, notifications ------------------------------------


class NoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[
        str,
        Field(
            min_length=1,
            max_length=4000,
            description="Internal, never sent to the customer; '@sam@example.com' notifies that colleague",
        ),
    ]


class NoteAnswer(BaseModel):
    note: TimelineEntryView


class TagsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tags: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=32)]],
        Field(max_length=20, description="The case's tags (replaces them): a-z, 0-9, space, _ or -"),
    ]


class HandToRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: Annotated[Email, Field(description="The colleague who owns the case from now on")]
    note: Annotated[str, Field(max_length=2000)] = ""


class ReleaseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, Field(max_length=2000)] = ""


class NotificationView(BaseModel):
    notification_id: str
    kind: str
    at: datetime
    actor: str
    text: str
    case_id: str | None = None
    read_at: datetime | None = None

    @classmethod
    def of(cls, notification: Notification) -> NotificationView:
        return cls.model_validate(notification.model_dump(mode="json", exclude={"recipient"}))


class NotificationList(BaseModel):
    items: list[NotificationView]
    unread: Annotated[int, Field(description="Unread among the latest 50")]


class MarkReadRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: Annotated[
        list[Annotated[str, Field(pattern=r"^n[0-9a-z]{19}$")]] | None,
        Field(max_length=50, description="The notifications to mark read; all the latest when absent"),
    ] = None


class CustomerCase(BaseModel):
    case_id: str
    platform: str
    status: str
    opened_at: datetime
    resolved_at: datetime | None = None
    resolution: str | None = None
    owner: str | None = None
    channel: str
    summary: str
    erased_at: datetime | None = None

    @classmethod
    def of(cls, case: Case) -> CustomerCase:
        return cls.model_validate(case.model_dump(mode="json", include=set(cls.model_fields)))


class CustomerIdentity(BaseModel):
    platform: str
    id: str
    handle: str | None = None
    name: str | None = None
    linked_by: Annotated[
        str | None,
        Field(description="email, phone, order (given on both) or manual; None for the case's own"),
    ] = None
    linked_at: datetime | None = None
    direct: Annotated[bool, Field(description="Linked to the case's own identity (may be separated)")] = False


class CustomerAnswer(BaseModel):
    name: str | None = Field(description="The display name the platform gave, if any")
    identities: Annotated[
        list[CustomerIdentity], Field(description="The case's own identity first, then the linked ones")
    ]
    other_cases: Annotated[
        list[CustomerCase], Field(description="The customer's other cases on every identity, newest first")
    ]
    contact: ContactView | None = None

    @classmethod
    def of(cls, profile: CustomerProfile) -> CustomerAnswer:
        author = profile.author
        own = CustomerIdentity(
            platform=profile.platform.value, id=author.id, handle=author.handle, name=author.name
        )
        linked = [
            CustomerIdentity(
                platform=link.other.platform.value,
                id=link.other.id,
                handle=link.other.handle,
                name=link.other.name,
                linked_by=link.how.value,
                linked_at=link.at,
                direct=link.other.customer_key in profile.direct,
            )
            for link in profile.linked
        ]
        return cls(
            name=author.name,
            identities=[own, *linked],
            other_cases=[CustomerCase.of(c) for c in profile.other_cases],
            contact=ContactView.of(profile.contact) if profile.contact else None,
        )


class ContactView(BaseModel):
    """The identity's contact details: in clear only with consent (when and how it was given)."""

    email: str | None = None
    phone: str | None = None
    has_email: Annotated[bool, Field(description="An email was given (kept in clear only with consent)")]
    has_phone: bool
    in_clear: bool
    consent_at: datetime | None = None
    consent_how: str | None = None
    recorded_by: str
    recorded_at: datetime

    @classmethod
    def of(cls, details: ContactDetails) -> ContactView:
        return cls(
            email=details.email,
            phone=details.phone,
            has_email=details.email_key is not None,
            has_phone=details.phone_key is not None,
            in_clear=details.in_clear,
            consent_at=details.consent_at,
            consent_how=details.consent_how.value if details.consent_how else None,
            recorded_by=details.recorded_by,
            recorded_at=details.recorded_at,
        )


def _since_2000(value: datetime | None) -> datetime | None:
    if value is not None and not 2000 <= value.year <= 2100:
        raise ValueError("when consent was given must be a date between 2000 and now")
    return value


class ConsentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    how: ConsentHow
    at: Annotated[
        AwareDatetime | None,
        AfterValidator(_since_2000),
        Field(description="When it was given, with its zone (default: now)"),
    ] = None


class ContactRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = None
    phone: Annotated[str | None, Field(min_length=7, max_length=25)] = None
    consent: Annotated[
        ConsentRequest | None,
        Field(description="The customer's consent to keep these in clear; without it only digests are kept"),
    ] = None


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: Annotated[str, Field(pattern=r"^[a-z0-9]{4,40}$", description="A case of the same person")]


class UnlinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    platform: Platform
    id: Annotated[str, Field(min_length=1, max_length=256, description="The linked identity's author id")]


# ---- teams and people (R7) ---------------------------------------------------------------------------


class MemberView(BaseModel):
    email: str
    skills: list[str]


class TeamView(BaseModel):
    id: str
    name: str
    languages: list[str]
    skills: list[str]
    agent_capacity: int
    members: list[MemberView]


class TeamList(BaseModel):
    items: list[TeamView]


class PersonRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    teams: Annotated[list[Slug], Field(max_length=50, description="Every team the person belongs to")]
    skills: Annotated[list[Slug], Field(max_length=50, description="e.g. spanish, billing, whatsapp")] = []


class PersonView(BaseModel):
    email: str
    teams: list[str]
    skills: list[str]


# ---- satisfaction surveys (R21) ---------------------------------------------------------------------


class ScoreView(BaseModel):
    key: str = Field(description="The agent, team or topic ('all' for the overall score)")
    answers: int
    average: float
    score: float = Field(description="CSAT: % of answers 4-5; NPS: % promoters minus % detractors")


class KindScoresView(BaseModel):
    kind: str
    overall: ScoreView
    by_agent: list[ScoreView]
    by_team: list[ScoreView]
    by_topic: list[ScoreView]


class SurveyScores(BaseModel):
    start: datetime
    end: datetime
    kinds: list[KindScoresView]

    @classmethod
    def of(cls, start: datetime, end: datetime, found: list[KindScores]) -> SurveyScores:
        return cls.model_validate(
            {"start": start, "end": end, "kinds": [dataclasses.asdict(k) for k in found]}
        )


# ---- email and SMS contacts (issue #12) --------------------------------------------------------------


class DirectoryEntryView(BaseModel):
    id: str
    name: str
    email: str
    phone: str
    urgency: str


class ContactSettings(BaseModel):
    on_call: str | None = Field(description="Who an SLA breach of a non-crisis case reaches")
    preferences: list[ContactPreference]
    directory: list[DirectoryEntryView] = Field(
        description="The escalation directory (edited in the configuration)"
    )


class ContactSettingsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on_call: Annotated[Email | None, Field(description="Who is on call (a supervisor's email)")] = None
    preferences: Annotated[list[ContactPreference], Field(max_length=500)] = []


# ---- users (the admin console) --------------------------------------------------------------------

Role = Literal["agent", "trainee", "reviewer", "supervisor", "admin", "auditor"]
assert get_args(Role) == ROLES, "Role must list shared/models/roles.ROLES"


class InviteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Annotated[Role, Field(description="The person's Heard role (their Cognito group)")]
    teams: Annotated[list[Slug], Field(max_length=50, description="The teams they work in")] = []
    skills: Annotated[list[Slug], Field(max_length=50, description="e.g. spanish, billing")] = []
    probation_until: Annotated[
        date | None, Field(description="Last day their replies wait for approval (R12)")
    ] = None


class UserChange(BaseModel):
    """Only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    enabled: Annotated[bool | None, Field(description="false: the person can no longer sign in")] = None
    teams: Annotated[list[Slug] | None, Field(max_length=50)] = None
    skills: Annotated[list[Slug] | None, Field(max_length=50)] = None
    probation_until: Annotated[date | None, Field(description="null ends probation at once")] = None


class UserView(BaseModel):
    email: str
    role: str | None
    enabled: bool
    status: Annotated[str, Field(description="FORCE_CHANGE_PASSWORD until an invited person signs in")]
    teams: list[str]
    skills: list[str]
    probation_until: date | None = None


class UserList(BaseModel):
    items: list[UserView]


# ---- automatic answers (R17) ----------------------------------------------------------------------


class AutoAnswersSwitch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: Annotated[bool, Field(description="Automatic answers to plain questions, on or off")]
    topics_off: Annotated[
        list[Slug], Field(max_length=200, description="Topics never answered automatically")
    ] = []


class AutoTopicView(BaseModel):
    id: str
    operation: str
    on: bool


class AutoAnswerRef(BaseModel):
    id: str
    question: str


class AutoAnswersView(BaseModel):
    enabled: bool
    topics: list[AutoTopicView]
    answers: list[AutoAnswerRef]


class PreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(min_length=1, max_length=2000, description="A sample customer message")]
    platform: Annotated[Platform, Field(description="Where it was written")] = Platform.FACEBOOK


class PreviewTriage(BaseModel):
    category: str
    sentiment: str
    topic: str | None
    pii: bool


class PreviewView(BaseModel):
    outcome: Annotated[
        Literal["answer", "alert", "person"],
        Field(
            description="answer: sent automatically; alert: complicated, a person answers and supervisors "
            "are alerted; person: a person answers"
        ),
    ]
    answer_id: str | None
    answer: Annotated[
        str | None, Field(description="What the customer would receive (with the contact line)")
    ]
    matched: list[str]
    reasons: list[str]
    triage: PreviewTriage


# ---- training on procedure changes (R26) ---------------------------------------------------------


class PublishChangeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Annotated[Literal["checklist", "answers", "procedures"], Field(description="What changed")]
    title: Annotated[str, Field(min_length=3, max_length=120)]
    summary: Annotated[
        str, Field(min_length=3, max_length=4000, description="What changed, for agents to read")
    ]
    questions: Annotated[list[CheckQuestion], Field(min_length=1, max_length=10)]


class ChangeView(BaseModel):
    version: int
    kind: str
    title: str
    summary: str
    questions: list[CheckQuestion]
    published_by: str
    published_at: datetime


class CheckQuestionView(BaseModel):
    prompt: str
    choices: list[str]


class AgentChangeView(BaseModel):
    version: int
    kind: str
    title: str
    summary: str
    questions: list[CheckQuestionView]
    published_by: str
    published_at: datetime


class TrainingView(BaseModel):
    change: AgentChangeView | None
    trained: Annotated[
        bool, Field(description="false: your replies wait for approval until you pass the check")
    ]


class AttemptRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: Annotated[
        list[Annotated[int, Field(ge=0, le=5)]], Field(max_length=10, description="A choice per question")
    ]


class AttemptView(BaseModel):
    passed: bool
    wrong: Annotated[list[int], Field(description="The questions answered wrongly (0-based)")]
    version: int


class TrainedPerson(BaseModel):
    email: str
    trained: bool
    at: datetime | None = None


class TrainingStatusView(BaseModel):
    version: int
    title: str
    people: list[TrainedPerson]
