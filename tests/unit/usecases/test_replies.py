"""Replies on fakes: queued or awaiting approval, one reply per idempotency key, never lost when the
outbox is down."""

from __future__ import annotations

import json

import pytest

from shared.errors import Conflict, InvalidInput, Unavailable
from shared.models.agent import Agent
from shared.models.case import CaseStatus, TimelineKind
from shared.models.interaction import Platform
from shared.usecases import replies
from tests.unit.usecases.conftest import a_case

AGENT = Agent("agent@heard.local", frozenset({"agent"}))
TRAINEE = Agent("trainee@heard.local", frozenset({"trainee"}))


def replies_of(world, case_id="c1"):
    return [e for e in world.cases.timeline(case_id) if e.kind is TimelineKind.REPLY]


def test_an_agents_reply_is_queued_owns_the_case_and_enters_the_review_pool(world):
    a_case(world)
    entry = replies.post_reply(world.deps, AGENT, "c1", "Sorry, on it!")
    case = world.cases.get("c1")
    assert case.owner == AGENT.email and case.status is CaseStatus.ASSIGNED
    assert (
        case.first_response_at is not None and case.reply_due is None and case.first_responder == AGENT.email
    )
    [queued] = [json.loads(m) for m in world.outbox.sent]
    assert queued["reply_id"] == entry.entry_id and world.deps.config.get().contact_line in queued["text"]
    assert [i.reply_id for i in world.quality.pool.values()] == [entry.entry_id]


def test_a_trainees_reply_waits_for_approval_and_the_sla_keeps_running(world):
    before = a_case(world)
    entry = replies.post_reply(world.deps, TRAINEE, "c1", "Sorry!")
    assert entry.data["delivery"] == "awaiting_approval"
    assert world.outbox.sent == [] and len(world.quality.approvals) == 1
    case = world.cases.get("c1")
    assert case.first_response_at is None and case.reply_due == before.reply_due


def test_the_same_idempotency_key_never_sends_a_second_reply(world):
    a_case(world)
    first = replies.post_reply(world.deps, AGENT, "c1", "Sorry!", idempotency_key="k-1")
    again = replies.post_reply(world.deps, AGENT, "c1", "Sorry!", idempotency_key="k-1")
    assert again.entry_id == first.entry_id
    assert len(world.outbox.sent) == 1 and len(replies_of(world)) == 1
    other = replies.post_reply(world.deps, AGENT, "c1", "And another thing", idempotency_key="k-2")
    assert other.entry_id != first.entry_id and len(world.outbox.sent) == 2


def test_a_retry_after_the_outbox_was_down_queues_the_same_reply_once(world):
    a_case(world)
    world.outbox.down = True
    with pytest.raises(Unavailable):
        replies.post_reply(world.deps, AGENT, "c1", "Sorry!", idempotency_key="k-1")
    [failed] = replies_of(world)
    assert failed.data["delivery"] == "failed"
    world.outbox.down = False
    retried = replies.post_reply(world.deps, AGENT, "c1", "Sorry!", idempotency_key="k-1")
    assert retried.entry_id == failed.entry_id and retried.data["delivery"] == "queued"
    assert len(world.outbox.sent) == 1 and len(replies_of(world)) == 1
    assert (
        replies.post_reply(world.deps, AGENT, "c1", "Sorry!", idempotency_key="k-1").entry_id
        == failed.entry_id
    )
    assert len(world.outbox.sent) == 1


@pytest.mark.parametrize("key", ["", "has space", "x" * 129, "ü"])
def test_a_malformed_idempotency_key_is_refused(world, key):
    a_case(world)
    with pytest.raises(InvalidInput, match="idempotency key"):
        replies.post_reply(world.deps, AGENT, "c1", "Sorry!", idempotency_key=key)


def test_a_reply_too_long_for_x_is_refused_with_its_length(world):
    a_case(world, platform=Platform.X)
    with pytest.raises(InvalidInput, match="x allows 280"):
        replies.post_reply(world.deps, AGENT, "c1", "a" * 280)


def test_a_resolved_case_takes_no_reply(world):
    a_case(world, status=CaseStatus.RESOLVED)
    with pytest.raises(Conflict):
        replies.post_reply(world.deps, AGENT, "c1", "Hello?")
