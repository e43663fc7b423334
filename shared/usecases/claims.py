"""Finding and taking work: list and open cases, queue depths, claim the most urgent (R8, R10, R18)."""

from __future__ import annotations

from typing import Any

from shared import clock
from shared.errors import Conflict, Forbidden, NotFound
from shared.models.agent import Agent
from shared.models.case import Case, CaseStatus, TimelineEntry, TimelineKind
from shared.models.config import HeardConfig
from shared.models.records import WorkItem
from shared.models.roles import REVIEWERS, WRITERS
from shared.models.timeline import new_entry
from shared.observability import logger, metrics
from shared.usecases.deps import Deps


def list_cases(
    deps: Deps,
    agent: Agent,
    *,
    status: CaseStatus | None,
    owner: str | None,
    team: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[Case], str | None]:
    if owner:
        email = agent.email if owner == "me" else owner
        return [c for c in deps.cases.list_by_owner(email, status, limit) if not team or c.team == team], None
    cases, next_cursor = deps.cases.list_by_status(status or CaseStatus.QUEUED, limit, cursor)
    return [c for c in cases if not team or c.team == team], next_cursor


def get_case(deps: Deps, case_id: str, reader: Agent | None = None) -> tuple[Case, list[TimelineEntry]]:
    """A case and its timeline. A reviewer who reads it is recorded: they may no longer grade its first
    reply blind (R11)."""
    case, timeline = deps.cases.get_with_timeline(case_id)
    if reader is not None and reader.groups & REVIEWERS:
        deps.quality.record_view(case_id, reader.email, clock.now())
    if reader is not None and not reader.groups & WRITERS:
        timeline = [_without_presend(e) for e in timeline]
    return case, timeline


def _without_presend(entry: TimelineEntry) -> TimelineEntry:
    """What the pre-send check said about a reply is for the people who work cases and supervisors, not
    for a reviewer (R13: shown to the blind reviewer's supervisor, not the reviewer)."""
    if "presend" not in entry.data:
        return entry
    return entry.model_copy(update={"data": {k: v for k, v in entry.data.items() if k != "presend"}})


def queues(deps: Deps) -> list[dict[str, Any]]:
    config = deps.config.get()
    answer = []
    for team in config.teams:
        depth = deps.work.depths(team.id) if team.id in deps.work.teams else {}
        answer.append({"team": team.id, "name": team.name, "depth": depth, "total": sum(depth.values())})
    return answer


def _check_member(config: HeardConfig, agent: Agent, team: str) -> None:
    """Agents and trainees claim only from their own teams' queues (R7); supervisors and admins cover any
    team."""
    if team not in {t.id for t in config.teams}:
        raise NotFound(f"team {team!r} does not exist")
    if not agent.is_supervisor and team not in config.teams_of(agent.email):
        mine = config.teams_of(agent.email)
        raise Forbidden(
            f"you are not a member of team {team!r}; your teams: {mine or 'none (ask a supervisor)'}"
        )


def _lacks_skills(config: HeardConfig, agent: Agent, case: Case) -> list[str]:
    """The skills the case needs that the agent does not have (supervisors and admins need none)."""
    if agent.is_supervisor or not case.required_skills:
        return []
    return sorted(set(case.required_skills) - config.skills_of(agent.email))


def claim_next(deps: Deps, agent: Agent, team: str) -> Case | None:
    """Hand the agent the most urgent waiting case of the team that they may take: they own it from now on
    (R8). Only the team's members claim from it, and a case that needs skills goes only to an agent who
    has them (R7); supervisors and admins may take any.

    Lanes are drained most urgent first. A message whose case is gone, already claimed or resolved is
    stale and discarded; one the agent lacks the skills for is left for a colleague (kept invisible until
    the search ends, so it is not seen twice); capacity is checked before anything is taken.
    """
    config = deps.config.get()
    _check_member(config, agent, team)
    capacity = config.team(team).agent_capacity
    if deps.cases.count_open_by_owner(agent.email) >= capacity:
        raise Conflict(
            f"you already own {capacity} open cases, the team's capacity per agent; resolve one first"
        )
    skipped: list[WorkItem] = []
    try:
        for _ in range(50):  # bounded: never loop forever on a lane full of stale messages
            item = deps.work.receive_next(team)
            if item is None:
                return None
            case = _live_case(deps, item, team)
            if case is None:
                continue
            if _lacks_skills(config, agent, case):
                skipped.append(item)
                continue
            claimed = _take(deps, agent, case, item, team)
            if claimed is not None:
                return claimed
        return None
    finally:
        for left in skipped:
            deps.work.release(left)


def _live_case(deps: Deps, item: WorkItem, team: str) -> Case | None:
    """The case a lane message points to, or None (message discarded) when it is stale."""
    try:
        case = deps.cases.get(item.case_id)
    except NotFound:
        deps.work.done(item)
        return None
    if case.status is not CaseStatus.QUEUED or case.team != team:
        deps.work.done(item)
        return None
    return case


def _take(deps: Deps, agent: Agent, case: Case, item: WorkItem, team: str) -> Case | None:
    now = clock.now()
    claimed = case.model_copy(
        update={
            "status": CaseStatus.ASSIGNED,
            "owner": agent.email,
            "assigned_at": now,
            "updated_at": now,
            "version": case.version + 1,
        }
    )
    entry = new_entry(
        case_id=case.case_id,
        kind=TimelineKind.ASSIGNED,
        at=now,
        actor=agent.email,
        text=f"Claimed by {agent.email} from the {team} queue.",
    )
    try:
        deps.cases.save(claimed, case.version, [entry])
    except Conflict:
        deps.work.release(item)  # someone changed it meanwhile; let the next claim look again
        return None
    deps.work.done(item)
    metrics.add_metric(name="CaseClaimed", unit="Count", value=1)
    logger.info("case claimed", extra={"case_id": case.case_id, "agent": agent.email, "team": team})
    return claimed
