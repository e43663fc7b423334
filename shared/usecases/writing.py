"""Help writing the reply (issue #11): a draft grounded in the approved answers, a case's summary, and
translation, behind the WritingHelp port (built in and offline by default; Amazon Bedrock and Amazon
Translate when deployed with them: docs/decisions.md, 2026-12-03).

Nothing here sends anything. A draft goes back to the agent who asked, to edit and send like any reply,
and the timeline records that a draft was written, by which backend and from which approved answers
(marked as a draft, never as a reply). A summary is stored on the case (`brief`), where lists and
reports read it. A translation goes back to the agent only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared import clock
from shared.errors import Conflict, InvalidInput, NotFound
from shared.models.agent import Agent
from shared.models.case import Case, TimelineEntry, TimelineKind
from shared.models.timeline import new_entry
from shared.models.writing import LANGUAGE, GroundingAnswer, Translation
from shared.observability import logger, metrics
from shared.usecases import knowledge
from shared.usecases.deps import Deps

GROUNDING = 3  # approved answers a draft is grounded in
CANDIDATES = 6  # suggestions looked at to find them (past replies are not vetted: never grounding)
TRANSLATABLE = (TimelineKind.MESSAGE_IN, TimelineKind.REPLY, TimelineKind.NOTE)


@dataclass(frozen=True)
class DraftReply:
    text: str  # variables filled for this case
    answers: list[GroundingAnswer]  # the approved answers it used
    entry: TimelineEntry  # "draft generated", on the timeline


def backend_label(deps: Deps) -> str:
    writing = deps.writing
    return f"{writing.backend}:{writing.model}" if writing.model else writing.backend


def grounding(deps: Deps, agent: Agent, case_id: str) -> list[GroundingAnswer]:
    """The approved answers that fit the case well, best first (the suggestions' ranking), unfilled."""
    _, suggestions = knowledge.suggest(deps, agent, case_id, CANDIDATES)
    return [
        GroundingAnswer(answer_id=s.answer.answer_id, title=s.answer.title, body=s.answer.body)
        for s in suggestions
        if s.answer is not None and s.score >= knowledge.GOOD_MATCH
    ][:GROUNDING]


def _workable(deps: Deps, case_id: str) -> tuple[Case, list[TimelineEntry]]:
    case, timeline = deps.cases.get_with_timeline(case_id)
    if case.erased_at is not None:
        raise Conflict("the customer's data was erased: there is nothing to write from")
    return case, timeline


def draft(deps: Deps, agent: Agent, case_id: str) -> DraftReply:
    """A draft reply for the agent to edit and send; recorded on the timeline as a draft, never sent."""
    case, timeline = _workable(deps, case_id)
    answers = grounding(deps, agent, case_id)
    written = deps.writing.draft(case, timeline, answers)
    used = [a for a in answers if a.answer_id in written.used]
    text = knowledge.filled(deps, written.text, case, agent.email)
    label = backend_label(deps)
    titles = ", ".join(f"“{a.title}”" for a in used) or "no approved answer"
    entry = new_entry(
        case_id=case.case_id,
        kind=TimelineKind.DRAFT_GENERATED,
        at=clock.now(),
        actor=agent.email,
        text=f"Draft reply written by {label} from {titles}, for {agent.email} to edit: not sent.",
        data={
            "draft": True,
            "backend": deps.writing.backend,
            "model": deps.writing.model,
            "answers": [a.answer_id for a in used],
            "chars": len(text),
        },
    )
    deps.cases.append(entry)
    metrics.add_metric(name="DraftGenerated", unit="Count", value=1)
    logger.info("draft generated", extra={"case_id": case_id, "backend": label, "answers": len(used)})
    return DraftReply(text=text, answers=used, entry=entry)


def summarise(deps: Deps, agent: Agent, case_id: str) -> Case:
    """The case in a few sentences, stored on it (`brief`) for lists and reports."""
    case, timeline = _workable(deps, case_id)
    if not any(e.kind is TimelineKind.MESSAGE_IN and e.text for e in timeline):
        raise Conflict("the customer's messages hold no text to summarise")
    brief = deps.writing.summarise(case, timeline)
    now = clock.now()
    updated = case.model_copy(
        update={
            "brief": brief,
            "brief_by": backend_label(deps),
            "brief_at": now,
            "updated_at": now,
            "version": case.version + 1,
        }
    )
    deps.cases.save(updated, case.version)
    metrics.add_metric(name="CaseSummarised", unit="Count", value=1)
    logger.info("case summarised", extra={"case_id": case_id, "by": agent.email})
    return updated


def translate(
    deps: Deps,
    case_id: str,
    target: str,
    *,
    entry_id: str | None = None,
    text: str | None = None,
    source: str | None = None,
) -> Translation:
    """A message of the case (by default from the case's language) or the agent's own text, translated
    for the agent; nothing is recorded or sent."""
    case, timeline = _workable(deps, case_id)
    if (entry_id is None) == (text is None):
        raise InvalidInput("entry_id or text: give exactly one")
    if entry_id is not None:
        text = _entry_text(timeline, entry_id)
        source = source or _known(case.language)
    if source is None:
        raise InvalidInput("source: the language to translate from is unknown; give it")
    assert text is not None  # one of the two, checked above
    if source.lower() == target.lower():
        return Translation(text=text, source=source, target=target)  # already in that language
    translated = deps.writing.translate(text, source, target)
    metrics.add_metric(name="Translated", unit="Count", value=1)
    return Translation(text=translated, source=source, target=target)


def _known(language: str) -> str | None:
    """The case's language as a source to translate from; None when triage could not tell ("und")."""
    return language if language != "und" and re.match(LANGUAGE, language) else None


def _entry_text(timeline: list[TimelineEntry], entry_id: str) -> str:
    entry = next((e for e in timeline if e.entry_id == entry_id), None)
    if entry is None:
        raise NotFound(f"entry_id: the case has no entry {entry_id}")
    if entry.kind not in TRANSLATABLE or not entry.text:
        raise InvalidInput("entry_id: only a message, reply or note with text can be translated")
    return entry.text
