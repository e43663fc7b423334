"""Grouping questions without a good answer (shared/retrieval.clusters, shared/usecases/knowledge_gaps)."""

from __future__ import annotations

from shared.retrieval import Hit, clusters, label
from shared.usecases import knowledge_gaps
from tests.unit.fakes import fakes

QUESTIONS = [
    "Do you sell gift vouchers for birthdays?",
    "Is your coffee fair trade?",
    "can I buy a gift voucher online",
    "Where does your coffee come from, is it fair trade",
    "Gift vouchers: how long are they valid?",
]


def test_similar_questions_form_one_group_biggest_first():
    # Given questions about two things, When they are grouped
    groups = clusters(QUESTIONS, knowledge_gaps.GROUP_SIMILARITY)
    # Then the gift vouchers come first (three), then the coffee (two), and nothing else
    assert [sorted(g) for g in groups] == [[0, 2, 4], [1, 3]]
    assert "gift" in label([QUESTIONS[i] for i in groups[0]]).split()


def test_no_questions_no_groups():
    assert clusters([], 0.5) == []


def test_only_a_poor_best_match_is_recorded_once_per_case_and_day():
    deps = fakes().deps
    good = [Hit("a1", knowledge_gaps.GAP_SCORE + 0.1, ("card",), "its title and text")]
    poor = [Hit("a1", knowledge_gaps.GAP_SCORE - 0.1, (), "its title and text")]
    assert not knowledge_gaps.note_if_unanswered(deps, "c1", "where is my card", good)
    assert knowledge_gaps.note_if_unanswered(deps, "c2", QUESTIONS[0], poor)
    assert knowledge_gaps.note_if_unanswered(deps, "c2", QUESTIONS[0], poor)
    assert knowledge_gaps.note_if_unanswered(deps, "c3", QUESTIONS[2], [])
    groups = knowledge_gaps.unanswered(deps, 7)
    assert [(g.count, sorted(g.case_ids)) for g in groups] == [(2, ["c2", "c3"])]
    assert groups[0].best_answer_id in {"a1", None}
