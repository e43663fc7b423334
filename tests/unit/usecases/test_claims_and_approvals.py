"""Claiming work and deciding trainees' replies, on fakes."""

from __future__ import annotations

import pytest

from shared.errors import Conflict, Forbidden, NotFound
from shared.models.agent import Agent
from shared.models.case import CaseStatus, TimelineKind
from shared.usecases import approvals, claims, replies
from tests.unit.usecases.conftest import a_case

AGENT = Agent("agent@heard.local", frozenset({"agent"}))
TRAINEE = Agent("trainee@heard.local", frozenset({"trainee"}))
SUPERVISOR = Agent("supervisor@heard.local", frozenset({"supervisor"}))


def test_claiming_takes_the_most_urgent_case_and_skips_stale_ones(world):
    a_case(world, "c1")
    a_case(world, "c2")
    a_case(world, "gone")
    world.cases.cases.pop("gone")
    world.work.enqueue("care", 3, "c1")
    world.work.enqueue("care", 1, "gone")
    world.work.enqueue("care", 2, "c2")
    claimed = claims.claim_next(world.deps, AGENT, "care")
    assert claimed is not None and claimed.case_id == "c2" and claimed.owner == AGENT.email
    assert world.work.depths("care") == {"3": 1}  # the stale message was discarded
    assert [e.kind for e in world.cases.timeline("c2")][-1] is TimelineKind.ASSIGNED
    assert claims.claim_next(world.deps, AGENT, "care").case_id == "c1"
    assert claims.claim_next(world.deps, AGENT, "care") is None


def test_claiming_respects_capacity_and_known_teams(world):
    with pytest.raises(NotFound):
        claims.claim_next(world.deps, AGENT, "nope")
    capacity = world.deps.config.get().team("care").agent_capacity
    for i in range(capacity):
        a_case(world, f"c{i}", status=CaseStatus.ASSIGNED, owner=AGENT.email)
    with pytest.raises(Conflict, match="capacity"):
        claims.claim_next(world.deps, AGENT, "care")


def test_a_reviewer_reading_a_case_is_recorded(world):
    a_case(world)
    claims.get_case(world.deps, "c1", Agent("rev@heard.local", frozenset({"reviewer"})))
    assert world.quality.has_read("c1", "rev@heard.local")


def test_approving_sends_the_trainees_reply_once(world):
    a_case(world)
    reply = replies.post_reply(world.deps, TRAINEE, "c1", "Sorry!")
    with pytest.raises(Forbidden):
        approvals.approve(world.deps, AGENT, "c1", reply.entry_id)
    assert [p.reply_id for p in approvals.pending(world.deps, SUPERVISOR)] == [reply.entry_id]
    decision = approvals.approve(world.deps, SUPERVISOR, "c1", reply.entry_id)
    assert decision.case.first_response_at is not None and decision.case.first_responder == TRAINEE.email
    assert len(world.outbox.sent) == 1 and world.quality.approvals == {}
    with pytest.raises(Conflict):
        approvals.approve(world.deps, SUPERVISOR, "c1", reply.entry_id)
    with pytest.raises(Conflict):
        approvals.reject(world.deps, SUPERVISOR, "c1", reply.entry_id, "too late")


def test_rejecting_sends_nothing_and_tells_the_trainee_why(world):
    a_case(world)
    reply = replies.post_reply(world.deps, TRAINEE, "c1", "Sorry!")
    decision = approvals.reject(world.deps, SUPERVISOR, "c1", reply.entry_id, " Say sorry properly ")
    assert decision.reply.data["delivery"] == "rejected" and world.outbox.sent == []
    assert "Feedback: Say sorry properly" in decision.entry.text
    with pytest.raises(NotFound):
        approvals.approve(world.deps, SUPERVISOR, "c1", "r-nope")
