"""What intake did with one interaction."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    OPENED = "opened"
    CONTINUED = "continued"
    REOPENED = "reopened"
    SURVEY_ANSWERED = "survey_answered"  # a score for the case's survey: the case stays resolved
    DUPLICATE = "duplicate"
    UPDATED = "updated"  # echo, edit, delete or status applied
    UNMATCHED = "unmatched"  # an update for something we do not hold
    IGNORED = "ignored"


@dataclass(frozen=True)
class IntakeResult:
    outcome: Outcome
    case_id: str | None = None


def message_key(platform: str, platform_id: str) -> str:
    return f"{platform}#{platform_id}"
