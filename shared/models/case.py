"""A case: one customer's problem, owned by one specialist from start to finish (R8, R18)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from shared.models.interaction import Author, Channel, Platform
from shared.models.survey import Survey
from shared.models.triage import Action, Category, Sentiment


class CaseStatus(StrEnum):
    QUEUED = "queued"  # waiting in a team's work queue
    ASSIGNED = "assigned"  # an agent owns it
    RESOLVED = "resolved"

    @property
    def is_open(self) -> bool:
        return self is not CaseStatus.RESOLVED


class ResolutionReason(StrEnum):
    """Why a case was resolved. Spam stops the SLA clock like any resolution, and is never followed up."""

    SOLVED = "solved"
    NO_REPLY_NEEDED = "no_reply_needed"
    DUPLICATE = "duplicate"
    SPAM = "spam"


class TimelineKind(StrEnum):
    MESSAGE_IN = "message_in"  # the customer wrote
    MESSAGE_EDITED = "message_edited"
    MESSAGE_DELETED = "message_deleted"
    REPLY = "reply"  # an agent's (or automatic) reply; its delivery state is updated in place
    AGENT_ECHO = "agent_echo"  # a reply sent outside Heard (e.g. from Meta's own apps)
    DELIVERY = "delivery"  # sent / delivered / read / failed for a reply
    TRIAGED = "triaged"
    ROUTED = "routed"
    ASSIGNED = "assigned"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    SLA_BREACHED = "sla_breached"
    FOLLOWUPS_SCHEDULED = "followups_scheduled"
    FOLLOWUP_DUE = "followup_due"
    ESCALATED = "escalated"
    NOTE = "note"  # internal: never shown to the customer
    TAGGED = "tagged"  # the case's tags were edited
    SNOOZED = "snoozed"  # waiting on the customer, or snoozed until a time: the SLA clock pauses
    CRISIS = "crisis"  # tagged as part of a declared crisis
    HANDED_OVER = "handed_over"  # the owner is away: given to their backup (or back to the queue)
    REPLY_APPROVED = "reply_approved"  # a supervisor let a trainee's reply go public (R12)
    REPLY_REJECTED = "reply_rejected"  # ... or sent it back with feedback
    EMPATHY_GRADED = "empathy_graded"  # the first reply's blind empathy grade (R11)
    MODERATED = "moderated"  # a comment hidden, unhidden or deleted, a person blocked or unblocked (#16)
    SURVEY = "survey"  # the satisfaction survey was scheduled, sent or skipped (R21)
    SURVEY_ANSWERED = "survey_answered"  # the customer's score; the case stays resolved
    ERASED = "erased"  # the customer's personal data was erased on request (GDPR art. 17)
    MOVED_PRIVATE = "moved_private"  # moved to a private conversation; the customer's DM reached the case
    LOOKED_UP = "looked_up"  # an agent looked up an order or the customer in the company's systems
    DRAFT_GENERATED = "draft_generated"  # writing help drafted a reply for an agent (never sent by itself)


class FollowUp(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str  # "1 week", "1 month", "6 months"
    due_at: datetime
    state: str = "scheduled"  # scheduled -> due -> done


class Case(BaseModel):
    """The domain entity. Mapped to and from DynamoDB items by the cases repository."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    status: CaseStatus
    team: str
    owner: str | None = None
    priority: Annotated[int, Field(ge=1, le=4)] = 3
    priority_reasons: list[str] = []
    category: Category = Category.OTHER
    sentiment: Sentiment = Sentiment.NEUTRAL
    sentiment_score: float = 0.0
    first_sentiment: Sentiment | None = None  # sentiment conversion, first -> last message (R21)
    topic: str = "general"
    operation: str = "general"
    language: str = "und"
    crisis: str | None = None  # the crisis type (config crisis_types id)
    crisis_id: str | None = None  # the declared crisis the case belongs to
    crisis_statement_version: int = 0  # the holding statement version already sent automatically (0 = none)
    updates_opt_out: bool = False  # the customer asked for no more crisis updates (docs/outreach.md)
    action: Action = Action.ANSWER
    pii: list[str] = []
    platform: Platform
    channel: Channel
    customer: Author
    # The brand and connected account the conversation came in through (issue #16); None: the default
    # brand's single-account setup.
    brand: str | None = None
    connected_account: str | None = None
    conversation_id: str
    # What the outbound connector needs to answer in the same place (last inbound message's reply context).
    reply_context: dict[str, str] = {}
    summary: str = ""  # the first message's text (redacted), for lists
    opened_at: datetime
    updated_at: datetime
    last_customer_at: datetime
    # SLA (R10): every customer message awaiting an answer has a due time in business time; the SLA monitor
    # finds overdue ones through a sparse index on `reply_due`.
    reply_due: datetime | None = None
    first_response_due: datetime | None = None
    first_response_at: datetime | None = None
    assigned_at: datetime | None = None
    reply_window_until: datetime | None = None  # when the platform stops accepting a reply in this channel
    resolved_at: datetime | None = None
    sla_breached: bool = False
    message_count: int = 1
    reply_count: int = 0
    followups: list[FollowUp] = []
    routing_reason: str = ""
    tags: list[str] = []  # agents' own labels, edited on the case view
    resolution: ResolutionReason | None = None  # why it was resolved (None while open, and for old cases)
    snoozed_until: datetime | None = None  # set aside until then; its reply due time moved by as much
    waiting_since: datetime | None = None  # waiting on the customer since then (until they write again)
    required_skills: list[str] = []  # what an agent needs to claim it (routing rule's skills, R7)
    # Moderation (issue #16): the customer's comments now hidden on the platform, and whether the customer
    # is blocked there; the console offers the undo.
    hidden_ids: list[str] = []
    author_blocked: bool = False
    # Blind empathy review (R11): who wrote the first human reply, and its grade (1-5) once reviewed.
    first_responder: str | None = None
    empathy: Annotated[int | None, Field(ge=1, le=5)] = None
    survey: Survey | None = None  # the satisfaction survey after resolution (R21): at most one per case
    # Erasure on request (docs/privacy.md): the case stays (counts, times, classifications) without the person.
    erased_at: datetime | None = None
    erasure_id: str | None = None
    # The case in a few sentences (POST /api/cases/{id}/summary, issue #11): what lists and reports show
    # instead of the first message; by which backend ("builtin" or "bedrock:<model>"), and when.
    brief: str = ""
    brief_by: str | None = None
    brief_at: datetime | None = None
    version: int = 0  # optimistic locking: every save expects the version it read

    @property
    def customer_key(self) -> str:
        # A customer writing to two brands has two conversations, one per brand's team (issue #16).
        key = f"{self.platform.value}#{self.customer.id}"
        return f"{key}#{self.brand}" if self.brand else key

    @property
    def awaiting_first_response(self) -> bool:
        return self.first_response_at is None and self.status.is_open


class TimelineEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    case_id: str
    entry_id: str
    kind: TimelineKind
    at: datetime
    actor: str  # "customer", "system", an agent's email, "platform"
    text: str = ""
    data: dict[str, Any] = {}
