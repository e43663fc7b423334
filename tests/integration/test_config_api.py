"""Configuration through the API: supervisors read it, admins replace it; a bad document is refused with
every problem listed and the last good configuration keeps working (R7)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from infra.wiring import CONFIG_FILE
from shared.adapters.config_store import decode_config
from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.unit.routing import fakes


@pytest.fixture(autouse=True)
def _fake_classifier(monkeypatch):
    fakes.install(monkeypatch)


def bundled() -> dict[str, Any]:
    return json.loads(CONFIG_FILE.read_text(encoding="utf-8"))


def test_supervisors_read_the_configuration_and_agents_do_not(aws, lambda_context, at_tuesday_morning):
    status, answer = api("GET", "/api/config", role="supervisor", context=lambda_context)
    assert status == 200 and [t["id"] for t in answer["config"]["teams"]] == [
        "care",
        "care-es",
        "off-hours",
        "pr",
    ]
    assert api("GET", "/api/config", role="agent", context=lambda_context)[0] == 403


def test_an_admin_replaces_it_and_routing_follows_at_once(aws, lambda_context, at_tuesday_morning):
    # Given a new rule sending billing questions to the Spanish team
    document = bundled()
    document["rules"].insert(0, {"name": "billing to care-es", "team": "care-es", "topics": ["billing"]})
    assert api("PUT", "/api/config", role="supervisor", body=document, context=lambda_context)[0] == 403
    status, answer = api("PUT", "/api/config", role="admin", body=document, context=lambda_context)
    assert status == 200 and answer["config"]["rules"][0]["name"] == "billing to care-es"
    # Then it is stored in SSM for every function
    stored = decode_config(
        boto3.client("ssm").get_parameter(Name=aws.resolve["config"])["Parameter"]["Value"]
    )
    assert json.loads(stored)["rules"][0]["team"] == "care-es"
    # and a billing post goes to the Spanish team (it is open on a Tuesday at 11:01 Madrid time)
    deliver([comment(text="I was charged twice on my card this month")], aws, lambda_context)
    _, listing = api("GET", "/api/cases", query="status=queued", context=lambda_context)
    assert listing["items"][0]["team"] == "care-es"


def test_a_bad_document_lists_every_problem_and_changes_nothing(aws, lambda_context, at_tuesday_morning):
    document = bundled()
    document["default_team"] = "nobody"
    document["rules"].append({"name": "ghost", "team": "ghosts"})
    document["escalation_contacts"][0]["hours"] = "whenever"
    document["escalation_contacts"][1]["phone"] = "call me"
    status, answer = api("PUT", "/api/config", role="admin", body=document, context=lambda_context)
    assert status == 422
    message = answer["message"]
    assert "hours 'whenever' not understood" in message and "escalation_contacts.1.phone" in message
    # (references are checked once the fields are valid: fix the fields, see the references)
    document["escalation_contacts"][0]["hours"] = "24/7"
    document["escalation_contacts"][1]["phone"] = "+1 555 0102"
    status, answer = api("PUT", "/api/config", role="admin", body=document, context=lambda_context)
    assert status == 422
    assert "default_team names unknown team 'nobody'" in answer["message"]
    assert "rule 'ghost' names unknown team 'ghosts'" in answer["message"]
    # Then the last good configuration is still the one in force, and stored
    _, current = api("GET", "/api/config", role="admin", context=lambda_context)
    assert current["config"]["default_team"] == "care"
    stored = decode_config(
        boto3.client("ssm").get_parameter(Name=aws.resolve["config"])["Parameter"]["Value"]
    )
    assert json.loads(stored)["default_team"] == "care"
    assert api("PUT", "/api/config", role="admin", body={"teams": "nope"}, context=lambda_context)[0] == 422


def test_a_team_without_work_queues_is_refused_until_redeployed(aws, lambda_context, at_tuesday_morning):
    document = bundled()
    document["teams"].append({"id": "loyalty", "name": "Loyalty club"})
    status, answer = api("PUT", "/api/config", role="admin", body=document, context=lambda_context)
    assert status == 422
    assert "['loyalty'] have no work queues" in answer["message"] and "redeploy" in answer["message"]


def test_a_stale_document_is_refused_naming_what_changed_and_keeps_the_brand(
    aws, lambda_context, at_tuesday_morning
):
    # Given an admin who read the configuration (revision 0)
    _, read = api("GET", "/api/config", role="admin", context=lambda_context)
    stale = read["config"]
    assert stale["revision"] == 0
    # and another admin who added a brand since
    brand = {
        "id": "outdoors",
        "name": "Outdoors",
        "contact_line": "Call Outdoors on +1 555 0199.",
        "default_team": "care",
    }
    assert api("PUT", "/api/brands/outdoors", role="admin", body=brand, context=lambda_context)[0] == 200
    # When the first admin saves the document they read
    stale["contact_line"] = "Prefer a person? Call +1 555 0100 any day."
    status, answer = api("PUT", "/api/config", role="admin", body=stale, context=lambda_context)
    # Then it is refused, naming the conflict, and the brand is still there
    assert status == 409
    assert "revision 0" in answer["message"] and "brands" in answer["message"]
    _, now = api("GET", "/api/config", role="admin", context=lambda_context)
    assert [b["id"] for b in now["config"]["brands"]] == ["outdoors"] and now["config"]["revision"] == 1
    # and saving the fresh document works, as the next revision
    fresh = {**now["config"], "contact_line": stale["contact_line"]}
    status, saved = api("PUT", "/api/config", role="admin", body=fresh, context=lambda_context)
    assert status == 200 and saved["config"]["revision"] == 2 and saved["config"]["brands"]
