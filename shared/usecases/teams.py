"""Teams and the people in them (R7): who belongs to which team and what they are good at.

Membership lives in the configuration (each team's `members`, each person's `skills` in `people`), so it
is validated with the rest of it and deployed the same way. Supervisors see the roster and move people
between teams; every change is validated as a whole configuration, stored, and logged with who made it.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from shared.errors import InvalidInput
from shared.models.agent import Agent
from shared.models.config import HeardConfig
from shared.observability import logger, metrics
from shared.usecases.deps import Deps


def roster(deps: Deps) -> list[dict[str, Any]]:
    """Every team with its members and their skills."""
    config = deps.config.get()
    return [
        {
            "id": team.id,
            "name": team.name,
            "languages": list(team.languages),
            "skills": list(team.skills),
            "agent_capacity": team.agent_capacity,
            "members": [{"email": m, "skills": sorted(config.skills_of(m))} for m in team.members],
        }
        for team in config.teams
    ]


def person(config: HeardConfig, email: str) -> dict[str, Any]:
    found = next((p for p in config.people if p.email.lower() == email.lower()), None)
    return {
        "email": email.lower(),
        "teams": config.teams_of(email),
        "skills": sorted(config.skills_of(email)),
        "probation_until": found.probation_until if found else None,
    }


_KEEP: Any = object()  # "leave as it is" for with_person's optional changes


def with_person(
    config: HeardConfig, email: str, teams: Any = _KEEP, skills: Any = _KEEP, probation_until: Any = _KEEP
) -> HeardConfig:
    """The configuration with `email` in exactly `teams`, with `skills` and `probation_until` (each only
    when given); everything else as it was."""
    email = email.lower()
    known = {t.id for t in config.teams}
    unknown = sorted(set(teams) - known) if teams is not _KEEP else []
    if unknown:
        raise InvalidInput(f"teams: unknown team(s) {unknown}; known teams: {sorted(known)}")
    document = config.model_dump(mode="json")
    if teams is not _KEEP:
        for team in document["teams"]:
            others = [m for m in team["members"] if m.lower() != email]
            team["members"] = others + [email] if team["id"] in teams else others
    earlier = next((p for p in document["people"] if p["email"].lower() == email), {"email": email})
    entry = {
        **earlier,
        **({"skills": sorted(set(skills))} if skills is not _KEEP else {}),
        **({"probation_until": probation_until} if probation_until is not _KEEP else {}),
    }
    people = [p for p in document["people"] if p["email"].lower() != email]
    if entry.get("skills") or entry.get("probation_until"):
        people.append({**entry, "email": email})
    document["people"] = people
    try:
        return HeardConfig.model_validate(document)
    except ValidationError as error:  # e.g. a skill that is not a slug slipped past the route's schema
        raise InvalidInput(
            f"the change would make the configuration invalid: {error.errors()[0]['msg']}"
        ) from error


def set_person(deps: Deps, actor: Agent, email: str, teams: list[str], skills: list[str]) -> dict[str, Any]:
    """Put `email` in exactly `teams` (out of every other) with exactly `skills`."""
    email = email.lower()
    config = deps.config.refresh()
    before = person(config, email)
    updated = with_person(config, email, teams=teams, skills=skills)
    deps.config.put(updated)
    after = person(updated, email)
    metrics.add_metric(name="TeamMembershipChanged", unit="Count", value=1)
    logger.warning(
        "team membership changed",
        extra={"by": actor.email, "person": email, "before": before, "after": after},
    )
    return after
