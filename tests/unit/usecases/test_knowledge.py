"""The knowledge base's use cases on fakes: states and versions, suggestions, learning from use, and
the answers automatic replies may use."""

from __future__ import annotations

import pytest

from shared.errors import Conflict, Forbidden, InvalidInput
from shared.models.agent import Agent
from shared.models.knowledge import AnswerState
from shared.usecases import knowledge
from tests.unit.usecases.conftest import a_case

AGENT = Agent("agent@heard.local", frozenset({"agent"}))
BOSS = Agent("supervisor@heard.local", frozenset({"supervisor"}))
LATE = {"title": "Late parcel", "body": "Hi {first_name}, your parcel is on its way (case {case_number})."}


def test_a_proposal_from_a_case_learns_its_question_and_waits_for_a_supervisor(world):
    a_case(world)
    answer = knowledge.propose(world.deps, AGENT, LATE, "c1")
    assert answer.state is AnswerState.PROPOSED and answer.examples == ["late!"]
    with pytest.raises(Forbidden):
        knowledge.decide(world.deps, AGENT, answer.answer_id, 1, "approve", "")
    approved = knowledge.decide(world.deps, BOSS, answer.answer_id, 1, "approve", "ok")
    assert approved.state is AnswerState.APPROVED and approved.version == 2
    with pytest.raises(Conflict):  # approving twice is not a move
        knowledge.decide(world.deps, BOSS, answer.answer_id, 2, "approve", "")
    with pytest.raises(Conflict):  # a stale version
        knowledge.decide(world.deps, BOSS, answer.answer_id, 1, "retire", "")
    assert [v.action for v in world.knowledge.history(answer.answer_id)] == ["approved", "proposed"]


def test_unknown_variables_name_the_field(world):
    with pytest.raises(InvalidInput, match=r"body: \{eta\}"):
        knowledge.propose(world.deps, AGENT, {"title": "t", "body": "arrives {eta}"}, None)


def test_the_owner_edits_only_while_proposed(world):
    answer = knowledge.propose(world.deps, AGENT, LATE, None)
    edited = knowledge.edit(world.deps, AGENT, answer.answer_id, 1, {"title": "Parcel late"})
    assert edited.title == "Parcel late" and edited.version == 2
    knowledge.decide(world.deps, BOSS, answer.answer_id, 2, "approve", "")
    with pytest.raises(Forbidden):
        knowledge.edit(world.deps, AGENT, answer.answer_id, 3, {"title": "x"})


def test_an_automatic_answer_needs_keywords(world):
    with pytest.raises(InvalidInput, match="keywords"):
        answer = knowledge.propose(world.deps, AGENT, {**LATE, "automatic": True}, None)
        knowledge.decide(world.deps, BOSS, answer.answer_id, 1, "approve", "")


def test_suggestions_fill_variables_and_use_teaches_the_question(world):
    a_case(world)
    answer = knowledge.propose(world.deps, AGENT, {**LATE, "title": "Late parcel, late order"}, None)
    knowledge.decide(world.deps, BOSS, answer.answer_id, 1, "approve", "")
    question, found = knowledge.suggest(world.deps, AGENT, "c1", 3)
    assert question == "late!" and [s.answer.answer_id for s in found] == [answer.answer_id]
    assert found[0].text == "Hi Ana, your parcel is on its way (case c1)."
    used, text = knowledge.use(world.deps, AGENT, answer.answer_id, "c1")
    assert text == found[0].text
    assert world.knowledge.get(answer.answer_id).examples == ["late!"]
    assert world.knowledge.get(answer.answer_id).used == 1


def test_a_retired_answer_is_no_longer_suggested_nor_automatic(world):
    a_case(world)
    answer = knowledge.propose(
        world.deps, AGENT, {**LATE, "automatic": True, "keywords": ["parcel", "late"]}, None
    )
    knowledge.decide(world.deps, BOSS, answer.answer_id, 1, "approve", "")
    assert [a.answer_id for a in knowledge.automatic_answers(world.deps)] == [answer.answer_id]
    knowledge.decide(world.deps, BOSS, answer.answer_id, 2, "retire", "")
    knowledge.forget_automatic(world.deps)
    knowledge.forget_index_age(world.deps)
    assert knowledge.automatic_answers(world.deps) == ()
    assert knowledge.suggest(world.deps, AGENT, "c1", 3)[1] == []
    with pytest.raises(Conflict):
        knowledge.use(world.deps, AGENT, answer.answer_id, "c1")
