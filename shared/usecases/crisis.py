"""Crisis mode (R6, R15): declare, update the holding statement, end; tag and answer matching posts.

A supervisor declares a crisis of a configured type with what matches it (keywords, topics) and an
approved holding statement. Intake asks `match_active` for every new customer message (active crises are
cached for CACHE_SECONDS per container, so 10,000 messages/s do not read the same item 10,000 times);
a matching message is tagged, made priority 1 with reason "crisis", routed to the crisis type's team, and
answered with the holding statement once per case per statement version.

The automatic statement does not count as the first response: the case keeps its reply_due (and its
place in the SLA index) until a person answers, because the statement says nothing about the
customer's own problem.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from datetime import datetime

from shared import clock
from shared.errors import Conflict, InvalidInput
from shared.ids import new_id
from shared.models.agent import Agent
from shared.models.case import Case, TimelineEntry, TimelineKind
from shared.models.config import HeardConfig
from shared.models.crisis import Crisis, CrisisEvent, CrisisStatus, HoldingStatement
from shared.models.triage import Action, Triage
from shared.observability import logger, metrics
from shared.rules.crisis import CrisisMatcher, match
from shared.usecases.automation import BotReply, bot_reply, too_long
from shared.usecases.deps import Deps

CACHE_SECONDS = 30.0
CRISIS_REASON = "crisis"


@dataclass
class _ActiveCache:
    loaded_at: float = -math.inf
    crises: list[Crisis] = field(default_factory=list)


def _cache(deps: Deps) -> _ActiveCache:
    return deps.provide("active_crises_cache", _ActiveCache)


def active(deps: Deps) -> list[Crisis]:
    """The active crises, newest first, at most CACHE_SECONDS old."""
    cache = _cache(deps)
    if time.monotonic() - cache.loaded_at >= CACHE_SECONDS:
        cache.crises = deps.crises.active_crises()
        cache.loaded_at = time.monotonic()
    return cache.crises


def _forget(deps: Deps) -> None:
    """This container changed a crisis: its own next intake must see it at once."""
    _cache(deps).loaded_at = -math.inf


# ---- supervisors' calls -----------------------------------------------------------------------------


def _validate(deps: Deps, crisis_type: str | None, keywords: list[str], topics: list[str]) -> None:
    config = deps.config.get()
    if crisis_type is not None and crisis_type not in {c.id for c in config.crisis_types}:
        raise InvalidInput(
            f"unknown crisis type {crisis_type!r}; configured: {sorted(c.id for c in config.crisis_types)}"
        )
    unknown = sorted(set(topics) - {t.id for t in config.topics})
    if unknown:
        raise InvalidInput(f"unknown topic(s) {unknown}; configured: {sorted(t.id for t in config.topics)}")
    if not [k for k in keywords if k.strip()] and not topics:
        raise InvalidInput("a crisis needs at least one keyword or topic to match posts")


def _clean(keywords: list[str]) -> list[str]:
    return list(dict.fromkeys(" ".join(k.split()) for k in keywords if k.strip()))


def declare(
    deps: Deps,
    agent: Agent,
    *,
    crisis_type: str,
    name: str,
    keywords: list[str],
    topics: list[str],
    statement: HoldingStatement,
) -> Crisis:
    _validate(deps, crisis_type, keywords, topics)
    kind = next(c for c in deps.config.get().crisis_types if c.id == crisis_type)
    if kind.team not in deps.work.teams:
        raise InvalidInput(
            f"crisis type {crisis_type!r} routes to team {kind.team!r}, which has no work queue yet; "
            "redeploy to create its queues"
        )
    now = clock.now()
    crisis = Crisis(
        crisis_id=new_id("k", now),
        crisis_type=crisis_type,
        name=name.strip(),
        keywords=_clean(keywords),
        topics=list(dict.fromkeys(topics)),
        statement=statement,
        team=kind.team,
        point_person=kind.point_person,
        backup=kind.backup,
        declared_by=agent.email,
        declared_at=now,
        updated_at=now,
        history=[
            CrisisEvent(
                at=now,
                actor=agent.email,
                action="declared",
                statement_version=1,
                statement=statement.compose(),
            )
        ],
    )
    crisis = crisis.model_copy(update={"status_url": deps.status_pages.url(crisis.crisis_id)})
    deps.crises.create_crisis(crisis)
    _forget(deps)
    publish_page(deps, crisis)
    metrics.add_metric(name="CrisisDeclared", unit="Count", value=1)
    logger.warning(
        "crisis declared", extra={"crisis_id": crisis.crisis_id, "type": crisis_type, "by": agent.email}
    )
    _tell_contacts(deps, crisis)
    return crisis


def _tell_contacts(deps: Deps, crisis: Crisis) -> None:
    """The point person and the backup hear of the crisis at once (R6)."""
    crisis_type, statement = crisis.crisis_type, crisis.statement
    deps.alerts.notify(
        subject=f"Crisis declared: {crisis.name} ({crisis_type})",
        detail={
            "crisis_id": crisis.crisis_id,
            "type": crisis_type,
            "name": crisis.name,
            "declared_by": crisis.declared_by,
            "team": crisis.team,
            "point_person": crisis.point_person,
            "backup": crisis.backup,
            "notify": [crisis.point_person, crisis.backup],
            "keywords": crisis.keywords,
            "topics": crisis.topics,
            "holding_statement": statement.compose(),
        },
        kind="crisis_declared",
    )


def list_crises(deps: Deps, limit: int = 50) -> list[Crisis]:
    return deps.crises.list_crises(limit)


def get(deps: Deps, crisis_id: str) -> Crisis:
    return deps.crises.get_crisis(crisis_id)


def update(
    deps: Deps,
    agent: Agent,
    crisis_id: str,
    *,
    statement: HoldingStatement | None = None,
    name: str | None = None,
    keywords: list[str] | None = None,
    topics: list[str] | None = None,
) -> Crisis:
    """Change the holding statement or what matches. A new statement is a new version: it goes to every
    customer whose case belongs to the crisis (shared/usecases/broadcast.py), and to those who write again."""
    crisis = deps.crises.get_crisis(crisis_id)
    if not crisis.is_active:
        raise Conflict(f"crisis {crisis_id} has ended; declare a new one")
    new_keywords = _clean(keywords) if keywords is not None else crisis.keywords
    new_topics = list(dict.fromkeys(topics)) if topics is not None else crisis.topics
    _validate(deps, None, new_keywords, new_topics)
    now = clock.now()
    version = crisis.statement_version + (1 if statement is not None and statement != crisis.statement else 0)
    changed = [
        n
        for n, v in (("statement", statement), ("name", name), ("keywords", keywords), ("topics", topics))
        if v is not None
    ]
    updated = crisis.model_copy(
        update={
            "statement": statement or crisis.statement,
            "statement_version": version,
            "name": (name or crisis.name).strip(),
            "keywords": new_keywords,
            "topics": new_topics,
            "updated_at": now,
            "version": crisis.version + 1,
            "history": [
                *crisis.history,
                CrisisEvent(
                    at=now,
                    actor=agent.email,
                    action="updated",
                    statement_version=version,
                    note="changed: " + ", ".join(changed),
                    statement=(statement or crisis.statement).compose()
                    if version > crisis.statement_version
                    else "",
                ),
            ],
        }
    )
    deps.crises.save_crisis(updated, crisis.version)
    _forget(deps)
    logger.info(
        "crisis updated", extra={"crisis_id": crisis_id, "statement_version": version, "changed": changed}
    )
    publish_page(deps, updated)
    if version > crisis.statement_version:
        _reach_everyone(deps, updated)
    return updated


def publish_page(deps: Deps, crisis: Crisis) -> bool:
    """Regenerate the crisis's public status page; False (logged, alarmed) when S3 cannot take it now: the
    change itself stands, and the next change or "Send again" publishes the page again."""
    from shared.errors import Unavailable
    from shared.rules.status_page import render

    try:
        deps.status_pages.publish(crisis.crisis_id, render(crisis, deps.config.get().company, clock.now()))
    except Unavailable:
        metrics.add_metric(name="StatusPageFailed", unit="Count", value=1)
        logger.warning("status page not published", extra={"crisis_id": crisis.crisis_id})
        return False
    return True


def _reach_everyone(deps: Deps, crisis: Crisis) -> None:
    from shared.usecases import broadcast

    broadcast.start(deps, crisis)


def end(deps: Deps, agent: Agent, crisis_id: str, note: str = "", closing_statement: str = "") -> Crisis:
    """End the crisis. A closing statement is a last version, sent to everyone affected."""
    crisis = deps.crises.get_crisis(crisis_id)
    if not crisis.is_active:
        return crisis  # ending twice is harmless
    now = clock.now()
    closing = " ".join(closing_statement.split())
    version = crisis.statement_version + (1 if closing else 0)
    ended = crisis.model_copy(
        update={
            "status": CrisisStatus.ENDED,
            "ended_at": now,
            "updated_at": now,
            "version": crisis.version + 1,
            "statement_version": version,
            "closing_statement": closing,
        }
    )
    event = CrisisEvent(
        at=now,
        actor=agent.email,
        action="ended",
        statement_version=version,
        note=note,
        statement=ended.public_text() if closing else "",
    )
    ended = ended.model_copy(update={"history": [*crisis.history, event]})
    deps.crises.save_crisis(ended, crisis.version)
    _forget(deps)
    publish_page(deps, ended)
    if closing:
        _reach_everyone(deps, ended)
    metrics.add_metric(name="CrisisEnded", unit="Count", value=1)
    logger.warning("crisis ended", extra={"crisis_id": crisis_id, "by": agent.email})
    return ended


# ---- intake's side ----------------------------------------------------------------------------------


def match_active(deps: Deps, text: str, topic: str | None) -> Crisis | None:
    crises = active(deps)
    if not crises:
        return None
    found = match(
        text, topic, [CrisisMatcher(c.crisis_id, tuple(c.keywords), tuple(c.topics)) for c in crises]
    )
    return next(c for c in crises if c.crisis_id == found.crisis_id) if found else None


def active_by_id(deps: Deps, crisis_id: str | None) -> Crisis | None:
    return next((c for c in active(deps) if c.crisis_id == crisis_id), None) if crisis_id else None


def tag(triage: Triage, crisis: Crisis) -> Triage:
    """A post matching a declared crisis: its type, priority 1 and the reason, to the point person."""
    return triage.model_copy(
        update={
            "crisis": crisis.crisis_type,
            "priority": 1,
            "action": Action.ESCALATE,
            "priority_reasons": [CRISIS_REASON, *(r for r in triage.priority_reasons if r != CRISIS_REASON)],
        }
    )


def tagged_entry(case_id: str, crisis: Crisis, now: datetime, key: str) -> TimelineEntry:
    from shared.ids import stable_id

    return TimelineEntry(
        case_id=case_id,
        entry_id=stable_id("e", now, f"{key}#crisis#{crisis.crisis_id}"),
        kind=TimelineKind.CRISIS,
        at=now,
        actor="system",
        text=f"Part of the declared crisis {crisis.name!r} ({crisis.crisis_type}); point person "
        f"{crisis.point_person}.",
        data={"crisis_id": crisis.crisis_id, "type": crisis.crisis_type},
    )


def statement_for(config: HeardConfig, case: Case, crisis: Crisis) -> str:
    """What this case's customer reads of the crisis's current version: the brand's own holding statement
    for this kind of crisis (issue #16) while the crisis is active, with when the next update comes and the
    status page; otherwise the crisis's own text. An update's news is the crisis's text: a brand's
    customers read it in the brand's words, followed by what changed (the next update, the link)."""
    own = config.brand(case.brand).holding_statements.get(crisis.crisis_type)
    if not own or not crisis.is_active:
        return crisis.customer_text()
    own = own.strip()
    if own[-1] not in ".!?":
        own += "."
    text = f"{own} Next update: {crisis.statement.next_update.strip().rstrip('.')}."
    if crisis.statement_version > 1:
        text = f"{own} {crisis.statement.compose()}"
    return f"{text} Status: {crisis.status_url}" if crisis.status_url else text


def holding_reply(
    config: HeardConfig, case: Case, crisis: Crisis, now: datetime, key: str
) -> tuple[BotReply | None, TimelineEntry | None]:
    """The holding statement for `case` if it has not had this version yet; or a note when it cannot go.

    Returns (reply, note): at most one of them.
    """
    if case.crisis_id == crisis.crisis_id and case.crisis_statement_version >= crisis.statement_version:
        return None, None
    reply = bot_reply(
        config,
        case,
        statement_for(config, case, crisis),
        now,
        key=f"{key}#holding#{crisis.crisis_id}#{crisis.statement_version}",
        data={"crisis_id": crisis.crisis_id, "statement_version": crisis.statement_version},
    )
    limit = too_long(case, reply.entry.text)
    if limit:
        note = TimelineEntry(
            case_id=case.case_id,
            entry_id=reply.entry.entry_id.replace("r", "e", 1),
            kind=TimelineKind.NOTE,
            at=now,
            actor="system",
            text=f"The holding statement was not sent automatically: with the contact line it has "
            f"{len(reply.entry.text)} characters and {case.platform.value} allows {limit}.",
            data={"crisis_id": crisis.crisis_id},
        )
        return None, note
    return reply, None
