"""Configuration rules for routing: every broken reference listed at once, FAQ answers and contact hours
validated; the holding statement's wording."""

from __future__ import annotations

import json

import pytest

from infra.wiring import CONFIG_FILE
from shared.adapters.config_store import parse_config
from shared.errors import InvalidInput
from shared.models.crisis import HoldingStatement


def document() -> dict:
    return json.loads(CONFIG_FILE.read_text(encoding="utf-8"))


def test_the_bundled_configuration_is_valid_and_has_approved_answers_switched_off():
    config = parse_config(document())
    assert config.auto_answer_faq is False and {f.id for f in config.faq} == {"returns", "store-hours"}


def test_every_broken_reference_is_listed_in_one_error():
    doc = document()
    doc["default_team"] = "nobody"
    doc["crisis_types"][0]["team"] = "ghosts"
    doc["escalation_contacts"][0]["backup"] = "nobody-at-all"
    doc["rules"].append({"name": "weather", "team": "care", "topics": ["weather"]})
    with pytest.raises(InvalidInput) as raised:
        parse_config(doc)
    message = str(raised.value)
    for problem in (
        "default_team names unknown team 'nobody'",
        "crisis type 'safety' names unknown team 'ghosts'",
        "unknown backup 'nobody-at-all'",
        "unknown topic(s) ['weather']",
    ):
        assert problem in message


def test_repeated_ids_are_refused():
    doc = document()
    doc["faq"].append(dict(doc["faq"][0]))
    with pytest.raises(InvalidInput, match=r"faq answer ids must be unique; repeated: \['returns'\]"):
        parse_config(doc)


@pytest.mark.parametrize("change", [{"keywords": ["refund"]}, {"answer": ""}, {"id": "Returns!"}])
def test_an_faq_answer_needs_two_keywords_an_answer_and_a_slug(change):
    doc = document()
    doc["faq"][0].update(change)
    with pytest.raises(InvalidInput, match="faq.0"):
        parse_config(doc)


def test_contact_hours_must_be_understood():
    doc = document()
    doc["escalation_contacts"][2]["hours"] = "when the moon is full"
    with pytest.raises(InvalidInput, match="escalation_contacts.2.hours"):
        parse_config(doc)


def test_the_holding_statement_reads_as_one_message():
    statement = HoldingStatement(
        text="We are investigating reports of overheating kettles",
        next_update="by 15:00 UTC.",
        more_info="example.com/kettles",
    )
    assert statement.compose() == (
        "We are investigating reports of overheating kettles. Next update: by 15:00 UTC. "
        "More: example.com/kettles"
    )
    assert (
        HoldingStatement(text="Sorry!", next_update="soon", more_info="x").compose().startswith("Sorry! Next")
    )
