"""The admin console's users and configuration forms through the real API handler under moto (#12): accounts
live in the Cognito user pool (its admin APIs, granted to the api function only on its pool), teams and
probation in the configuration; every change is in the audit trail with who made it; a bad configuration
is refused with each problem located, and nothing stored is lost."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import boto3

from infra.wiring import CONFIG_FILE
from tests.integration.test_case_lifecycle import api

NEW = "lucia@heard.local"


def _groups(aws: Any, email: str) -> list[str]:
    cognito = boto3.client("cognito-idp")
    found = cognito.admin_list_groups_for_user(UserPoolId=aws.user_pool_id, Username=email)["Groups"]
    return [g["GroupName"] for g in found]


def test_an_admin_invites_a_spanish_speaking_agent_into_a_team(aws, lambda_context):
    # When an admin invites Lucía as an agent in the Spanish team, on probation until a date
    body = {"role": "agent", "teams": ["care-es"], "probation_until": "2027-01-31"}
    status, user = api("POST", f"/api/users/{NEW}", role="admin", body=body, context=lambda_context)
    # Then the pool has her account, invited (a temporary password) and in the agent group
    assert status == 201, user
    assert user["email"] == NEW and user["role"] == "agent" and user["status"] == "FORCE_CHANGE_PASSWORD"
    assert user["teams"] == ["care-es"] and user["probation_until"] == "2027-01-31"
    assert _groups(aws, NEW) == ["agent"]
    # and the configuration lists her in the team with her probation end
    _, current = api("GET", "/api/config", role="admin", context=lambda_context)
    spanish = next(t for t in current["config"]["teams"] if t["id"] == "care-es")
    assert NEW in spanish["members"]
    assert {"email": NEW, "skills": [], "probation_until": "2027-01-31"} in current["config"]["people"]
    # and the list shows her with everyone the pool holds
    _, listing = api("GET", "/api/users", role="admin", context=lambda_context)
    assert NEW in [u["email"] for u in listing["items"]] and "agent@heard.local" in [
        u["email"] for u in listing["items"]
    ]
    # Inviting her again is a conflict, and nothing changes
    again = api("POST", f"/api/users/{NEW}", role="admin", body=body, context=lambda_context)
    assert again[0] == 409


def test_an_admin_changes_role_skills_and_disables_an_account(aws, lambda_context):
    api("POST", f"/api/users/{NEW}", role="admin", body={"role": "trainee"}, context=lambda_context)
    change = {"role": "agent", "skills": ["spanish"], "teams": ["care", "care-es"]}
    status, user = api("PATCH", f"/api/users/{NEW}", role="admin", body=change, context=lambda_context)
    assert status == 200 and user["role"] == "agent" and user["skills"] == ["spanish"]
    assert _groups(aws, NEW) == ["agent"]
    # Disabling keeps everything else
    status, user = api(
        "PATCH", f"/api/users/{NEW}", role="admin", body={"enabled": False}, context=lambda_context
    )
    assert status == 200 and user["enabled"] is False and user["teams"] == ["care", "care-es"]
    status, user = api(
        "PATCH", f"/api/users/{NEW}", role="admin", body={"enabled": True}, context=lambda_context
    )
    assert user["enabled"] is True
    # A field sent as null changes nothing (only the probation date's null means "end it")
    status, user = api(
        "PATCH",
        f"/api/users/{NEW}",
        role="admin",
        body={"enabled": None, "teams": None},
        context=lambda_context,
    )
    assert status == 200 and user["enabled"] is True and user["teams"] == ["care", "care-es"]
    # An admin may not lock themselves out
    own = api(
        "PATCH", "/api/users/admin@heard.local", role="admin", body={"enabled": False}, context=lambda_context
    )
    assert own[0] == 422 and "yourself" in own[1]["message"]
    # Unknown accounts, roles and teams are named
    assert (
        api("PATCH", "/api/users/ghost@heard.local", role="admin", body={}, context=lambda_context)[0] == 404
    )
    bad_role = api("PATCH", f"/api/users/{NEW}", role="admin", body={"role": "boss"}, context=lambda_context)
    assert bad_role[0] == 422 and bad_role[1]["detail"][0]["loc"] == ["body", "role"]
    bad_team = api(
        "PATCH", f"/api/users/{NEW}", role="admin", body={"teams": ["nowhere"]}, context=lambda_context
    )
    assert bad_team[0] == 422 and "unknown team(s) ['nowhere']" in bad_team[1]["message"]


def test_only_admins_manage_users_and_every_change_is_audited_with_who(aws, lambda_context):
    for role in ("supervisor", "agent", "auditor"):
        assert api("GET", "/api/users", role=role, context=lambda_context)[0] == 403
        assert (
            api("POST", f"/api/users/{NEW}", role=role, body={"role": "agent"}, context=lambda_context)[0]
            == 403
        )
    api("POST", f"/api/users/{NEW}", role="admin", body={"role": "agent"}, context=lambda_context)
    api("PATCH", f"/api/users/{NEW}", role="admin", body={"enabled": False}, context=lambda_context)
    today = date.today().isoformat()
    _, trail = api(
        "GET", "/api/audit", role="admin", query=f"start={today}&action=user", context=lambda_context
    )
    actions = {(r["action"], r["actor"], r["outcome"]) for r in trail["items"]}
    assert ("user.invite", "admin@heard.local", 201) in actions
    assert ("user.change", "admin@heard.local", 200) in actions
    assert ("access.denied", "supervisor@heard.local", 403) not in actions  # (refusals are their own action)


def test_a_bad_configuration_names_each_field_and_keeps_the_stored_one(aws, lambda_context):
    document: dict[str, Any] = json.loads(CONFIG_FILE.read_text(encoding="utf-8"))
    document["teams"][1]["calendar"]["holidays"] = ["2026-12-24", "2026-13-40"]
    document["off_hours_team"] = "nobody"
    status, answer = api("PUT", "/api/config", role="admin", body=document, context=lambda_context)
    assert status == 422
    assert answer["detail"][0]["loc"] == ["body", "teams", 1, "calendar", "holidays", 1]
    assert "month" in answer["detail"][0]["msg"]
    # (the references are checked once the fields are valid) fix the date: the reference is located too
    document["teams"][1]["calendar"]["holidays"].pop()
    status, answer = api("PUT", "/api/config", role="admin", body=document, context=lambda_context)
    assert status == 422 and answer["detail"][0]["loc"] == ["body", "off_hours_team"]
    assert "unknown team 'nobody'" in answer["detail"][0]["msg"]
    _, current = api("GET", "/api/config", role="admin", context=lambda_context)
    assert current["config"]["off_hours_team"] == "off-hours"
