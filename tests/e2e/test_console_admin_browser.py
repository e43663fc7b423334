"""The admin console (#12) in real Chromium against the local stack: an admin invites a Spanish-speaking
agent into the Spanish team and adds a holiday through the forms (a bad date is named next to its field and
nothing is stored), and a Spanish complaint then lands in that team, which a non-member cannot claim; a changed checklist then blocks an untrained agent's direct reply until they pass the
check.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

import urllib.error
from typing import Any

import pytest

from tests.e2e.console_helpers import (
    _call,
    _id_token,
    _marker,
    _post_meta_comment,
    _restore_config,
    _sign_in,
    _wait_for_queued_case,
)

pytestmark = pytest.mark.browser

NEW = "lucia.e2e@heard.local"


def _team(config: dict[str, Any], team_id: str) -> dict[str, Any]:
    return next(t for t in config["teams"] if t["id"] == team_id)


def test_an_admin_invites_a_spanish_agent_and_adds_a_holiday(new_page: Any, local_stack: Any) -> None:
    from playwright.sync_api import expect

    base, users, password = local_stack.base_url, local_stack.users, local_stack.password
    admin_token = _id_token(base, users["admin"], password)
    before = _call(base, "GET", "/config", admin_token)["config"]
    try:
        page = new_page()
        _sign_in(page, users["admin"], password)
        page.get_by_role("link", name="Admin").click()
        expect(page.get_by_role("heading", name="Admin", level=1)).to_be_visible()
        # When the admin invites Lucía as an agent in the Spanish team, speaking Spanish
        form = page.locator("#user-form")
        form.get_by_label("Email").fill(NEW)
        form.get_by_label("Role").select_option("agent")
        form.get_by_role("checkbox", name="Atención social (ES)").check()
        form.get_by_label("Skills (comma-separated)").fill("spanish")
        form.get_by_label("Probation until").fill("2027-01-31")
        form.get_by_role("button", name="Invite").click()
        expect(page.get_by_role("status")).to_contain_text(f"{NEW} is invited as agent in care-es")
        row = page.locator(f'tr[data-user="{NEW}"]')
        expect(row).to_contain_text("care-es")
        expect(row).to_contain_text("spanish")
        expect(row).to_contain_text("2027-01-31")
        expect(row).to_contain_text("invited")
        # and adds a holiday to the Spanish team with a typo: the date is named next to its field
        holidays = (
            page.locator("#settings-form").get_by_label("Holidays (comma-separated dates, YYYY-MM-DD)").nth(1)
        )
        typed = holidays.input_value()
        holidays.fill(f"{typed}, 2027-13-06".lstrip(", "))
        page.get_by_role("button", name="Save settings").click()
        expect(page.locator('.form-error[data-for="teams.1.calendar.holidays"]')).to_contain_text("month")
        stored = _call(base, "GET", "/config", admin_token)["config"]
        assert "2027-13-06" not in str(_team(stored, "care-es")["calendar"]["holidays"])
        # fixed, it is saved
        holidays.fill(f"{typed}, 2027-01-06".lstrip(", "))
        page.get_by_role("button", name="Save settings").click()
        expect(page.get_by_role("status")).to_contain_text("Settings saved.")
        # When the admin adds a department to the escalation directory with a phone that is no number
        page.get_by_role("button", name="Add a contact").click()
        form = page.locator("#settings-form")
        n = len(before["escalation_contacts"])
        form.locator(f'[data-path="escalation_contacts.{n}.id"]').fill("legal")
        form.locator(f'[data-path="escalation_contacts.{n}.name"]').fill("Legal department")
        form.locator(f'[data-path="escalation_contacts.{n}.title"]').fill("Legal")
        form.locator(f'[data-path="escalation_contacts.{n}.email"]').fill("legal@example.com")
        form.locator(f'[data-path="escalation_contacts.{n}.phone"]').fill("call me")
        page.get_by_role("button", name="Save settings").click()
        # Then the problem is named next to the phone, and once fixed the department is saved
        expect(page.locator(f'.form-error[data-for="escalation_contacts.{n}.phone"]')).to_be_visible()
        form.locator(f'[data-path="escalation_contacts.{n}.phone"]').fill("+44 20 7946 0000")
        page.get_by_role("button", name="Save settings").click()
        expect(page.get_by_role("status")).to_contain_text("Settings saved.")
        # Then the configuration holds the holiday, Lucía in the team, and everything else as it was
        after = _call(base, "GET", "/config", admin_token)["config"]
        assert "2027-01-06" in _team(after, "care-es")["calendar"]["holidays"]
        assert NEW in _team(after, "care-es")["members"]
        assert after["rules"] == before["rules"] and after["crisis_types"] == before["crisis_types"]
        assert after["escalation_contacts"][-1]["name"] == "Legal department"
        # and the audit trail says the admin did it
        trail = _call(base, "GET", "/audit?action=user.invite", admin_token)["items"]
        assert any(r["actor"] == users["admin"] and NEW in r["target"] for r in trail)
        # When a Spanish complaint arrives, Then it lands in the Spanish team, which a non-member cannot claim
        marker = _marker()
        spanish = f"Mi pedido no ha llegado y nadie me responde, es una vergüenza {marker}"
        assert _post_meta_comment(base, spanish, marker) == 200
        case = _wait_for_queued_case(base, admin_token, marker)
        routed = [
            e
            for e in _call(base, "GET", f"/cases/{case['case_id']}", admin_token)["timeline"]
            if e["kind"] == "routed"
        ]
        # (outside its hours in Madrid the off-hours team holds it, saying which rule sent it)
        assert "rule: Spanish speakers" in routed[0]["text"] and case["team"] in ("care-es", "off-hours")
        trainee = _id_token(base, users["trainee"], password)
        with pytest.raises(urllib.error.HTTPError) as refused:
            _call(base, "POST", "/queues/care-es/next", trainee)
        assert refused.value.code == 403
    finally:  # the local stack is shared: put the configuration back
        _restore_config(base, admin_token, before)


CHANGE = {
    "kind": "checklist",
    "title": "Refunds: ask for the order number first",
    "summary": "Before promising a refund, ask for the order number and check it in the order system.",
    "questions": [
        {"prompt": "What do you ask for first?", "choices": ["A photo", "The order number"], "correct": 1}
    ],
}


def _reply(base: str, token: str, case_id: str, text: str) -> str:
    answer = _call(base, "POST", f"/cases/{case_id}/replies", token, {"text": text})
    return str(answer["reply"]["data"]["delivery"])


def test_a_changed_checklist_holds_an_untrained_agents_reply_until_they_pass(
    new_page: Any, local_stack: Any
) -> None:
    from playwright.sync_api import expect

    base, users, password = local_stack.base_url, local_stack.users, local_stack.password
    supervisor = _id_token(base, users["supervisor"], password)
    agent = _id_token(base, users["agent"], password)
    markers = [_marker(), _marker()]
    for marker in markers:
        assert _post_meta_comment(base, f"My order is late {marker}", marker) == 200
    cases = [_wait_for_queued_case(base, agent, m)["case_id"] for m in markers]
    # Given a supervisor changed the checklist, with a check
    change = _call(base, "POST", "/training/changes", supervisor, CHANGE)
    try:
        # Then the agent's direct reply waits for approval
        assert _reply(base, agent, cases[0], "Sorry about that, let me look.") == "awaiting_approval"
        # When the agent reads the change and passes its check in the console
        page = new_page()
        _sign_in(page, users["agent"], password)
        page.get_by_role("link", name="Training").click()
        expect(page.get_by_role("heading", name=f"What changed: {CHANGE['title']}")).to_be_visible()
        page.get_by_role("radio", name="A photo").check()
        page.get_by_role("button", name="Submit answers").click()
        expect(page.locator("#check-result")).to_contain_text("Not yet")
        page.get_by_role("radio", name="The order number").check()
        page.get_by_role("button", name="Submit answers").click()
        expect(page.locator("#training-state")).to_contain_text("You are trained on this change.")
        # Then their next reply goes out directly, and the supervisor sees them trained
        assert _reply(base, agent, cases[1], "Could you send me the order number?") == "queued"
        status = _call(base, "GET", "/training/status", supervisor)
        assert status["version"] == change["version"]
        assert {"email": users["agent"], "trained": True}.items() <= next(
            p for p in status["people"] if p["email"] == users["agent"]
        ).items()
    finally:  # the local stack is shared: leave the agent trained, so other tests' replies go out directly
        _call(base, "POST", f"/training/{change['version']}/attempts", agent, {"answers": [1]})
