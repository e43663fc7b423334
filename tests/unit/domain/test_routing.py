"""Routing (R7): rules, languages, crisis point persons and the off-hours team."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.adapters.config_store import parse_config
from shared.errors import InvalidInput
from shared.models.interaction import Author, Channel, EventKind, Interaction, Platform
from shared.models.triage import Category, Sentiment, Triage
from shared.rules.routing import route

CONFIG = parse_config(Path("config/heard.json").read_text())
TUESDAY_10_LONDON = datetime(2026, 11, 17, 10, 0, tzinfo=UTC)
SUNDAY_NIGHT = datetime(2026, 11, 22, 23, 0, tzinfo=UTC)


def post(platform: Platform = Platform.FACEBOOK) -> Interaction:
    return Interaction(
        platform=platform,
        kind=EventKind.MESSAGE,
        channel=Channel.COMMENT,
        platform_id="1",
        dedupe_key="k",
        author=Author(id="a"),
        conversation_id="p",
        occurred_at=TUESDAY_10_LONDON,
    )


def triage(**overrides) -> Triage:
    base = {"sentiment": Sentiment.NEGATIVE, "category": Category.COMPLAINT, "language": "en"}
    return Triage(**{**base, **overrides})


def test_english_complaint_in_hours_goes_to_the_default_team():
    assert route(CONFIG, triage(), post(), TUESDAY_10_LONDON).team == "care"


def test_spanish_goes_to_the_spanish_team():
    decision = route(CONFIG, triage(language="es"), post(), datetime(2026, 11, 17, 10, 0, tzinfo=UTC))
    assert decision.team == "care-es"
    assert "Spanish" in decision.reason


def test_closed_team_hands_over_to_off_hours():
    decision = route(CONFIG, triage(), post(), SUNDAY_NIGHT)
    assert decision.team == "off-hours"
    assert "closed" in decision.reason


def test_crisis_goes_to_the_point_persons_team_even_off_hours():
    decision = route(CONFIG, triage(crisis="safety"), post(), SUNDAY_NIGHT)
    assert decision.team == "pr"
    assert "supervisor@heard.local" in decision.reason


def test_invalid_configuration_is_refused_with_every_problem_named():
    data = json.loads(Path("config/heard.json").read_text())
    data["default_team"] = "nobody"
    with pytest.raises(InvalidInput, match="unknown team 'nobody'"):
        parse_config(json.dumps(data))
    with pytest.raises(InvalidInput, match="not valid JSON"):
        parse_config("{")


def test_comprehend_is_granted_to_triage_only_when_the_configuration_asks_for_it(monkeypatch):
    import infra.wiring as wiring

    def triage_uses() -> set[str]:
        return {u.resource for u in wiring.heard.__wrapped__().function("triage").uses}

    assert "comprehend" not in triage_uses()
    monkeypatch.setattr(wiring, "_triage_backend", lambda _path=None: "comprehend")
    assert "comprehend" in triage_uses()
    assert all(
        "comprehend" not in {u.resource for u in f.uses}
        for f in wiring.heard.__wrapped__().functions
        if f.id != "triage"
    )
