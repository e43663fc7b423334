"""Training on procedure changes (R26) and the approval rule it shares with probation (R12).

A supervisor publishes a change (what changed, and a short check of their own questions). Until an agent
passes the check of the change in force, their replies wait for a supervisor's approval, like a trainee's.
Probation has a real end date (`people[].probation_until` in the configuration): until that day ends the
person's replies wait for approval; a trainee whose probation has ended replies directly.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shared import clock
from shared.errors import Conflict, InvalidInput, NotFound
from shared.models.agent import Agent
from shared.models.config import HeardConfig
from shared.models.roles import needs_approval
from shared.models.training import CheckQuestion, ProcedureChange
from shared.observability import logger, metrics
from shared.usecases.deps import Deps


def _probation_until(config: HeardConfig, email: str) -> date | None:
    found = next((p for p in config.people if p.email.lower() == email.lower()), None)
    return found.probation_until if found else None


def on_probation(config: HeardConfig, agent: Agent, today: date) -> bool:
    """Probation (R12): until their end date (inclusive); a trainee without one stays on probation."""
    if agent.is_supervisor:
        return False
    until = _probation_until(config, agent.email)
    if until is not None:
        return today <= until
    return needs_approval(agent.groups)


def untrained(deps: Deps, agent: Agent) -> ProcedureChange | None:
    """The change in force this agent has not passed the check of (supervisors and admins need none)."""
    if agent.is_supervisor:
        return None
    change = deps.training.current()
    if change is None or deps.training.passed(agent.email, change.version):
        return None
    return change


def must_wait(deps: Deps, agent: Agent) -> str | None:
    """Why this agent's reply waits for a supervisor's approval, or None when it goes out directly."""
    if on_probation(deps.config.get(), agent, clock.now().date()):
        return "probation"
    change = untrained(deps, agent)
    return f"training: {change.title}" if change else None


def publish(
    deps: Deps, actor: Agent, kind: str, title: str, summary: str, questions: list[CheckQuestion]
) -> ProcedureChange:
    current = deps.training.current()
    change = ProcedureChange(
        version=(current.version + 1) if current else 1,
        kind=kind,  # type: ignore[arg-type]  # the route's schema allows only the three kinds
        title=title,
        summary=summary,
        questions=questions,
        published_by=actor.email,
        published_at=clock.now(),
    )
    deps.training.publish(change)
    metrics.add_metric(name="ProcedureChanged", unit="Count", value=1)
    logger.warning("procedure change published", extra={"by": actor.email, "version": change.version})
    return change


def for_agent(deps: Deps, agent: Agent) -> dict[str, Any]:
    """The change in force without its answers, and whether this agent has passed its check."""
    change = deps.training.current()
    if change is None:
        return {"change": None, "trained": True}
    questions = [{"prompt": q.prompt, "choices": q.choices} for q in change.questions]
    view = {**change.model_dump(exclude={"questions"}), "questions": questions}
    return {"change": view, "trained": untrained(deps, agent) is None}


def attempt(deps: Deps, agent: Agent, version: int, answers: list[int]) -> dict[str, Any]:
    change = deps.training.current()
    if change is None or change.version != version:
        raise NotFound(f"version {version} is not the procedure change in force")
    if len(answers) != len(change.questions):
        raise InvalidInput(f"answers: give one answer to each of the {len(change.questions)} questions")
    wrong = [n for n, (q, a) in enumerate(zip(change.questions, answers, strict=True)) if q.correct != a]
    if not wrong:
        deps.training.record_pass(agent.email, version, clock.now())
        metrics.add_metric(name="TrainingPassed", unit="Count", value=1)
    return {"passed": not wrong, "wrong": wrong, "version": version}


def status(deps: Deps) -> dict[str, Any]:
    """Who has passed the check of the change in force: every team member and listed person."""
    change = deps.training.current()
    if change is None:
        raise Conflict("no procedure change has been published")
    config = deps.config.get()
    people = sorted(
        {m.lower() for t in config.teams for m in t.members} | {p.email.lower() for p in config.people}
    )
    passes = deps.training.passes(change.version)
    return {
        "version": change.version,
        "title": change.title,
        "people": [{"email": e, "trained": e in passes, "at": passes.get(e)} for e in people],
    }
