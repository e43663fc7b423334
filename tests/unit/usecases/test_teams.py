"""Teams mean something (R7): only members claim from a team's queue, a case that needs skills goes only
to an agent who has them, and supervisors move people between teams — on fakes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from infra.wiring import CONFIG_FILE
from shared.errors import Forbidden, InvalidInput
from shared.models.agent import Agent
from shared.models.config import parse_config
from shared.models.interaction import Author, Channel, EventKind, Interaction, Platform
from shared.models.triage import Category, Sentiment, Triage
from shared.rules.routing import route
from shared.usecases import claims, teams
from tests.unit.usecases.conftest import a_case

AGENT = Agent("agent@heard.local", frozenset({"agent"}))
TRAINEE = Agent("trainee@heard.local", frozenset({"trainee"}))
SUPERVISOR = Agent("supervisor@heard.local", frozenset({"supervisor"}))


def test_an_agent_or_trainee_claims_only_from_their_own_teams(world):
    a_case(world, "es1", team="care-es")
    world.work.enqueue("care-es", 2, "es1")
    for outsider in (AGENT, TRAINEE):  # the bundled care-es team has no members
        with pytest.raises(Forbidden, match="not a member of team 'care-es'; your teams: \\['care'"):
            claims.claim_next(world.deps, outsider, "care-es")
    assert world.work.depths("care-es") == {"2": 1}  # nothing was taken or discarded
    claimed = claims.claim_next(world.deps, SUPERVISOR, "care-es")  # supervisors cover any team
    assert claimed is not None and claimed.owner == SUPERVISOR.email


def test_a_case_needing_skills_is_left_for_an_agent_who_has_them(world):
    a_case(world, "billing", required_skills=["billing"])
    a_case(world, "plain")
    world.work.enqueue("care", 1, "billing")
    world.work.enqueue("care", 3, "plain")
    claimed = claims.claim_next(world.deps, AGENT, "care")  # lacks "billing": skips to the next
    assert claimed is not None and claimed.case_id == "plain"
    assert world.work.in_flight == [] and [i.case_id for i in world.work.released] == ["billing"]
    assert claims.claim_next(world.deps, AGENT, "care") is None  # only the billing case is left
    teams.set_person(world.deps, SUPERVISOR, "Agent@heard.local", ["care"], ["billing"])
    claimed = claims.claim_next(world.deps, AGENT, "care")
    assert claimed is not None and claimed.case_id == "billing"


def test_a_supervisor_moves_a_person_between_teams_and_sets_skills(world):
    answer = teams.set_person(
        world.deps, SUPERVISOR, "trainee@heard.local", ["care-es"], ["spanish", "spanish"]
    )
    assert answer == {
        "email": "trainee@heard.local",
        "teams": ["care-es"],
        "skills": ["spanish"],
        "probation_until": None,
    }
    config = world.deps.config.get()
    assert "trainee@heard.local" not in config.team("care").members
    assert config.team("care-es").members == ["trainee@heard.local"]
    roster = {t["id"]: t for t in teams.roster(world.deps)}
    assert roster["care-es"]["members"] == [{"email": "trainee@heard.local", "skills": ["spanish"]}]
    teams.set_person(world.deps, SUPERVISOR, "trainee@heard.local", [], [])  # out of every team
    assert world.deps.config.get().teams_of("trainee@heard.local") == []
    assert world.deps.config.get().people == []


def test_an_unknown_team_is_refused_naming_it_and_nothing_changes(world):
    before = world.deps.config.get()
    with pytest.raises(InvalidInput, match="unknown team\\(s\\) \\['ghosts'\\]"):
        teams.set_person(world.deps, SUPERVISOR, "agent@heard.local", ["care", "ghosts"], [])
    assert world.deps.config.get() == before


def test_a_rule_requiring_skills_puts_them_on_the_decision():
    document = json.loads(CONFIG_FILE.read_text(encoding="utf-8"))
    document["off_hours_team"] = None
    document["rules"].append(
        {"name": "billing", "team": "care", "topics": ["billing"], "required_skills": ["billing"]}
    )
    config = parse_config(document)
    at = datetime(2026, 12, 2, 12, tzinfo=UTC)
    interaction = Interaction(
        platform=Platform.WHATSAPP,
        kind=EventKind.MESSAGE,
        channel=Channel.DIRECT,
        platform_id="1",
        dedupe_key="k",
        author=Author(id="a"),
        conversation_id="p",
        occurred_at=at,
    )
    triage = Triage(sentiment=Sentiment.NEGATIVE, category=Category.COMPLAINT, topic="billing", language="en")
    decision = route(config, triage, interaction, at)
    assert decision.team == "care" and decision.required_skills == ("billing",)


def test_repeated_members_and_people_are_configuration_errors():
    document = json.loads(CONFIG_FILE.read_text(encoding="utf-8"))
    document["teams"][0]["members"].append("AGENT@heard.local")
    document["people"] = [{"email": "a@x.io", "skills": []}, {"email": "A@x.io", "skills": ["billing"]}]
    with pytest.raises(InvalidInput) as raised:
        parse_config(document)
    assert "team 'care' lists member(s) more than once: ['agent@heard.local']" in str(raised.value)
    assert "person ids must be unique; repeated: ['a@x.io']" in str(raised.value)
