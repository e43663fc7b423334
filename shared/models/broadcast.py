"""Crisis updates to everyone affected (docs/outreach.md): the job on the crisis-updates queue and the
progress of one statement version's delivery, shown on the crisis page."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class Skip(StrEnum):
    """Why a member of the crisis does not get this version."""

    OPTED_OUT = "opted_out"  # the customer asked for no more updates
    WINDOW_CLOSED = "window_closed"  # the platform no longer accepts a message in that conversation
    TOO_LONG = "too_long"  # the update does not fit the platform's limit
    ALREADY = "already"  # this version already reached them (automatically at intake, or earlier)
    LEFT = "left"  # the case is no longer part of this crisis


class BroadcastJob(BaseModel):
    """One page of a version's delivery: members after `cursor`, paced per platform.

    `used` counts what was queued per platform in the minute that began at `minute_started`, so the next
    page continues the same pacing instead of starting a new minute early."""

    model_config = ConfigDict(frozen=True)

    crisis_id: Annotated[str, Field(min_length=1, max_length=64)]
    statement_version: Annotated[int, Field(ge=1)]
    cursor: str | None = None
    minute_started: datetime | None = None
    used: dict[str, int] = {}


class Failure(BaseModel):
    model_config = ConfigDict(frozen=True)

    case_id: str
    platform: str
    reason: str
    at: datetime


class BroadcastProgress(BaseModel):
    """How far one version's delivery has come (counters updated atomically by the broadcaster and the
    dispatcher)."""

    model_config = ConfigDict(frozen=True)

    crisis_id: str
    statement_version: int
    started_at: datetime
    done_at: datetime | None = None  # every member has been looked at (sends may still be under way)
    superseded: bool = False  # a newer version started before this one reached everyone
    queued: int = 0
    sent: int = 0
    failed: int = 0
    skipped: dict[str, int] = {}  # Skip value -> count
    by_platform: dict[str, int] = {}  # queued per platform
    failures: list[Failure] = []  # newest first, at most FAILURES_SHOWN
