"""The dispatcher's send lease, on fakes: a send abandoned mid-way is never counted as handled."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from shared.errors import PlatformError
from shared.models.agent import Agent
from shared.models.case import TimelineKind
from shared.models.outbox import OutboxMessage
from shared.platforms import credentials, outbound
from shared.usecases import dispatch as dispatching
from shared.usecases import replies
from tests.unit.usecases.conftest import a_case

AGENT = Agent("agent@heard.local", frozenset({"agent"}))


class Platform:
    """The platform connector: records sends, or fails."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.refuse: str | None = None

    def send(self, reply, creds, settings):
        if self.refuse:
            raise PlatformError(self.refuse)
        self.sent.append(reply.text)
        return outbound.SendResult(state="sent", platform_message_id=f"pm-{len(self.sent)}")


@pytest.fixture
def platform(monkeypatch) -> Platform:
    fake = Platform()
    monkeypatch.setattr(outbound, "send_reply", fake.send)
    monkeypatch.setattr(credentials, "load_credentials", lambda settings: None)
    return fake


def queued(world) -> OutboxMessage:
    a_case(world)
    replies.post_reply(world.deps, AGENT, "c1", "Sorry!")
    return OutboxMessage.model_validate(json.loads(world.outbox.sent[-1]))


def delivery(world, message: OutboxMessage) -> dict:
    entry = world.cases.entry(message.case_id, message.entry_sk)
    return dict(entry.data)


def test_a_reply_is_sent_once_even_when_the_outbox_delivers_it_twice(world, platform):
    message = queued(world)
    assert dispatching.dispatch(message, world.deps) is dispatching.Dispatch.SENT
    assert dispatching.dispatch(message, world.deps) is dispatching.Dispatch.ALREADY_HANDLED
    assert platform.sent == [message.text] and delivery(world, message)["delivery"] == "sent"
    assert world.cases.message("facebook#pm-1") is not None


def test_a_redelivery_while_the_send_is_leased_waits(world, platform, now):
    message = queued(world)
    world.cases.take_send_lease(message.case_id, message.entry_sk, now["now"] + dispatching.SEND_LEASE)
    with pytest.raises(dispatching.SendInProgress):
        dispatching.dispatch(message, world.deps)
    assert platform.sent == [] and delivery(world, message)["delivery"] == "sending"


def test_a_send_abandoned_mid_way_is_marked_failed_needing_attention_once(world, platform, now):
    # Given a dispatcher that took the lease and died before recording the outcome
    message = queued(world)
    world.cases.take_send_lease(message.case_id, message.entry_sk, now["now"] + dispatching.SEND_LEASE)
    # When the outbox redelivers after the lease ran out
    now["now"] += dispatching.SEND_LEASE + timedelta(seconds=1)
    outcome = dispatching.dispatch(message, world.deps)
    # Then the reply is not resent blindly: it is failed, needs attention, and the agent sees why
    assert outcome is dispatching.Dispatch.NEEDS_ATTENTION and platform.sent == []
    data = delivery(world, message)
    assert data["delivery"] == "failed" and data["needs_attention"] is True
    notes = [e for e in world.cases.timeline("c1") if e.kind is TimelineKind.DELIVERY]
    assert len(notes) == 1 and "may or may not have reached" in notes[0].text
    # And a further redelivery changes nothing
    assert dispatching.dispatch(message, world.deps) is dispatching.Dispatch.ALREADY_HANDLED
    assert len([e for e in world.cases.timeline("c1") if e.kind is TimelineKind.DELIVERY]) == 1


def test_a_send_stuck_without_a_lease_is_recovered_too(world, platform):
    # A reply left in "sending" by a dispatcher that had no lease to record (before leases existed)
    message = queued(world)
    world.cases.update_entry(message.case_id, message.entry_sk, {"delivery": "sending"})
    assert dispatching.dispatch(message, world.deps) is dispatching.Dispatch.NEEDS_ATTENTION


def test_a_reply_not_recorded_yet_is_retried_not_dropped(world, platform):
    message = queued(world).model_copy(update={"entry_sk": "T#2026-11-17T10:00:00.000Z#r-missing"})
    with pytest.raises(dispatching.ReplyNotYetRecorded):
        dispatching.dispatch(message, world.deps)


def test_a_platform_refusal_is_final_and_shown_on_the_case(world, platform):
    message = queued(world)
    platform.refuse = "the conversation was deleted"
    assert dispatching.dispatch(message, world.deps) is dispatching.Dispatch.FAILED
    assert delivery(world, message)["delivery_error"] == "the conversation was deleted"
