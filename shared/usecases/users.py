"""Admins manage people's accounts (the user pool) and where they work (the configuration).

An account is the user pool's (invite, role, disable/enable: the UserDirectory port, Cognito's admin APIs);
teams, skills and the probation end date are the configuration's (validated as a whole, so a bad change
stores nothing). Every change is logged with who made it; the API's audit trail records the request.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.errors import InvalidInput, NotFound
from shared.models.agent import Agent
from shared.models.config import HeardConfig
from shared.models.roles import ROLES
from shared.models.users import UserAccount
from shared.observability import logger, metrics
from shared.usecases.deps import Deps
from shared.usecases.teams import person, with_person


def view(account: UserAccount, config: HeardConfig) -> dict[str, Any]:
    return {**account.model_dump(), **person(config, account.email)}


def directory(deps: Deps) -> list[dict[str, Any]]:
    """Every account with its role, teams, skills and probation end."""
    config = deps.config.get()
    return [view(account, config) for account in deps.users.users()]


def _role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"role: unknown role {role!r}; roles: {list(ROLES)}")
    return role


def invite(
    deps: Deps,
    actor: Agent,
    email: str,
    role: str,
    teams: list[str],
    skills: list[str] = [],  # noqa: B006 (never mutated)
    probation_until: date | None = None,
) -> dict[str, Any]:
    """Create the account in `role`, then put the person in `teams` (checked first: nothing is created
    when the teams are wrong)."""
    email = email.lower()
    config = deps.config.refresh()
    updated = with_person(config, email, teams=teams, skills=skills, probation_until=probation_until)
    account = deps.users.invite(email, _role(role))
    deps.config.put(updated)
    metrics.add_metric(name="UserInvited", unit="Count", value=1)
    logger.warning("user invited", extra={"by": actor.email, "person": email, "role": role, "teams": teams})
    return view(account, updated)


def change(deps: Deps, actor: Agent, email: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply the given changes (role, enabled, teams, skills, probation_until); others stay."""
    email = email.lower()
    before = deps.users.user(email)  # NotFound for an unknown account
    if actor.email == email and (changes.get("enabled") is False or changes.get("role", "admin") != "admin"):
        raise InvalidInput("you cannot disable yourself or give up your own admin role")
    config = deps.config.refresh()
    placed = {k: changes[k] for k in ("teams", "skills", "probation_until") if k in changes}
    updated = with_person(config, email, **placed) if placed else config
    if "role" in changes and changes["role"] != before.role:
        deps.users.set_role(email, _role(changes["role"]))
    if "enabled" in changes and changes["enabled"] != before.enabled:
        deps.users.set_enabled(email, bool(changes["enabled"]))
    if placed:
        deps.config.put(updated)
    metrics.add_metric(name="UserChanged", unit="Count", value=1)
    logger.warning("user changed", extra={"by": actor.email, "person": email, "fields": sorted(changes)})
    return view(deps.users.user(email), updated)


def one(deps: Deps, email: str) -> dict[str, Any]:
    try:
        return view(deps.users.user(email.lower()), deps.config.get())
    except NotFound:
        raise NotFound(f"no account for {email}") from None
