"""Collision (issue #10): who else has a case open or is typing, and no second reply to a customer who
was answered meanwhile."""

from __future__ import annotations

from datetime import datetime

from shared import clock
from shared.errors import Conflict
from shared.models.agent import Agent
from shared.models.case import TimelineKind
from shared.models.presence import Presence
from shared.usecases.deps import Deps

QUOTE = 200  # characters of the colleague's reply quoted in the refusal


def heartbeat(deps: Deps, agent: Agent, case_id: str, typing: bool) -> list[Presence]:
    """The agent has the case open (and is typing, or not); answers who else has it open now."""
    deps.cases.get(case_id)  # NotFound for a case that does not exist
    now = clock.now()
    deps.presence.touch(Presence(case_id=case_id, email=agent.email, typing=typing, at=now))
    others = [p for p in deps.presence.present(case_id, now) if p.email != agent.email]
    return sorted(others, key=lambda p: p.email)


def ensure_not_answered_meanwhile(deps: Deps, agent: Agent, case_id: str, seen_until: datetime) -> None:
    """Refuse (409) a reply when someone else replied after the newest reply the agent had seen: the
    customer has been answered meanwhile, and the agent should read that answer first."""
    _case, timeline = deps.cases.get_with_timeline(case_id)
    newer = [
        e
        for e in timeline
        if e.kind is TimelineKind.REPLY
        and e.actor != agent.email
        and e.at > seen_until
        and e.data.get("delivery") != "rejected"
    ]
    if newer:
        latest = max(newer, key=lambda e: e.at)
        quote = latest.text if len(latest.text) <= QUOTE else latest.text[: QUOTE - 1] + "…"
        raise Conflict(
            f"{latest.actor} answered this customer meanwhile, at {clock.iso(latest.at)}: “{quote}” "
            "Read their reply; your text is kept, send it only if it is still needed."
        )
