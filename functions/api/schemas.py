"""The API's request and response models (separate from the domain entities, mapped explicitly)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from shared.models.case import Case, TimelineEntry


class ReplyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(min_length=1, max_length=8000, description="What to send to the customer")]
    private: Annotated[bool, Field(description="Move to a private channel (DM) where the platform allows it")] = False


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, Field(max_length=2000)] = ""


class FollowUpDoneRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, Field(max_length=2000)] = ""


class ReportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: datetime | None = Field(default=None, description="Period start (default: 24 hours before end)")
    end: datetime | None = Field(default=None, description="Period end (default: now)")


class CustomerView(BaseModel):
    id: str
    name: str | None = None
    handle: str | None = None
    followers: int | None = None


class FollowUpView(BaseModel):
    label: str
    due_at: datetime
    state: str


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
    action: str
    pii: list[str]
    platform: str
    channel: str
    customer: CustomerView
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

    @classmethod
    def of(cls, case: Case) -> CaseView:
        data = case.model_dump(mode="json", exclude={"reply_context", "version", "conversation_id", "sentiment_score",
                                                     "assigned_at"})
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
    generated_at: datetime
    requested_by: str
    period_start: datetime
    period_end: datetime
    case_count: int
    sla_compliance_pct: float | None = None


class ReportList(BaseModel):
    items: list[ReportView]


class ReportAnswer(BaseModel):
    report: ReportView


class DownloadAnswer(BaseModel):
    url: str


class ErrorAnswer(BaseModel):
    message: str
