"""Crisis updates to everyone affected (issue 17, R15; docs/outreach.md).

When a supervisor updates the holding statement or ends the crisis, `start` records the new version's
delivery and puts its first page on the crisis-updates queue. The broadcaster (`run`) reads the crisis's
cases a page at a time and, for each, either skips it with a reason (opted out, window closed, too long,
already has it, left the crisis) or records the update on the case and queues it on the outbox, where
the dispatcher sends it through the case's own channel (a public reply where the case was public, a
direct message where it was private; WhatsApp's connector sends the approved template once free-form
text is closed). Each platform is paced to its own rate per minute (shared/rules/broadcast.py).

Exactly once per case and version: the reply's id derives from (crisis, version) and its time from the
version's own time, and one transaction moves the case's crisis_statement_version forward only if it is
lower while writing the entry only if absent. A redelivered page finds the case already moved and queues
the same entry again at most, which the dispatcher's queued -> sending lease sends once. Intake sees the
moved version too, so a customer who writes again is not sent the same version a second time.

A newer version supersedes an older one still under way: its remaining pages stop. Counters are exact for
queued, sent and failed; a page redelivered after a crash may count its skips twice.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from enum import StrEnum

from shared import clock
from shared.errors import NotFound
from shared.models.agent import Agent
from shared.models.broadcast import BroadcastJob, BroadcastProgress, Failure, Skip
from shared.models.case import Case
from shared.models.config import HeardConfig
from shared.models.crisis import Crisis
from shared.models.records import entry_key
from shared.observability import logger, metrics
from shared.rules.broadcast import skip_reason, slot
from shared.usecases.automation import BotReply, bot_reply, too_long
from shared.usecases.crisis import statement_for
from shared.usecases.deps import Deps

PAGE = 50  # cases per invocation: ~5 calls each, well inside the broadcaster's timeout
MINUTE = timedelta(minutes=1)


class Run(StrEnum):
    DONE = "done"
    CONTINUED = "continued"
    PACED = "paced"  # a platform's budget for this minute is spent: the next page waits for the next one
    SUPERSEDED = "superseded"


def version_time(crisis: Crisis, version: int) -> datetime:
    """When `version` was issued: the first history event that carries it."""
    return min((e.at for e in crisis.history if e.statement_version == version), default=crisis.updated_at)


def update_text(config: HeardConfig, case: Case, crisis: Crisis) -> str:
    """The update as this case's customer reads it: in their brand's words where it has its own holding
    statement for this kind of crisis (the same text intake answers with), the crisis's otherwise."""
    text = statement_for(config, case, crisis)
    return text if not crisis.is_active else f"Update: {text}"


def start(deps: Deps, crisis: Crisis) -> bool:
    """Deliver the crisis's current version to everyone affected; False when it had already started (the
    page is queued again: safe, every case gets the version once)."""
    version = crisis.statement_version
    started = deps.broadcasts.start(
        BroadcastProgress(crisis_id=crisis.crisis_id, statement_version=version, started_at=clock.now())
    )
    deps.crisis_updates.put(
        BroadcastJob(crisis_id=crisis.crisis_id, statement_version=version).model_dump_json()
    )
    logger.info("crisis update started", extra={"crisis_id": crisis.crisis_id, "version": version})
    return started


def progress(deps: Deps, crisis_id: str) -> list[BroadcastProgress]:
    deps.crises.get_crisis(crisis_id)  # NotFound for an unknown crisis
    return deps.broadcasts.progress(crisis_id)


def run(job: BroadcastJob, deps: Deps) -> Run:
    """One page of a version's delivery; queues the next page (or the next minute's) when there is more."""
    crisis = deps.crises.get_crisis(job.crisis_id)
    if crisis.statement_version != job.statement_version:
        deps.broadcasts.mark(job.crisis_id, job.statement_version, superseded=True)
        return Run.SUPERSEDED
    now = clock.now()
    minute_started, used = job.minute_started, dict(job.used)
    if minute_started is None or now - minute_started >= MINUTE:
        minute_started, used = now, {}
    elapsed = (now - minute_started).total_seconds()
    case_ids, more = deps.broadcasts.members(job.crisis_id, job.cursor, PAGE)
    config = deps.config.get()
    cursor = job.cursor
    for case_id in case_ids:
        case = _case(deps, case_id)
        platform = case.platform.value if case else ""
        place = slot(platform, used.get(platform, 0), elapsed)
        if place.next_minute:
            wait = math.ceil(MINUTE.total_seconds() - elapsed)
            _next(deps, job, cursor, None, {}, wait)
            return Run.PACED
        if case is None:
            deps.broadcasts.count(job.crisis_id, job.statement_version, Skip.LEFT.value)
        elif _one(deps, config, crisis, case, now, place.delay_seconds):
            used[platform] = used.get(platform, 0) + 1
        cursor = case_id
    if more:
        _next(deps, job, cursor, minute_started, used, 0)
        return Run.CONTINUED
    deps.broadcasts.mark(job.crisis_id, job.statement_version, done_at=clock.iso(now))
    return Run.DONE


def _case(deps: Deps, case_id: str) -> Case | None:
    try:
        return deps.cases.get(case_id)
    except NotFound:  # erased on request (R27): nobody to update
        return None


def _next(
    deps: Deps,
    job: BroadcastJob,
    cursor: str | None,
    started: datetime | None,
    used: dict[str, int],
    wait: int,
) -> None:
    page = job.model_copy(update={"cursor": cursor, "minute_started": started, "used": used})
    deps.crisis_updates.put(page.model_dump_json(), delay_seconds=wait)


def _one(deps: Deps, config: HeardConfig, crisis: Crisis, case: Case, now: datetime, delay: int) -> bool:
    """Queue this version for `case` unless it is skipped; True when a reply was queued."""
    version = crisis.statement_version
    reason = skip_reason(case, crisis.crisis_id, version, now)
    reply = None if reason else _reply(config, crisis, case)
    if reply is not None and too_long(case, reply.entry.text):
        reason = Skip.TOO_LONG
    if reason or reply is None:
        deps.broadcasts.count(crisis.crisis_id, version, (reason or Skip.ALREADY).value)
        return False
    if deps.broadcasts.record_update(reply.entry, crisis.crisis_id, version):
        deps.broadcasts.count(crisis.crisis_id, version, "queued", case.platform.value)
        metrics.add_metric(name="CrisisUpdateQueued", unit="Count", value=1)
    elif not deps.cases.entry_exists(case.case_id, entry_key(reply.entry)):
        deps.broadcasts.count(crisis.crisis_id, version, Skip.ALREADY.value)  # intake sent it meanwhile
        return False
    # Queued again after a redelivered page is harmless: the dispatcher sends an entry once.
    deps.outbox.put(reply.message.model_dump_json(), delay_seconds=delay)
    return True


def _reply(config: HeardConfig, crisis: Crisis, case: Case) -> BotReply:
    version = crisis.statement_version
    reply = bot_reply(
        config,
        case,
        update_text(config, case, crisis),
        version_time(crisis, version),
        key=f"crisis-update#{crisis.crisis_id}#{version}",
        data={"crisis_id": crisis.crisis_id, "statement_version": version, "crisis_update": True},
    )
    message = reply.message.model_copy(update={"broadcast": f"{crisis.crisis_id}#{version}"})
    return BotReply(reply.entry, message)


# ---- the dispatcher's side ---------------------------------------------------------------------------


def sent(deps: Deps, broadcast: str) -> None:
    crisis_id, version = _parse(broadcast)
    deps.broadcasts.count(crisis_id, version, "sent")


def failed(deps: Deps, broadcast: str, case_id: str, platform: str, reason: str) -> None:
    crisis_id, version = _parse(broadcast)
    deps.broadcasts.count(crisis_id, version, "failed")
    deps.broadcasts.add_failure(
        crisis_id, version, Failure(case_id=case_id, platform=platform, reason=reason[:300], at=clock.now())
    )
    metrics.add_metric(name="CrisisUpdateFailed", unit="Count", value=1)


def _parse(broadcast: str) -> tuple[str, int]:
    crisis_id, _, version = broadcast.rpartition("#")
    return crisis_id, int(version)


# ---- the customer's choice ---------------------------------------------------------------------------


def set_opt_out(deps: Deps, agent: Agent, case_id: str, opt_out: bool) -> Case:
    """Record that the customer wants no more crisis updates (or wants them again), on the timeline."""
    from shared.models.case import TimelineKind
    from shared.models.timeline import new_entry

    case = deps.cases.get(case_id)
    if case.updates_opt_out == opt_out:
        return case
    now = clock.now()
    entry = new_entry(
        case_id=case_id,
        kind=TimelineKind.CRISIS,
        at=now,
        actor=agent.email,
        text="The customer asked for no more crisis updates."
        if opt_out
        else "The customer wants crisis updates again.",
        data={"updates_opt_out": opt_out},
    )
    updated = case.model_copy(
        update={"updates_opt_out": opt_out, "updated_at": now, "version": case.version + 1}
    )
    deps.cases.save(updated, case.version, [entry])
    return updated
