"""Replies that resolved past cases (R16): offered, beside the approved answers, for the cases asked most
like them.

When a case is resolved as solved, its last reply that went out is kept with the question it answered:
personal data masked (shared/triage/pii.py, as intake masks the customer's words), the contact line left
off (every reply gets its own), and the case's own values (the customer's name, the case number, the
agent's name, the company) turned back into variables so the reply is filled for the next customer. A
past reply is only ever a suggestion for an agent to edit and send: automatic answers use approved
answers alone (shared/usecases/automation.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from shared.errors import Unavailable
from shared.models.case import Case, ResolutionReason, TimelineEntry, TimelineKind
from shared.models.knowledge import PastReply
from shared.observability import logger, metrics
from shared.retrieval import Hit
from shared.rules.variables import as_template, case_values
from shared.usecases.deps import Deps

PAST_LIMIT = 2000  # the most recently resolved cases a container's index holds
PAST_REFRESH_SECONDS = 120.0  # how stale that index may be
PAST_MIN_SCORE = 0.3  # a past case asked less alike than this is not offered
NOT_SENT = ("awaiting_approval", "rejected", "failed")


def question_of(timeline: list[TimelineEntry]) -> str:
    """What the customer asked last: their latest message (after the latest reply, all of them)."""
    asked: list[str] = []
    for entry in timeline:
        if entry.kind is TimelineKind.REPLY and not entry.data.get("automatic"):
            asked = []
        elif entry.kind is TimelineKind.MESSAGE_IN:
            asked.append(entry.text)
    if not asked:
        asked = [e.text for e in timeline if e.kind is TimelineKind.MESSAGE_IN][-1:]
    return " ".join(asked)[:2000]


def _final_reply(timeline: list[TimelineEntry]) -> int | None:
    """Where the last reply a person sent is on the timeline (None: there is none)."""
    for number in range(len(timeline) - 1, -1, -1):
        entry = timeline[number]
        if (
            entry.kind is TimelineKind.REPLY
            and not entry.data.get("automatic")
            and entry.data.get("delivery") not in NOT_SENT
            and entry.text.strip()
        ):
            return number
    return None


def past_reply(deps: Deps, case: Case, timeline: list[TimelineEntry]) -> PastReply | None:
    """The resolved case's final reply and the question it answered, masked and made a template."""
    number = _final_reply(timeline)
    if number is None:
        return None
    question = question_of(timeline[:number])
    if not question.strip():
        return None
    from shared.triage.pii import mask  # loaded on first use, as intake does

    entry = timeline[number]
    config = deps.config.get()
    contact = config.brand(case.brand).contact_line.strip()
    text = entry.text.strip()
    if contact and text.endswith(contact):
        text = text[: -len(contact)].rstrip()
    reply = as_template(mask(text), case_values(case, entry.actor, config.company))
    if not reply:
        return None
    return PastReply(
        case_id=case.case_id,
        question=question[:500],
        reply=reply[:4000],
        agent=entry.actor,
        resolved_at=case.resolved_at or entry.at,
        platform=case.platform.value,
        topic=case.topic,
    )


def remember(deps: Deps, case: Case) -> bool:
    """Keep a solved case's final reply for similar cases; never fails the resolution."""
    if case.resolution is not ResolutionReason.SOLVED:
        return False
    try:
        _, timeline = deps.cases.get_with_timeline(case.case_id)
        past = past_reply(deps, case, timeline)
        if past is None:
            return False
        deps.knowledge.record_past_reply(past)
    except Unavailable:
        logger.warning("past reply not recorded", extra={"case_id": case.case_id})
        return False
    metrics.add_metric(name="PastReplyKept", unit="Count", value=1)
    return True


@dataclass
class _Loaded:
    by_case: dict[str, PastReply] = field(default_factory=dict)


def _fresh(deps: Deps) -> dict[str, PastReply]:
    """This container's past replies, reloaded every PAST_REFRESH_SECONDS."""
    loaded = deps.provide("past_replies_loaded", _Loaded)
    index = deps.past_index
    now = time.monotonic()
    if index.loaded_at is None or now - index.loaded_at >= PAST_REFRESH_SECONDS:
        pasts = deps.knowledge.past_replies(PAST_LIMIT)
        index.load(pasts, now)
        loaded.by_case = {p.case_id: p for p in pasts}
    return loaded.by_case


def forget_age(deps: Deps) -> None:
    """The next suggestion reloads the past replies (tests; after this container kept one)."""
    index = deps.past_index
    index.load([], -PAST_REFRESH_SECONDS)


def similar(deps: Deps, case_id: str, question: str, k: int) -> list[tuple[PastReply, Hit]]:
    """The past replies of the cases asked most like `question` (never the case's own)."""
    try:
        by_case = _fresh(deps)
    except Unavailable:
        logger.warning("past replies unavailable", extra={"case_id": case_id})
        return []
    found = []
    for hit in deps.past_index.rank(question, k + 1):
        past = by_case.get(hit.answer_id)
        if past is not None and hit.answer_id != case_id and hit.score >= PAST_MIN_SCORE:
            found.append((past, hit))
    return found[:k]
