"""Saved replies (macros): a team's or one agent's, searchable by keyword, inserted with variables filled."""

from __future__ import annotations

from collections.abc import Iterable

from shared import clock
from shared.errors import Forbidden, InvalidInput
from shared.ids import new_id
from shared.models.agent import Agent
from shared.models.knowledge import MacroScope, SavedReply
from shared.usecases.deps import Deps
from shared.usecases.knowledge import check_variables, filled


def _owner(deps: Deps, agent: Agent, scope: MacroScope, team: str | None) -> str:
    if scope is MacroScope.PERSONAL:
        return agent.email
    if not team:
        raise InvalidInput("team: a team's saved reply names its team")
    if team not in {t.id for t in deps.config.get().teams}:
        raise InvalidInput(f"team: no team {team!r}")
    return team


def create(
    deps: Deps,
    agent: Agent,
    scope: MacroScope,
    team: str | None,
    title: str,
    body: str,
    keywords: list[str],
) -> SavedReply:
    """A personal saved reply is the agent's own; a team's is written by a supervisor."""
    if scope is MacroScope.TEAM and not agent.is_supervisor:
        raise Forbidden("only a supervisor may save a reply for a whole team")
    check_variables(title=title, body=body)
    macro = SavedReply(
        macro_id=new_id("m", clock.now()),
        scope=scope,
        owner=_owner(deps, agent, scope, team),
        title=title,
        body=body,
        keywords=[k.strip().lower() for k in keywords if k.strip()],
        created_by=agent.email,
        updated_at=clock.now(),
    )
    deps.knowledge.put_macro(macro)
    return macro


def _matches(macro: SavedReply, words: Iterable[str]) -> bool:
    haystack = " ".join((macro.title, macro.body, *macro.keywords)).lower()
    return all(w in haystack for w in words)


def search(deps: Deps, agent: Agent, team: str | None, query: str) -> list[SavedReply]:
    """The agent's own saved replies and the team's, whose title, text or keywords hold every word."""
    found = list(deps.knowledge.macros(MacroScope.PERSONAL, agent.email))
    if team:
        found += deps.knowledge.macros(MacroScope.TEAM, _owner(deps, agent, MacroScope.TEAM, team))
    words = query.lower().split()
    return sorted((m for m in found if _matches(m, words)), key=lambda m: (m.scope != "personal", m.title))


def delete(deps: Deps, agent: Agent, scope: MacroScope, team: str | None, macro_id: str) -> None:
    if scope is MacroScope.TEAM and not agent.is_supervisor:
        raise Forbidden("only a supervisor may delete a team's saved reply")
    deps.knowledge.delete_macro(scope, _owner(deps, agent, scope, team), macro_id)


def insert(deps: Deps, agent: Agent, text: str, case_id: str) -> str:
    """A saved reply's text with this case's variables filled (the console sends the macro's body)."""
    check_variables(text=text)
    return filled(deps, text, deps.cases.get(case_id), agent.email)
