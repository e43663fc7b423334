"""Teams (R7) in real Chromium against the local stack: a supervisor moves the trainee into the Spanish
team with a skill; a bad skill is named next to its field; the trainee may then claim from that team's
queue, and not from the team they left.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

import urllib.error
from typing import Any

import pytest

from tests.e2e.console_helpers import _call, _id_token, _sign_in

pytestmark = pytest.mark.browser


def _claim_status(base: str, token: str, team: str) -> int:
    try:
        _call(base, "POST", f"/queues/{team}/next", token)
        return 200  # or 204: either way the claim was allowed
    except urllib.error.HTTPError as error:
        return error.code


def test_a_supervisor_moves_the_trainee_into_the_spanish_team(new_page: Any, local_stack: Any) -> None:
    from playwright.sync_api import expect

    base, users, password = local_stack.base_url, local_stack.users, local_stack.password
    supervisor_token = _id_token(base, users["supervisor"], password)
    trainee_token = _id_token(base, users["trainee"], password)
    before = _call(base, "GET", "/teams", supervisor_token)["items"]
    was_in = [t["id"] for t in before if any(m["email"] == users["trainee"] for m in t["members"])]
    assert "care-es" not in was_in
    assert _claim_status(base, trainee_token, "care-es") == 403
    try:
        page = new_page()
        _sign_in(page, users["supervisor"], password)
        page.get_by_role("link", name="Teams").click()
        expect(page.get_by_role("heading", name="Teams", level=1)).to_be_visible()
        # When the supervisor edits the trainee from the team list
        page.locator('.team-card[data-team="care"]').get_by_role(
            "button", name=f"Edit {users['trainee']}'s teams and skills"
        ).click()
        expect(page.get_by_label("Email")).to_have_value(users["trainee"])
        page.get_by_role("checkbox", name="Social care (EN)").uncheck()
        page.get_by_role("checkbox", name="Atención social (ES)").check()
        # a skill that is not a word is named next to the field, and nothing is sent
        page.get_by_label("Skills (comma-separated)").fill("spanish, two words")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#person-skills-error")).to_contain_text("not: two words")
        page.get_by_label("Skills (comma-separated)").fill("spanish")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_contain_text(f"{users['trainee']} is now in care-es")
        # Then the Spanish team lists the trainee with the skill, and the English team no longer does
        spanish = page.locator('.team-card[data-team="care-es"]')
        expect(spanish.locator(f'tr[data-member="{users["trainee"]}"]')).to_contain_text("spanish")
        expect(
            page.locator(f'.team-card[data-team="care"] tr[data-member="{users["trainee"]}"]')
        ).to_have_count(0)
        # and the trainee may claim from care-es but no longer from care
        assert _claim_status(base, trainee_token, "care-es") == 200
        assert _claim_status(base, trainee_token, "care") == 403
        # The trainee sees no Teams link
        trainee = new_page()
        _sign_in(trainee, users["trainee"], password)
        expect(trainee.get_by_role("link", name="Teams")).to_be_hidden()
    finally:  # the local stack is shared: put the trainee back where they were
        _call(base, "PUT", f"/people/{users['trainee']}", supervisor_token, {"teams": was_in, "skills": []})
