"""Crisis ownership (R6): a new case of a declared crisis type belongs to the type's point person at once;
when they are away or at capacity it goes to the backup, and when the backup cannot take it either it waits
in the crisis team's queue. Who got it and why is on the case's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.models.case import TimelineEntry, TimelineKind
from shared.models.config import CrisisType, HeardConfig
from shared.models.timeline import SYSTEM, handed_over, new_entry
from shared.usecases.deps import Deps


@dataclass(frozen=True)
class CrisisOwner:
    """Who owns a new crisis case (None: nobody can, it waits in the team's queue) and what to say."""

    owner: str | None
    point_person: str
    team: str  # the crisis type's team, where the case is routed
    text: str

    def entry(self, case_id: str, at: datetime) -> TimelineEntry:
        if self.owner == self.point_person:
            return new_entry(
                case_id=case_id,
                kind=TimelineKind.ASSIGNED,
                at=at,
                actor=SYSTEM,
                text=self.text,
                data={"crisis_owner": self.owner},
            )
        return handed_over(case_id, at, self.text, self.point_person, self.owner)


def _unavailable(deps: Deps, email: str, capacity: int) -> str | None:
    """Why `email` cannot take a crisis case now, or None when they can."""
    availability = deps.crises.availability(email)
    if availability and availability.away:
        return "is away"
    if deps.cases.count_open_by_owner(email) >= capacity:
        return f"is at capacity ({capacity} open cases)"
    return None


def choose(deps: Deps, config: HeardConfig, crisis_type: str | None) -> CrisisOwner | None:
    """The owner of a new case of `crisis_type` (None when it is not a configured crisis type)."""
    kind: CrisisType | None = next((c for c in config.crisis_types if c.id == crisis_type), None)
    if kind is None:
        return None
    point, backup = kind.point_person.lower(), kind.backup.lower()
    capacity = config.team(kind.team).agent_capacity
    why_not_point = _unavailable(deps, point, capacity)
    if why_not_point is None:
        return CrisisOwner(point, point, kind.team, f"{kind.name}: owned by its point person {point}.")
    why_not_backup = _unavailable(deps, backup, capacity) if backup != point else "is the point person"
    if why_not_backup is None:
        return CrisisOwner(
            backup,
            point,
            kind.team,
            f"{kind.name}: the point person {point} {why_not_point}; handed to the backup {backup}.",
        )
    return CrisisOwner(
        None,
        point,
        kind.team,
        f"{kind.name}: the point person {point} {why_not_point} and the backup {backup} {why_not_backup}; "
        f"waits in the {kind.team} queue.",
    )
