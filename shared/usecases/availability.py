"""Owner away -> backup (R8): an agent marks themself away and names a backup.

A customer who writes again reaches the specialist who owns their case; when that owner is away, intake
hands the case to the backup (when the backup is not away too) or back to the team's queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared import clock
from shared.errors import InvalidInput
from shared.models.agent import Agent
from shared.models.case import CaseStatus, TimelineEntry
from shared.models.crisis import Availability
from shared.models.timeline import handed_over
from shared.observability import logger, metrics
from shared.usecases.deps import Deps


def get(deps: Deps, agent: Agent) -> Availability:
    return deps.crises.availability(agent.email) or Availability(email=agent.email, updated_at=clock.now())


def agents(deps: Deps) -> frozenset[str]:
    """The real, active agents: everyone a team lists as a member in the configuration (lower-case)."""
    return frozenset(m.lower() for team in deps.config.get().teams for m in team.members)


def set_availability(deps: Deps, agent: Agent, away: bool, backup: str | None) -> Availability:
    backup = backup.strip().lower() if backup else None
    if backup == agent.email:
        raise InvalidInput("you cannot be your own backup")
    if backup and backup not in agents(deps):
        # A typo would orphan every case handed to it (#7.6): only a team's member can be a backup.
        raise InvalidInput(
            f"backup {backup} is not an active agent (a member of a team in the configuration)"
        )
    availability = Availability(email=agent.email, away=away, backup=backup, updated_at=clock.now())
    deps.crises.set_availability(availability)
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
    """When the owner of an assigned case is away: to their backup (an active agent who is not away
    too), else back to the team's queue."""
    if not owner or status is not CaseStatus.ASSIGNED:
        return None
    store = deps.crises
    mine = store.availability(owner)
    if not mine or not mine.away:
        return None
    metrics.add_metric(name="CaseHandedOver", unit="Count", value=1)
    why = _backup_unavailable(deps, mine.backup)
    if why is None and mine.backup:
        text = f"{owner} is away: handed to their backup {mine.backup}."
        return Handover(mine.backup, CaseStatus.ASSIGNED, handed_over(case_id, now, text, owner, mine.backup))
    text = f"{owner} is away and {why}: back to the {team} queue."
    return Handover(None, CaseStatus.QUEUED, handed_over(case_id, now, text, owner, None))


def _backup_unavailable(deps: Deps, backup: str | None) -> str | None:
    """Why the backup cannot take the case, or None when they can."""
    if not backup:
        return "they named no backup"
    if backup not in agents(deps):
        return f"their backup {backup} is no longer an active agent"
    theirs = deps.crises.availability(backup)
    if theirs and theirs.away:
        return f"their backup {backup} is away too"
    return None
