"""Crisis ownership (R6) through the real handlers under moto: the point person of a crisis type owns its
new cases; while they are away the backup does, with the hand-over on the timeline."""

from __future__ import annotations

from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.integration.test_crisis import DECLARE, drain_delayed
from tests.unit.routing import fakes


def test_the_backup_owns_crisis_cases_while_the_point_person_is_away(
    aws, lambda_context, at_tuesday_morning, monkeypatch
):
    fakes.install(monkeypatch)
    drain_delayed(monkeypatch)
    assert api("POST", "/api/crises", role="supervisor", body=DECLARE, context=lambda_context)[0] == 201
    # Given the point person of "safety" (the supervisor) marks themself away
    status, _ = api(
        "PUT", "/api/me/availability", role="supervisor", body={"away": True}, context=lambda_context
    )
    assert status == 200
    # When a customer posts about it
    deliver([comment("c-1", "cust-1", "My kettle started to overheat")], aws, lambda_context)
    # Then the backup (the admin) owns the case and the timeline says why
    _, mine = api("GET", "/api/cases", query="owner=me", role="admin", context=lambda_context)
    assert len(mine["items"]) == 1
    case = mine["items"][0]
    assert case["crisis"] == "safety" and case["status"] == "assigned" and case["team"] == "pr"
    _, detail = api("GET", f"/api/cases/{case['case_id']}", role="admin", context=lambda_context)
    handed = [e for e in detail["timeline"] if e["kind"] == "handed_over"]
    assert handed[0]["data"] == {"from": "supervisor@heard.local", "to": "admin@heard.local"}
    assert "supervisor@heard.local is away; handed to the backup admin@heard.local" in handed[0]["text"]
    # When the point person is back, the next crisis case is theirs
    api("PUT", "/api/me/availability", role="supervisor", body={"away": False}, context=lambda_context)
    deliver([comment("c-2", "cust-2", "smoking kettle here, it overheats")], aws, lambda_context)
    _, theirs = api("GET", "/api/cases", query="owner=me", role="supervisor", context=lambda_context)
    assert [c["crisis"] for c in theirs["items"]] == ["safety"]
