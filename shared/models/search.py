"""Finding cases: what the search index holds for a case, what a search asks, and what it answers.

The index is fed off the hot path (docs/decisions.md, 2026-12-03): the cases table's stream tells the
indexer which cases changed; it reads the case and its timeline and stores a `SearchDoc`. A search answers from the
index alone, so a list of 50 hits costs no read of the cases table.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shared.models.case import CaseStatus
from shared.models.interaction import Platform
from shared.models.triage import Category, Sentiment

AT_RISK_MINUTES = 15  # a reply due within this is "at risk" (the SLA filter and the list's colour)


class SlaState(StrEnum):
    BREACHED = "breached"  # the first-response target was missed
    AT_RISK = "at_risk"  # a reply is due within AT_RISK_MINUTES
    ON_TIME = "on_time"  # a reply is due later
    NONE = "none"  # nothing awaits a reply (answered, waiting on the customer, resolved)


class SortOrder(StrEnum):
    URGENT = "urgent"  # open first, then priority (1 first), then the reply due soonest: the default
    SLA_DUE = "sla_due"  # the reply due soonest first; nothing due last
    PRIORITY = "priority"  # priority 1 first, newest within a priority
    WAITING = "waiting"  # the customer who has waited longest for a reply first
    NEWEST = "newest"  # most recently changed first


class SearchDoc(BaseModel):
    """One case as the index holds it: the filters' fields and the words it is found by."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    version: int = 0  # the case's version: an index never replaces a newer state with an older one
    status: str
    team: str
    owner: str | None = None
    priority: int
    category: str
    sentiment: str
    platform: str
    channel: str
    tags: list[str] = []
    opened_at: datetime
    updated_at: datetime
    last_customer_at: datetime
    reply_due: datetime | None = None
    sla_breached: bool = False
    resolved_at: datetime | None = None
    customer_name: str | None = None
    customer_handle: str | None = None
    customer_id: str
    customer_key: str  # platform#author id: the customer this case belongs to
    summary: str = ""
    words: str = ""  # the messages, replies and notes (masked text) the case is found by
    keys: list[str] = []  # contact keys (hashed emails and phones) and order numbers given in messages


class SearchQuery(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    text: Annotated[str, Field(max_length=200)] = ""
    status: CaseStatus | None = None
    team: Annotated[str | None, Field(pattern=r"^[a-z][a-z0-9-]{0,39}$")] = None
    owner: Annotated[str | None, Field(max_length=320)] = None  # an email, or "me"
    priority: Annotated[int | None, Field(ge=1, le=4)] = None
    category: Category | None = None
    sentiment: Sentiment | None = None
    platform: Platform | None = None
    tag: Annotated[str | None, Field(max_length=40)] = None
    sla: SlaState | None = None
    opened_from: datetime | None = None
    opened_to: datetime | None = None
    sort: SortOrder = SortOrder.URGENT
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    offset: Annotated[int, Field(ge=0, le=10_000)] = 0


class SearchPage(BaseModel):
    items: list[SearchDoc]
    next_offset: int | None = None  # None when there is nothing more


class SavedView(BaseModel):
    """An agent's named search (words, filters and order), kept for them across devices."""

    model_config = ConfigDict(frozen=True)

    owner: str
    view_id: str  # time-sortable
    name: Annotated[str, Field(min_length=1, max_length=60)]
    query: SearchQuery
    created_at: datetime
