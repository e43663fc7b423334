"""Resolving and following up, on fakes; a trainee cannot resolve around the approval of their reply."""

from __future__ import annotations

import pytest

from shared.errors import Conflict, Forbidden, NotFound
from shared.models.agent import Agent
from shared.models.case import CaseStatus, TimelineKind
from shared.models.triage import Category, Sentiment
from shared.usecases import approvals, followups, replies
from tests.unit.usecases.conftest import a_case

AGENT = Agent("agent@heard.local", frozenset({"agent"}))
TRAINEE = Agent("trainee@heard.local", frozenset({"trainee"}))
SUPERVISOR = Agent("supervisor@heard.local", frozenset({"supervisor"}))


def test_a_trainee_cannot_resolve_while_their_reply_waits_for_approval(world):
    # Given a trainee's reply waiting for approval on an unanswered case
    before = a_case(world)
    reply = replies.post_reply(world.deps, TRAINEE, "c1", "Sorry!")
    # When the trainee tries to resolve the case, they are refused and the SLA keeps running
    with pytest.raises(Conflict, match="waiting for a supervisor"):
        followups.resolve(world.deps, TRAINEE, "c1")
    case = world.cases.get("c1")
    assert case.status is CaseStatus.ASSIGNED and case.reply_due == before.reply_due
    # And the supervisor can still approve it
    decision = approvals.approve(world.deps, SUPERVISOR, "c1", reply.entry_id)
    assert decision.reply.data["delivery"] == "queued" and len(world.outbox.sent) == 1
    # Once decided, the trainee may resolve
    assert followups.resolve(world.deps, TRAINEE, "c1").status is CaseStatus.RESOLVED


def test_a_complaint_resolved_gets_three_follow_ups_scheduled_once(world):
    a_case(world, owner=AGENT.email, status=CaseStatus.ASSIGNED)
    resolved = followups.resolve(world.deps, AGENT, "c1", note="Refunded")
    assert [f.label for f in resolved.followups] == ["1 week", "1 month", "6 months"]
    assert sorted(world.scheduler.schedules) == ["fu-c1-1month", "fu-c1-1week", "fu-c1-6months"]
    kinds = [e.kind for e in world.cases.timeline("c1")]
    assert TimelineKind.RESOLVED in kinds and TimelineKind.FOLLOWUPS_SCHEDULED in kinds
    assert followups.resolve(world.deps, AGENT, "c1") == resolved  # resolving twice changes nothing


def test_praise_is_not_followed_up(world):
    a_case(world, category=Category.PRAISE, first_sentiment=Sentiment.POSITIVE)
    assert followups.resolve(world.deps, AGENT, "c1").followups == []
    assert world.scheduler.schedules == {}


def test_a_due_follow_up_becomes_a_task_once_and_is_completed_by_its_owner(world):
    a_case(world, owner=AGENT.email, status=CaseStatus.ASSIGNED)
    followups.resolve(world.deps, AGENT, "c1")
    due = followups.follow_up_due(world.deps, "c1", "1 week")
    assert next(f for f in due.followups if f.label == "1 week").state == "due"
    assert (
        followups.follow_up_due(world.deps, "c1", "1 week").version == due.version
    )  # at-least-once delivery
    with pytest.raises(NotFound):
        followups.follow_up_due(world.deps, "c1", "2 weeks")
    with pytest.raises(Forbidden):
        followups.complete_follow_up(
            world.deps, Agent("other@heard.local", frozenset({"agent"})), "c1", "1 week"
        )
    done = followups.complete_follow_up(world.deps, AGENT, "c1", "1 week", note="All good")
    assert next(f for f in done.followups if f.label == "1 week").state == "done"
