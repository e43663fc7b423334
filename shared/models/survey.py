"""Customer satisfaction surveys (R21): CSAT (1-5) or NPS (0-10), one per case, sent after resolution.

A case carries its survey's state (`Case.survey`); an answered survey also becomes a `SurveyAnswer`, the
small record the scores are computed from (one per case: a corrected answer replaces it).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shared.models.interaction import Channel, Platform


class SurveyKind(StrEnum):
    CSAT = "csat"  # "how satisfied were you", 1 (very unsatisfied) to 5 (very satisfied)
    NPS = "nps"  # "how likely are you to recommend us", 0 to 10

    @property
    def lowest(self) -> int:
        return 1 if self is SurveyKind.CSAT else 0

    @property
    def highest(self) -> int:
        return 5 if self is SurveyKind.CSAT else 10


class SurveyState(StrEnum):
    SCHEDULED = "scheduled"  # resolved; the send is scheduled after the configured delay
    SENT = "sent"  # asked through the customer's channel; waiting for the answer
    ANSWERED = "answered"
    SKIPPED = "skipped"  # not sent, with the reason (window closed, case reopened, switched off)


DEFAULT_WORDING = {
    SurveyKind.CSAT: "How satisfied are you with how we handled this? Reply with a number from 1 (not at all) "
    "to 5 (very satisfied).",
    SurveyKind.NPS: "How likely are you to recommend us to a friend? Reply with a number from 0 (not at all) "
    "to 10 (extremely likely).",
}


class SurveySetting(BaseModel):
    """One channel's survey: on or off, which kind, its words, and how long after resolution it goes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    platform: Platform
    channel: Channel = Channel.DIRECT
    enabled: bool = True
    kind: SurveyKind = SurveyKind.CSAT
    # Empty: the default question for the kind (DEFAULT_WORDING).
    wording: Annotated[str, Field(max_length=500)] = ""
    # EventBridge Scheduler's one-time schedules need a moment in the future: at least a minute.
    delay_minutes: Annotated[int, Field(ge=1, le=1440)] = 10

    @property
    def question(self) -> str:
        return self.wording.strip() or DEFAULT_WORDING[self.kind]


class Survey(BaseModel):
    """A case's survey."""

    model_config = ConfigDict(frozen=True)

    kind: SurveyKind
    state: SurveyState
    scheduled_for: datetime
    sent_at: datetime | None = None
    via: str | None = None  # "message", or "template" where the platform requires one outside its window
    reply_id: str | None = None  # the survey's reply entry on the timeline
    # Named in its quick-answer buttons' payloads (`heard-survey:<id>:<score>`): a button of another
    # survey (an older case's, or forged) is not an answer to this one.
    survey_id: str | None = None
    answered_by: str | None = None  # "button" when a quick-answer button gave the score, else "text"
    skipped_reason: str | None = None
    score: int | None = None
    answered_at: datetime | None = None
    answer_text: str | None = None  # what the customer wrote (masked), for the case view


class SurveyAnswer(BaseModel):
    """An answered survey, as the scores see it: who handled the case, in which team, on which topic."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    kind: SurveyKind
    score: int
    scheduled_for: datetime  # the period a score counts in is the one its survey was scheduled in
    answered_at: datetime
    agent: str | None
    team: str
    topic: str
    platform: Platform
