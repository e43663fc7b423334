"""Contacts (issue #12) in real Chromium against the local stack: a supervisor gives a person a phone for
SMS on SLA breaches (a bad number is named next to its field first), and the preference is stored.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.console_helpers import _call, _id_token, _sign_in

pytestmark = pytest.mark.browser


def test_a_supervisor_sets_how_a_person_is_reached(new_page: Any, local_stack: Any) -> None:
    from playwright.sync_api import expect

    base, users, password = local_stack.base_url, local_stack.users, local_stack.password
    token = _id_token(base, users["supervisor"], password)
    before = _call(base, "GET", "/contacts", token)
    try:
        page = new_page()
        _sign_in(page, users["supervisor"], password)
        page.get_by_role("link", name="Contacts").click()
        expect(page.get_by_role("heading", name="Contacts", level=1)).to_be_visible()
        expect(page.locator("table.directory")).to_contain_text("Sam Okafor")
        # A phone that is not international is named next to its field, and nothing is sent
        page.get_by_label("Person's email").fill(users["admin"])
        page.get_by_label("Phone for SMS").fill("0770 900 456")
        page.get_by_label("SMS on sla breach").check()
        page.get_by_role("button", name="Save preferences").click()
        expect(page.locator("#pref-phone-error")).to_contain_text("international format")
        page.get_by_label("Phone for SMS").fill("+447700900456")
        page.get_by_role("button", name="Save preferences").click()
        expect(page.get_by_role("status")).to_contain_text(f"Preferences saved for {users['admin']}")
        row = page.locator(f'table.contacts tr[data-person="{users["admin"]}"]')
        expect(row).to_contain_text("+447700900456")
        expect(row).to_contain_text("SLA breach, Urgent escalation")
        stored = _call(base, "GET", "/contacts", token)["preferences"]
        assert {"email": users["admin"], "phone": "+447700900456"}.items() <= next(
            p for p in stored if p["email"] == users["admin"]
        ).items()
    finally:  # the local stack is shared: put the settings back
        _call(
            base,
            "PUT",
            "/contacts",
            token,
            {"on_call": before["on_call"], "preferences": before["preferences"]},
        )
