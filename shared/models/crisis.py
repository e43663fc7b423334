"""A declared crisis (R6, R15) and the records around it: spike suggestions and agents' availability."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shared.models.config import EmailStr, Slug


class CrisisStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class HoldingStatement(BaseModel):
    """The approved public answer while the facts are being established."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: Annotated[str, Field(min_length=1, max_length=600)]
    next_update: Annotated[str, Field(min_length=1, max_length=80, description='e.g. "by 15:00 UTC"')]
    more_info: Annotated[str, Field(min_length=1, max_length=200, description="a URL or where to look")]

    def compose(self) -> str:
        """What customers read (the contact line is added by casework.compose)."""
        text = self.text.strip()
        if text[-1] not in ".!?":
            text += "."
        return f"{text} Next update: {self.next_update.strip().rstrip('.')}. More: {self.more_info.strip()}"


class CrisisEvent(BaseModel):
    """One line of a crisis's own history: declared, statement updated, ended."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    actor: str
    action: Annotated[str, Field(pattern=r"^(declared|updated|ended)$")]
    statement_version: int
    note: str = ""
    statement: str = ""  # what customers read in this version (the public status page's history)


class Crisis(BaseModel):
    model_config = ConfigDict(frozen=True)

    crisis_id: str
    crisis_type: Slug  # a config crisis_types id
    name: Annotated[str, Field(min_length=1, max_length=120)]
    keywords: list[str] = []
    topics: list[str] = []
    status: CrisisStatus = CrisisStatus.ACTIVE
    statement: HoldingStatement
    statement_version: int = 1
    team: Slug
    point_person: EmailStr
    backup: EmailStr
    declared_by: str
    declared_at: datetime
    updated_at: datetime
    ended_at: datetime | None = None
    status_url: str = ""  # the public status page (R15: "where to find more"), linked from every reply
    closing_statement: str = ""  # the final update sent to everyone affected when the crisis ends
    history: list[CrisisEvent] = []
    version: int = 1  # optimistic locking, like cases

    @property
    def is_active(self) -> bool:
        return self.status is CrisisStatus.ACTIVE

    def public_text(self) -> str:
        """What the current version says to customers: the holding statement, or the closing one."""
        if not self.is_active and self.closing_statement:
            text = self.closing_statement.strip()
            if text[-1] not in ".!?":
                text += "."
            return f"{text} This is our final update. More: {self.statement.more_info.strip()}"
        return self.statement.compose()

    def customer_text(self) -> str:
        """What a reply says: the current version and, where there is one, the status page's link."""
        text = self.public_text()
        return f"{text} Status: {self.status_url}" if self.status_url else text


class SpikeSuggestion(BaseModel):
    """A spike the detector found: "consider declaring a crisis" for supervisors."""

    model_config = ConfigDict(frozen=True)

    suggestion_id: str
    series: str  # "negative", "all" or "topic:<id>"
    bucket: datetime  # the 5-minute bucket that spiked (start)
    count: int
    baseline_mean: float
    baseline_sd: float
    threshold: float
    detected_at: datetime
    suggested_types: list[str] = []  # crisis types whose topics or keywords fit the series
    notified: list[str] = []
    covered_by: str | None = None  # an active crisis that already covers it (no alert then)


class Availability(BaseModel):
    model_config = ConfigDict(frozen=True)

    email: str
    away: bool = False
    backup: str | None = None
    updated_at: datetime
