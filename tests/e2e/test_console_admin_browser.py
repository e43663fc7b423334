"""The admin console (#12) in real Chromium against the local stack: an admin invites a Spanish-speaking
agent into the Spanish team and adds a holiday through the forms (a bad date is named next to its field and
nothing is stored); a changed checklist then blocks an untrained agent's direct reply until they pass the
check.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.console_helpers import _call, _id_token, _sign_in

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
        # Then the configuration holds the holiday, Lucía in the team, and everything else as it was
        after = _call(base, "GET", "/config", admin_token)["config"]
        assert "2027-01-06" in _team(after, "care-es")["calendar"]["holidays"]
        assert NEW in _team(after, "care-es")["members"]
        assert after["rules"] == before["rules"] and after["crisis_types"] == before["crisis_types"]
        # and the audit trail says the admin did it
        trail = _call(base, "GET", "/audit?action=user.invite", admin_token)["items"]
        assert any(r["actor"] == users["admin"] and NEW in r["target"] for r in trail)
    finally:  # the local stack is shared: put the configuration back
        _call(base, "PUT", "/config", admin_token, before)
