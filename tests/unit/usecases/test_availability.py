"""Owner away -> backup, on fakes: the backup must be a real, active agent (#7.6)."""

from __future__ import annotations

import pytest

from shared.errors import InvalidInput
from shared.models.agent import Agent
from shared.models.case import CaseStatus
from shared.usecases import availability
from tests.unit.fakes import bundled_config

AGENT = Agent("agent@heard.local", frozenset({"agent"}))
TRAINEE = Agent("trainee@heard.local", frozenset({"trainee"}))


def test_a_backup_who_is_not_an_agent_is_refused(world):
    with pytest.raises(InvalidInput, match="trainee@heard.locl is not an active agent"):
        availability.set_availability(world.deps, AGENT, True, "trainee@heard.locl")  # a typo
    assert world.crises.away == {}


def test_a_real_agent_can_be_named_in_any_case(world):
    saved = availability.set_availability(world.deps, AGENT, True, " Trainee@Heard.local ")
    assert saved.backup == "trainee@heard.local" and world.crises.away[AGENT.email].away


def test_an_away_owners_case_goes_to_their_backup(world, now):
    availability.set_availability(world.deps, AGENT, True, TRAINEE.email)
    handover = availability.hand_over_if_away(
        world.deps, "c1", AGENT.email, CaseStatus.ASSIGNED, "care", now["now"]
    )
    assert handover is not None and handover.owner == TRAINEE.email and handover.status is CaseStatus.ASSIGNED
    assert handover.entry.data == {"from": AGENT.email, "to": TRAINEE.email}


def test_a_backup_who_left_the_teams_since_does_not_orphan_the_case(world, now):
    availability.set_availability(world.deps, AGENT, True, TRAINEE.email)
    # The trainee is removed from every team afterwards
    config = bundled_config()
    teams = [
        t.model_copy(update={"members": [m for m in t.members if m != TRAINEE.email]}) for t in config.teams
    ]
    world.config.put(config.model_copy(update={"teams": teams}))
    handover = availability.hand_over_if_away(
        world.deps, "c1", AGENT.email, CaseStatus.ASSIGNED, "care", now["now"]
    )
    assert handover is not None and handover.owner is None and handover.status is CaseStatus.QUEUED
    assert "no longer an active agent" in handover.entry.text


def test_a_backup_away_too_sends_the_case_back_to_the_queue(world, now):
    availability.set_availability(world.deps, AGENT, True, TRAINEE.email)
    availability.set_availability(world.deps, TRAINEE, True, None)
    handover = availability.hand_over_if_away(
        world.deps, "c1", AGENT.email, CaseStatus.ASSIGNED, "care", now["now"]
    )
    assert handover is not None and handover.status is CaseStatus.QUEUED and "away too" in handover.entry.text


def test_an_owner_at_work_keeps_the_case(world, now):
    assert (
        availability.hand_over_if_away(world.deps, "c1", AGENT.email, CaseStatus.ASSIGNED, "care", now["now"])
        is None
    )
    availability.set_availability(world.deps, AGENT, False, None)
    assert (
        availability.hand_over_if_away(world.deps, "c1", AGENT.email, CaseStatus.ASSIGNED, "care", now["now"])
        is None
    )
