"""The knowledge base of approved answers (R16, R17): propose, decide, edit, suggest, learn from use.

Agents propose an answer (often from the case in front of them); supervisors approve, edit, reject or
retire it. Every change is a new version kept in the answer's history. Only approved answers are
suggested, and only approved answers marked `automatic` (with keywords) answer customers automatically
(shared/usecases/automation.py). An answer chosen for a case learns that case's question as an example.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared import clock
from shared.errors import Conflict, Forbidden, InvalidInput, Unavailable
from shared.ids import new_id
from shared.models.agent import Agent
from shared.models.case import Case
from shared.models.company import Order
from shared.models.knowledge import MAX_EXAMPLES, AnswerState, AnswerVersion, KnowledgeAnswer, PastReply
from shared.observability import logger, metrics
from shared.retrieval import Hit
from shared.rules.variables import case_values, fill, unknown_variables, uses_order
from shared.usecases import knowledge_gaps, knowledge_past, order_answers
from shared.usecases.deps import Deps
from shared.usecases.knowledge_past import question_of

INDEX_CHECK_SECONDS = 30.0  # how stale a container's suggestions index may be
AUTO_CACHE_SECONDS = 30.0
AUTOMATIC_MAX_BODY = 1000  # as the configuration's FAQ answers
# What a decision may do from each state.
MOVES: dict[str, tuple[tuple[AnswerState, ...], AnswerState]] = {
    "approve": ((AnswerState.PROPOSED, AnswerState.REJECTED, AnswerState.RETIRED), AnswerState.APPROVED),
    "reject": ((AnswerState.PROPOSED,), AnswerState.REJECTED),
    "retire": ((AnswerState.APPROVED,), AnswerState.RETIRED),
}
PAST = {"approve": "approved", "reject": "rejected", "retire": "retired"}


def check_variables(**texts: str) -> None:
    """422 naming every unknown variable (and the field it is in)."""
    problems = [f"{field}: {{{name}}}" for field, text in texts.items() for name in unknown_variables(text)]
    if problems:
        raise InvalidInput("unknown variables " + ", ".join(problems))


def filled(deps: Deps, text: str, case: Case, agent_email: str, order: dict[str, str] | None = None) -> str:
    """`text` with this case's variables; `order`: the order variables (shared/usecases/order_answers.py)."""
    return fill(text, {**case_values(case, agent_email, deps.config.get().company), **(order or {})})


def _version(answer: KnowledgeAnswer, actor: str, action: str, note: str = "") -> AnswerVersion:
    return AnswerVersion(
        answer_id=answer.answer_id,
        version=answer.version,
        at=answer.updated_at,
        actor=actor,
        action=action,
        title=answer.title,
        body=answer.body,
        state=answer.state,
        note=note,
    )


# ---- writing -----------------------------------------------------------------------------------------


def propose(deps: Deps, agent: Agent, fields: Mapping[str, Any], case_id: str | None) -> KnowledgeAnswer:
    """An agent's proposal (a supervisor's is proposed too: approving is a separate, recorded step).
    From a case, the case's question becomes the answer's first example."""
    check_variables(title=fields["title"], body=fields["body"])
    examples: list[str] = []
    if case_id:
        _, timeline = deps.cases.get_with_timeline(case_id)
        question = question_of(timeline)
        examples = [question[:500]] if question else []
    now = clock.now()
    answer = KnowledgeAnswer.model_validate(
        {
            **fields,
            "answer_id": new_id("a", now),
            "owner": agent.email,
            "state": AnswerState.PROPOSED,
            "examples": examples,
            "source_case_id": case_id,
            "created_at": now,
            "updated_at": now,
        }
    )
    deps.knowledge.create(answer, _version(answer, agent.email, "proposed"))
    metrics.add_metric(name="AnswerProposed", unit="Count", value=1)
    return answer


def edit(
    deps: Deps, agent: Agent, answer_id: str, version: int, fields: Mapping[str, Any]
) -> KnowledgeAnswer:
    """Change an answer's text or labels: supervisors always, the owner while it is only proposed."""
    before = _current(deps, answer_id, version)
    if not agent.is_supervisor and not (before.owner == agent.email and before.state is AnswerState.PROPOSED):
        raise Forbidden("only a supervisor may change an answer that is no longer only proposed")
    changed = {k: v for k, v in fields.items() if v is not None}
    check_variables(title=changed.get("title", before.title), body=changed.get("body", before.body))
    answer = KnowledgeAnswer.model_validate(
        {**before.model_dump(), **changed, "version": before.version + 1, "updated_at": clock.now()}
    )
    _check_automatic(answer)
    deps.knowledge.save(
        answer, before, _version(answer, agent.email, "edited", str(fields.get("note") or ""))
    )
    return answer


def decide(deps: Deps, agent: Agent, answer_id: str, version: int, action: str, note: str) -> KnowledgeAnswer:
    """A supervisor approves, rejects or retires an answer."""
    if not agent.is_supervisor:
        raise Forbidden("only a supervisor may approve, reject or retire an answer")
    before = _current(deps, answer_id, version)
    allowed, to = MOVES[action]
    if before.state not in allowed:
        raise Conflict(f"a {before.state} answer cannot be {PAST[action]}")
    answer = before.model_copy(
        update={
            "state": to,
            "version": before.version + 1,
            "updated_at": clock.now(),
            "decided_by": agent.email,
            "note": note,
        }
    )
    _check_automatic(answer)
    deps.knowledge.save(answer, before, _version(answer, agent.email, PAST[action], note))
    logger.info("answer decided", extra={"answer_id": answer_id, "state": to.value})
    return answer


def _current(deps: Deps, answer_id: str, version: int) -> KnowledgeAnswer:
    found = deps.knowledge.get(answer_id)
    if found.version != version:
        raise Conflict(f"answer {answer_id} is at version {found.version}, not {version}; reload it")
    return found


def _check_automatic(answer: KnowledgeAnswer) -> None:
    if answer.automatic and len(answer.keywords) < 2:
        raise InvalidInput("keywords: an automatic answer needs at least 2 keywords to match on")
    if answer.automatic and len(answer.body) > AUTOMATIC_MAX_BODY:
        raise InvalidInput(f"body: an automatic answer has at most {AUTOMATIC_MAX_BODY} characters")


# ---- suggestions ---------------------------------------------------------------------------------------


GOOD_MATCH = knowledge_gaps.GAP_SCORE  # an approved answer this close is a good match
PAST_WEIGHT = 0.8  # a past reply ranks below an approved answer that matches as well (it is not vetted)


@dataclass(frozen=True)
class Suggestion:
    answer: KnowledgeAnswer | None  # an approved answer, or
    past: PastReply | None  # the reply that resolved a similar case (never sent automatically)
    text: str  # the body (or past reply) with this case's variables filled
    score: float
    why: str
    order: Order | None = None  # the customer's order, live from the company's system (issue #17)

    @property
    def kind(self) -> str:
        if self.answer is not None:
            return "answer"
        return "order" if self.order is not None else "past_reply"


@dataclass
class _Freshness:
    checked_at: float = -math.inf
    indexed: bool = True  # False: the knowledge base was too big to index in this function


def _fresh_index(deps: Deps, most: int | None = None) -> bool:
    """Rebuild this container's index when the knowledge base changed (checked every 30 s at most).
    With `most`, a knowledge base of more approved answers than that is not indexed here (False)."""
    freshness = deps.provide("answer_index_freshness", _Freshness)
    if time.monotonic() - freshness.checked_at < INDEX_CHECK_SECONDS:
        return freshness.indexed
    generation = deps.knowledge.generation()
    if generation != deps.answer_index.generation or not freshness.indexed:
        approved = deps.knowledge.by_state(AnswerState.APPROVED, None if most is None else most + 1)
        freshness.indexed = most is None or len(approved) <= most
        if freshness.indexed:
            deps.answer_index.load(approved, generation)
            _store_vectors(deps)
    freshness.checked_at = time.monotonic()
    return freshness.indexed


def _store_vectors(deps: Deps) -> None:
    """Keep the vectors the index just embedded with their answers, so the next container's index (and
    this one's next load) reads them instead of running the encoder again. An answer that changed
    meanwhile is skipped: its new texts need new vectors anyway."""
    try:
        for answer, vectors in deps.answer_index.fresh_vectors():
            deps.knowledge.store_vectors(answer, vectors)
    except Unavailable as error:  # only a cache: the suggestions work without it
        logger.warning("answer vectors not stored", extra={"reason": str(error)})


def ready_index(deps: Deps, most: int) -> bool:
    """Is this container's index fresh and of at most `most` answers (intake's cheap check)?"""
    return _fresh_index(deps, most)


def forget_index_age(deps: Deps) -> None:
    """The next suggestion re-checks the knowledge base (after this container changed it)."""
    deps.provide("answer_index_freshness", _Freshness).checked_at = -math.inf


def suggest(deps: Deps, agent: Agent, case_id: str, k: int) -> tuple[str, list[Suggestion]]:
    """The best approved answers and past replies for the case's latest question, ranked together,
    variables filled, with why. Approved answers that match well (GOOD_MATCH) come first: they are
    vetted; then the rest by score, a past reply counting PAST_WEIGHT of its own. At most k - 1 past
    replies are shown when k > 1, so an approved answer that fits at all is among them."""
    case, timeline = deps.cases.get_with_timeline(case_id)
    question = question_of(timeline)
    if not question:
        return "", []
    _fresh_index(deps)
    hits = deps.answer_index.rank(question, k)
    knowledge_gaps.note_if_unanswered(deps, case_id, question, hits)
    order = order_answers.CaseOrder(deps, agent, case, timeline)
    found = [s for s in (_answer_suggestion(deps, agent, case, hit, order) for hit in hits) if s]
    pasts = knowledge_past.similar(deps, case_id, question, max(1, k - 1))
    found += [_past_suggestion(deps, agent, case, past, hit) for past, hit in pasts]
    found.sort(key=lambda s: (not (s.answer is not None and s.score >= GOOD_MATCH), -s.score))
    return question, (_order_suggestion(deps, agent, case, order, found) + found)[:k]


def _answer_suggestion(
    deps: Deps, agent: Agent, case: Case, hit: Hit, order: order_answers.CaseOrder
) -> Suggestion | None:
    answer = deps.knowledge.get(hit.answer_id)
    if not answer.is_approved:
        return None  # retired since this container's index was built
    values = order.values() if uses_order(answer.body) else None
    if uses_order(answer.body) and values is None:
        return None  # it speaks of the customer's order, which the company's system did not confirm
    words = ", ".join(hit.matched[:8]) or "similar wording"
    text = filled(deps, answer.body, case, agent.email, values)
    return Suggestion(answer, None, text, hit.score, f"approved answer; shares {words}; {hit.because}")


def _order_suggestion(
    deps: Deps, agent: Agent, case: Case, order: order_answers.CaseOrder, found: list[Suggestion]
) -> list[Suggestion]:
    """On a delivery case, the order's live status first, unless an approved answer already tells it."""
    if case.topic != order_answers.DELIVERY_TOPIC or any(
        s.answer and uses_order(s.answer.body) for s in found
    ):
        return []
    live = order.get()
    if live is None:
        return []
    text = filled(deps, order_answers.built_in_text(live), case, agent.email, order.values())
    why = order_answers.why(live, deps.company.source)
    return [Suggestion(None, None, text, 1.0, why, order=live)]


def _past_suggestion(deps: Deps, agent: Agent, case: Case, past: PastReply, hit: Hit) -> Suggestion:
    words = ", ".join(hit.matched[:8]) or "similar wording"
    why = (
        f"past reply (not an approved answer): it resolved case {past.case_id}, which asked "
        f"{past.question[:160]!r}; shares {words}"
    )
    text = filled(deps, past.reply, case, agent.email)
    return Suggestion(None, past, text, round(hit.score * PAST_WEIGHT, 4), why)


def use(deps: Deps, agent: Agent, answer_id: str, case_id: str) -> tuple[KnowledgeAnswer, str]:
    """The agent chose this answer for this case: fill it, and learn the case's question as an example."""
    case, timeline = deps.cases.get_with_timeline(case_id)
    before = deps.knowledge.get(answer_id)
    if not before.is_approved:
        raise Conflict(f"answer {answer_id} is {before.state}; only approved answers are used")
    values = (
        order_answers.CaseOrder(deps, agent, case, timeline).values() if uses_order(before.body) else None
    )
    if uses_order(before.body) and values is None:
        raise Conflict("this answer tells the customer's order, which the company's system did not confirm")
    question = question_of(timeline)[:500]
    examples = [e for e in before.examples if e != question]
    if question:
        examples = (examples + [question])[-MAX_EXAMPLES:]
    learned = before.model_copy(update={"examples": examples, "used": before.used + 1})
    try:
        deps.knowledge.save(learned, before, None)
    except Conflict:
        logger.info("answer changed while used; example not learned", extra={"answer_id": answer_id})
    forget_index_age(deps)
    metrics.add_metric(name="AnswerUsed", unit="Count", value=1)
    return before, filled(deps, before.body, case, agent.email, values)


# ---- automatic answers (read by intake) -------------------------------------------------------------------


@dataclass
class _AutoCache:
    answers: tuple[KnowledgeAnswer, ...] = ()
    loaded_at: float = -math.inf


def automatic_answers(deps: Deps) -> tuple[KnowledgeAnswer, ...]:
    """The approved answers marked automatic, cached per container for AUTO_CACHE_SECONDS."""
    cache = deps.provide("automatic_answers_cache", _AutoCache)
    if time.monotonic() - cache.loaded_at >= AUTO_CACHE_SECONDS:
        cache.answers = tuple(a for a in deps.knowledge.automatic() if a.is_approved and a.automatic)
        cache.loaded_at = time.monotonic()
    return cache.answers


def forget_automatic(deps: Deps) -> None:
    deps.provide("automatic_answers_cache", _AutoCache).loaded_at = -math.inf
