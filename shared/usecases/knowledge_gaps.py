"""Questions without an approved answer (R16): what customers keep asking that the knowledge base cannot
answer well, grouped so that a supervisor sees the biggest gaps first and starts an answer from one.

A question is recorded at intake (the triage function, after the case is written: off the webhook path)
when the best approved answer scores below GAP_SCORE (or there is none), and again when an agent asks
for suggestions on a case (the question may have changed); once per case and day. Intake ranks with the
same index as the suggestions, built in its own container, and only while the knowledge base has at
most INTAKE_MOST approved answers (a bigger one would cost the triage function too much to rebuild
after every change: then only the suggestions route records). The supervisors' list groups the recent days'
questions by similarity (shared/retrieval.clusters).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared import clock
from shared.errors import Unavailable
from shared.models.case import Case
from shared.models.knowledge import UnansweredQuestion
from shared.observability import logger, metrics
from shared.retrieval import Hit, clusters, label
from shared.usecases.deps import Deps

# Below this the best answer is no good match: on banking77 nine in ten right first answers score above
# 0.38, questions from other domains scored 0.16-0.36 against it.
GAP_SCORE = 0.3
GROUP_SIMILARITY = 0.3  # how close a question must be to a group's centroid to join it
PER_DAY = 200  # questions read per day (the newest case ids)
SHOWN = 5  # example questions and cases per group
INTAKE_MOST = 500  # the biggest knowledge base intake indexes
ASKING = ("question", "complaint")  # the categories whose messages may ask something


@dataclass(frozen=True)
class QuestionGroup:
    label: str
    count: int
    questions: list[str]
    case_ids: list[str]
    latest: datetime
    best_answer_id: str | None  # the answer that came closest (still too far) for the group's newest


def note_if_unanswered(deps: Deps, case_id: str, question: str, hits: list[Hit]) -> bool:
    """Record the question when no approved answer matched it well; never fails the suggestions."""
    best = hits[0] if hits else None
    if best is not None and best.score >= GAP_SCORE:
        return False
    gap = UnansweredQuestion(
        case_id=case_id,
        question=question[:500],
        at=clock.now(),
        best_answer_id=best.answer_id if best else None,
        best_score=best.score if best else 0.0,
    )
    try:
        deps.knowledge.record_unanswered(gap)
    except Unavailable:
        logger.warning("unanswered question not recorded", extra={"case_id": case_id})
        return False
    metrics.add_metric(name="QuestionUnanswered", unit="Count", value=1)
    return True


def note_at_intake(deps: Deps, case_id: str, question: str, category: str) -> bool:
    """At intake: record a customer's question no approved answer matches well. Never fails intake."""
    from shared.usecases import knowledge  # knowledge imports this module

    if category not in ASKING or not question.strip():
        return False
    try:
        if not knowledge.ready_index(deps, INTAKE_MOST):
            return False
    except Unavailable:
        logger.warning("knowledge base unavailable at intake", extra={"case_id": case_id})
        return False
    return note_if_unanswered(deps, case_id, question, deps.answer_index.rank(question, 1))


def forget_cases(deps: Deps, cases: Sequence[Case]) -> int:
    """The customer's words kept for the knowledge base from these cases go (a deleted message, an
    erasure): their recorded questions and the past replies kept with the questions they answered."""
    if not cases:
        return 0
    since = min(c.opened_at for c in cases).date()
    ids = [c.case_id for c in cases]
    return deps.knowledge.forget_unanswered(ids, since) + deps.knowledge.forget_past_replies(ids)


def unanswered(deps: Deps, days: int) -> list[QuestionGroup]:
    """The last `days` days' questions without a good answer, grouped, biggest group first."""
    today = clock.now().date()
    found: list[UnansweredQuestion] = []
    for back in range(days):
        found.extend(deps.knowledge.unanswered(today - timedelta(days=back), PER_DAY))
    found.sort(key=lambda q: q.at, reverse=True)
    groups = clusters([q.question for q in found], GROUP_SIMILARITY)
    return [_group([found[i] for i in members]) for members in groups]


def _group(members: list[UnansweredQuestion]) -> QuestionGroup:
    questions = list(dict.fromkeys(q.question for q in members))
    return QuestionGroup(
        label=label(questions) or questions[0][:60],
        count=len(members),
        questions=questions[:SHOWN],
        case_ids=[q.case_id for q in members[:SHOWN]],
        latest=members[0].at,
        best_answer_id=members[0].best_answer_id,
    )
