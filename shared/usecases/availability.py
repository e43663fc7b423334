"""Owner away -> backup (R8): an agent marks themself away and names a backup.

A customer who writes again reaches the specialist who owns their case; when that owner is away, intake
hands the case to the backup (when the backup is not away too) or back to the team's queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared import clock
from shared.errors import InvalidInput
from shared.ids import new_id
from shared.models.case import CaseStatus, TimelineEntry, TimelineKind
from shared.models.crisis import Availability
from shared.observability import logger, metrics
from shared.usecases import crisis as crises
from shared.usecases.casework import Agent
from shared.usecases.deps import Deps


def get(deps: Deps, agent: Agent) -> Availability:
    return crises.store(deps).availability(agent.email) or Availability(
        email=agent.email, updated_at=clock.now()
    )


def set_availability(deps: Deps, agent: Agent, away: bool, backup: str | None) -> Availability:
    backup = backup.strip().lower() if backup else None
    if backup == agent.email:
        raise InvalidInput("you cannot be your own backup")
    availability = Availability(email=agent.email, away=away, backup=backup, updated_at=clock.now())
    crises.store(deps).set_availability(availability)
    logger.info("availability set", extra={"agent": agent.email, "away": away, "backup": backup})
    return availability


@dataclass(frozen=True)
class Handover:
    owner: str | None
    status: CaseStatus
    entry: TimelineEntry


def hand_over_if_away(
    deps: Deps, case_id: str, owner: str | None, status: CaseStatus, team: str, now: datetime
) -> Handover | None:
    """When the owner of an assigned case is away: to their backup, else back to the team's queue."""
    if not owner or status is not CaseStatus.ASSIGNED:
        return None
    store = crises.store(deps)
    mine = store.availability(owner)
    if not mine or not mine.away:
        return None
    backup = store.availability(mine.backup) if mine.backup else None
    metrics.add_metric(name="CaseHandedOver", unit="Count", value=1)
    if mine.backup and not (backup and backup.away):
        text = f"{owner} is away: handed to their backup {mine.backup}."
        return Handover(
            mine.backup,
            CaseStatus.ASSIGNED,
            TimelineEntry(
                case_id=case_id,
                entry_id=new_id("e", now),
                kind=TimelineKind.HANDED_OVER,
                at=now,
                actor="system",
                text=text,
                data={"from": owner, "to": mine.backup},
            ),
        )
    why = f"their backup {mine.backup} is away too" if mine.backup else "they named no backup"
    return Handover(
        None,
        CaseStatus.QUEUED,
        TimelineEntry(
            case_id=case_id,
            entry_id=new_id("e", now),
            kind=TimelineKind.HANDED_OVER,
            at=now,
            actor="system",
            text=f"{owner} is away and {why}: back to the {team} queue.",
            data={"from": owner, "to": None},
        ),
    )
