"""Working together on a case: internal notes that @mention colleagues, tags, handing a case to a named
colleague and releasing it back to its team's queue."""

from __future__ import annotations

import re

from shared import clock
from shared.errors import Conflict, InvalidInput
from shared.models.agent import Agent
from shared.models.case import Case, CaseStatus, TimelineEntry, TimelineKind
from shared.models.notification import NotificationKind
from shared.models.timeline import new_entry
from shared.observability import logger, metrics
from shared.usecases.deps import Deps
from shared.usecases.notifications import notify
from shared.usecases.replies import editable

# "@sam@heard.local": an @ at the start of a word, then an email address.
MENTION = re.compile(r"(?<![\w.@])@([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
TAG = re.compile(r"^[a-z0-9][a-z0-9 _-]{0,31}$")
MAX_TAGS = 20
MAX_MENTIONS = 10


def mentions(text: str) -> list[str]:
    """The colleagues a note mentions, lower-cased, in order, once each."""
    found = [m.rstrip(".").lower() for m in MENTION.findall(text)]
    return list(dict.fromkeys(found))


def add_note(deps: Deps, agent: Agent, case_id: str, text: str) -> TimelineEntry:
    """An internal note on the case's timeline (never sent); each @mentioned colleague is notified."""
    text = text.strip()
    if not text:
        raise InvalidInput("a note needs some text")
    mentioned = mentions(text)
    if len(mentioned) > MAX_MENTIONS:
        raise InvalidInput(f"a note may mention at most {MAX_MENTIONS} colleagues")
    case = deps.cases.get(case_id)
    entry = new_entry(
        case_id=case.case_id,
        kind=TimelineKind.NOTE,
        at=clock.now(),
        actor=agent.email,
        text=text,
        data={"internal": True, "mentions": mentioned},
    )
    deps.cases.append(entry)
    for colleague in mentioned:
        notify(
            deps,
            colleague,
            NotificationKind.MENTIONED,
            f"{agent.email} mentioned you on case {case_id}: {_excerpt(text)}",
            actor=agent.email,
            case_id=case_id,
        )
    metrics.add_metric(name="NoteAdded", unit="Count", value=1)
    return entry


def set_tags(deps: Deps, agent: Agent, case_id: str, tags: list[str]) -> Case:
    """Replace the case's tags (normalised to lower case, each once, in the order given). Like a reply, only
    the owner (or a supervisor; anyone while nobody owns it) may."""
    wanted = list(dict.fromkeys(" ".join(t.split()).lower() for t in tags))
    bad = [t for t in wanted if not TAG.match(t)]
    if bad:
        raise InvalidInput(f"tag {bad[0]!r} is not allowed: 1-32 of a-z, 0-9, space, _ or -")
    if len(wanted) > MAX_TAGS:
        raise InvalidInput(f"a case may have at most {MAX_TAGS} tags")
    case = deps.cases.get(case_id)
    editable(case, agent)
    if wanted == case.tags:
        return case
    added = [t for t in wanted if t not in case.tags]
    removed = [t for t in case.tags if t not in wanted]
    now = clock.now()
    parts = ([f"added {', '.join(added)}"] if added else []) + (
        [f"removed {', '.join(removed)}"] if removed else []
    )
    entry = new_entry(
        case_id=case_id,
        kind=TimelineKind.TAGGED,
        at=now,
        actor=agent.email,
        text="Tags " + "; ".join(parts) + ".",
        data={"added": added, "removed": removed},
    )
    updated = case.model_copy(update={"tags": wanted, "updated_at": now, "version": case.version + 1})
    deps.cases.save(updated, case.version, [entry])
    return updated


def hand_to(deps: Deps, agent: Agent, case_id: str, colleague: str, note: str = "") -> Case:
    """Give an open case to a named colleague, who owns it from now on and is notified. The owner (or a
    supervisor; anyone for a case nobody owns yet) may do it."""
    colleague = colleague.strip().lower()
    case = _open(deps, agent, case_id)
    if case.owner == colleague:
        raise Conflict(f"case {case_id} is already owned by {colleague}")
    now = clock.now()
    text = f"Handed to {colleague} by {agent.email}." + (f" {note.strip()}" if note.strip() else "")
    entry = new_entry(
        case_id=case_id,
        kind=TimelineKind.HANDED_OVER,
        at=now,
        actor=agent.email,
        text=text,
        data={"from": case.owner, "to": colleague},
    )
    updated = case.model_copy(
        update={
            "status": CaseStatus.ASSIGNED,
            "owner": colleague,
            "assigned_at": now,
            "updated_at": now,
            "version": case.version + 1,
        }
    )
    # A queued case's message stays in its team's queue; claiming discards it (the case is no longer queued).
    deps.cases.save(updated, case.version, [entry])
    notify(
        deps,
        colleague,
        NotificationKind.HANDED_TO_YOU,
        f"{agent.email} handed you case {case_id}" + (f": {_excerpt(note)}" if note.strip() else "."),
        actor=agent.email,
        case_id=case_id,
    )
    metrics.add_metric(name="CaseHandedOver", unit="Count", value=1)
    logger.info("case handed over", extra={"case_id": case_id, "from": case.owner, "to": colleague})
    return updated


def release(deps: Deps, agent: Agent, case_id: str, note: str = "") -> Case:
    """Give an owned case back to its team's queue, at its priority, for anyone to claim."""
    case = _open(deps, agent, case_id)
    if case.status is not CaseStatus.ASSIGNED or case.owner is None:
        raise Conflict(f"case {case_id} is not owned by anyone; it is already in the queue")
    now = clock.now()
    text = f"Released to the {case.team} queue by {agent.email}." + (
        f" {note.strip()}" if note.strip() else ""
    )
    entry = new_entry(
        case_id=case_id,
        kind=TimelineKind.HANDED_OVER,
        at=now,
        actor=agent.email,
        text=text,
        data={"from": case.owner, "to": None},
    )
    updated = case.model_copy(
        update={
            "status": CaseStatus.QUEUED,
            "owner": None,
            "assigned_at": None,
            "updated_at": now,
            "version": case.version + 1,
        }
    )
    # Queue first: if the save then loses a race, the extra queue message is discarded by the next claim
    # (the case is not queued); the other order could leave a queued case in no queue.
    deps.work.enqueue(case.team, case.priority, case_id)
    deps.cases.save(updated, case.version, [entry])
    metrics.add_metric(name="CaseReleased", unit="Count", value=1)
    return updated


def _open(deps: Deps, agent: Agent, case_id: str) -> Case:
    case = deps.cases.get(case_id)
    editable(case, agent)
    if case.status is CaseStatus.RESOLVED:
        raise Conflict(f"case {case_id} is resolved")
    return case


def _excerpt(text: str, length: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"
