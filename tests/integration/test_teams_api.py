"""Teams and skills through the real handlers under moto (R7): only a team's members claim from its queue,
a case needing skills waits for an agent who has them, supervisors move people between teams."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.wiring import CONFIG_FILE
from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.unit.routing import fakes


@pytest.fixture(autouse=True)
def _fake_classifier(monkeypatch):
    """The routing tests' classifier, told the language the platform gave (`extra.language`)."""
    from shared.usecases import intake

    fakes.install(monkeypatch)

    def classify(interaction: Any, config: Any, deps: Any = None, waiting_minutes: float = 0.0) -> Any:
        language = interaction.extra.get("language")
        return fakes.classify(
            interaction.text,
            platform=interaction.platform.value,
            language=language if isinstance(language, str) else None,
            author=interaction.author,
            config=config,
        )

    monkeypatch.setattr(intake, "_classify", classify)


def spanish_complaint(platform_id: str = "es-1") -> Any:
    return comment(platform_id=platform_id, text="Esto es ridiculous, mi pedido no llega").model_copy(
        update={"extra": {"language": "es"}}
    )


def test_supervisors_see_the_teams_with_members_and_others_do_not(aws, lambda_context, at_tuesday_morning):
    status, answer = api("GET", "/api/teams", role="supervisor", context=lambda_context)
    assert status == 200
    care = next(t for t in answer["items"] if t["id"] == "care")
    assert care["members"] == [
        {"email": "agent@heard.local", "skills": []},
        {"email": "trainee@heard.local", "skills": []},
    ]
    assert care["languages"] == ["en"] and care["agent_capacity"] == 8
    for role in ("agent", "trainee", "reviewer"):
        assert api("GET", "/api/teams", role=role, context=lambda_context)[0] == 403


def test_only_members_claim_a_spanish_case_until_a_supervisor_adds_one(
    aws, lambda_context, at_tuesday_morning
):
    deliver([spanish_complaint()], aws, lambda_context)
    _, listing = api("GET", "/api/cases", query="status=queued", context=lambda_context)
    assert listing["items"][0]["team"] == "care-es"
    # The trainee is not in the Spanish team: refused, and the case still waits
    status, answer = api("POST", "/api/queues/care-es/next", role="trainee", context=lambda_context)
    assert status == 403 and "not a member of team 'care-es'" in answer["message"]
    # A supervisor moves the trainee from care to care-es, with the skill "spanish"
    status, person = api(
        "PUT",
        "/api/people/trainee@heard.local",
        role="supervisor",
        body={"teams": ["care-es"], "skills": ["spanish"]},
        context=lambda_context,
    )
    assert status == 200 and person == {
        "email": "trainee@heard.local",
        "teams": ["care-es"],
        "skills": ["spanish"],
    }
    status, claimed = api("POST", "/api/queues/care-es/next", role="trainee", context=lambda_context)
    assert status == 200 and claimed["case"]["owner"] == "trainee@heard.local"
    # and the trainee is out of care now; the agent never was in care-es
    assert api("POST", "/api/queues/care/next", role="trainee", context=lambda_context)[0] == 403
    assert api("POST", "/api/queues/care-es/next", role="agent", context=lambda_context)[0] == 403


def test_a_case_needing_a_skill_waits_for_an_agent_who_has_it(aws, lambda_context, at_tuesday_morning):
    document = json.loads(CONFIG_FILE.read_text(encoding="utf-8"))
    document["rules"].append(
        {"name": "billing experts", "team": "care", "topics": ["billing"], "required_skills": ["billing"]}
    )
    assert api("PUT", "/api/config", role="admin", body=document, context=lambda_context)[0] == 200
    deliver([comment(text="This is ridiculous, I was charged twice on my card")], aws, lambda_context)
    # The agent lacks the skill: nothing for them (the case stays queued for someone who has it)
    assert api("POST", "/api/queues/care/next", context=lambda_context)[0] == 204
    _, listing = api("GET", "/api/cases", query="status=queued", context=lambda_context)
    assert listing["items"][0]["required_skills"] == ["billing"]
    status, _ = api(
        "PUT",
        "/api/people/agent@heard.local",
        role="admin",
        body={"teams": ["care", "off-hours"], "skills": ["billing"]},
        context=lambda_context,
    )
    assert status == 200
    status, claimed = api("POST", "/api/queues/care/next", context=lambda_context)
    assert status == 200 and claimed["case"]["required_skills"] == ["billing"]


@pytest.mark.parametrize(
    ("path", "body", "status", "says"),
    [
        ("/api/people/agent@heard.local", {"teams": ["ghosts"]}, 422, "unknown team(s) ['ghosts']"),
        ("/api/people/agent@heard.local", {"teams": ["care"], "skills": ["Not A Slug"]}, 422, "skills"),
        ("/api/people/agent@heard.local", {"teams": ["care"], "role": "admin"}, 422, "role"),
        ("/api/people/agent@heard.local", {}, 422, "teams"),
        ("/api/people/not-an-email", {"teams": ["care"]}, 422, "email"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_changes_nothing(
    aws, lambda_context, at_tuesday_morning, path, body, status, says
):
    before = api("GET", "/api/teams", role="supervisor", context=lambda_context)[1]
    answer_status, answer = api("PUT", path, role="supervisor", body=body, context=lambda_context)
    assert answer_status == status and says in json.dumps(answer)
    assert api("GET", "/api/teams", role="supervisor", context=lambda_context)[1] == before


def test_agents_and_trainees_may_not_move_people(aws, lambda_context, at_tuesday_morning):
    for role in ("agent", "trainee", "reviewer"):
        status, _ = api(
            "PUT", "/api/people/agent@heard.local", role=role, body={"teams": ["pr"]}, context=lambda_context
        )
        assert status == 403
