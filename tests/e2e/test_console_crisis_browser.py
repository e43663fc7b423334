"""Crisis mode, escalation and the Away switch in the console, in real Chromium against the local stack.

A supervisor declares a crisis through the UI and everybody sees the banner; a customer's matching
comment (a signed Meta webhook) gets heard-bot's holding statement, which the case's timeline shows as
an automatic reply; the supervisor escalates the case to a contact and ends the crisis, and the banner
goes. An agent marks themself away with a backup and back.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.e2e.console_helpers import (
    _call,
    _id_token,
    _marker,
    _post_meta_comment,
    _sign_in,
)

pytestmark = pytest.mark.browser

STATEMENT = "We know some K2 kettles overheat and we are investigating with the manufacturer"
NEXT_UPDATE = "by 15:00 UTC"
MORE_INFO = "https://example.com/k2"


def _case_with(base_url: str, token: str, marker: str, timeout: float = 15.0) -> dict[str, Any]:
    """The case whose summary carries `marker` (polls: intake is asynchronous)."""
    deadline = time.monotonic() + timeout
    while True:
        for status in ("queued", "assigned"):
            items = _call(base_url, "GET", f"/cases?status={status}&team=pr&limit=100", token)["items"]
            found = [c for c in items if marker in c.get("summary", "")]
            if found:
                return dict(found[0])
        if time.monotonic() > deadline:
            raise AssertionError(f"no case with {marker!r} in the pr team after {timeout}s")
        time.sleep(0.2)


def test_a_supervisor_declares_a_crisis_matching_posts_get_the_statement_and_it_ends(
    new_page: Any,
    local_stack: Any,
) -> None:
    from playwright.sync_api import expect

    base = local_stack.base_url
    supervisor, agent = local_stack.users["supervisor"], local_stack.users["agent"]
    token = _id_token(base, supervisor, local_stack.password)
    marker = _marker()  # the crisis's one keyword: no other test's post matches it
    name = f"Kettles {marker}"
    crisis_id: str | None = None
    case_id: str | None = None
    try:
        # Given a supervisor on the Crises view
        page = new_page()
        _sign_in(page, supervisor, local_stack.password)
        page.locator("#nav").get_by_role("link", name="Crises").click()
        expect(page.get_by_role("heading", name="Crises", level=1)).to_be_visible()
        form = page.locator("form.declare-form")

        # When they declare a crisis, answering the confirmation
        form.get_by_label("Type").select_option("safety")
        form.get_by_label("Name").fill(name)
        form.get_by_label("Keywords").fill(marker)
        form.get_by_label("Statement").fill(STATEMENT)
        form.get_by_label("Next update").fill(NEXT_UPDATE)
        form.get_by_label("More information").fill(MORE_INFO)
        expect(form.locator(".statement-preview")).to_have_text(
            f"{STATEMENT}. Next update: {NEXT_UPDATE}. More: {MORE_INFO}"
        )
        form.get_by_role("button", name="Declare crisis").click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text(name)
        dialog.get_by_role("button", name="Declare crisis").click()

        # Then it is listed as active, and the banner shows its name and holding statement
        card = page.locator(".crisis-card").filter(has_text=name)
        expect(card).to_be_visible()
        crisis_id = card.get_attribute("data-crisis-id")
        banner = page.locator(f'#crisis-banner [data-crisis-id="{crisis_id}"]')
        expect(banner).to_contain_text(name)
        expect(banner).to_contain_text(STATEMENT)
        # And an agent signed in elsewhere sees the banner too
        agent_page = new_page()
        _sign_in(agent_page, agent, local_stack.password)
        expect(agent_page.locator(f'#crisis-banner [data-crisis-id="{crisis_id}"]')).to_contain_text(
            STATEMENT
        )

        # When a customer's comment matches the crisis
        assert _post_meta_comment(base, f"My kettle is {marker} and smoking, is it safe?", marker) == 200
        local_stack.drain_queues(timeout=20)
        case_id = str(_case_with(base, token, marker)["case_id"])

        # Then its timeline shows heard-bot's holding statement as an automatic reply, and the crisis tag
        page.goto(f"/#/cases/{case_id}")
        automatic = page.locator("#timeline .entry-automatic")
        expect(automatic).to_contain_text(STATEMENT)
        expect(automatic).to_contain_text("Holding statement (automatic reply)")
        expect(automatic.locator(".badge-bot")).to_have_text("heard-bot")
        expect(page.locator("#timeline .kind-crisis")).to_contain_text(name)

        # When the supervisor escalates the case to the Head of PR with a reason
        page.get_by_role("button", name="Escalate").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_role("button", name="Escalate").click()  # without a reason: refused in the form
        expect(dialog.get_by_role("alert")).to_contain_text("Say why you escalate")
        dialog.get_by_label("Sam Okafor").check()
        expect(dialog.locator('[data-contact-id="pr-lead"]')).to_contain_text("24/7")
        dialog.get_by_label("Reason (required)").fill(f"Press asking about {marker}")
        dialog.get_by_role("button", name="Escalate").click()
        # Then the escalation is on the timeline
        expect(dialog).to_be_hidden()
        escalated = page.locator("#timeline .kind-escalated")
        expect(escalated).to_contain_text("Sam Okafor")
        expect(escalated).to_contain_text(f"Press asking about {marker}")

        # When the crisis is ended through the UI, with its confirmation
        page.locator("#nav").get_by_role("link", name="Crises").click()
        card = page.locator(f'.crisis-card[data-crisis-id="{crisis_id}"]')
        card.get_by_role("button", name="End crisis").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Note for the record (optional)").fill("Cause found")
        dialog.get_by_role("button", name="End crisis").click()
        # Then it moves to the recently ended list and the banner no longer shows it
        expect(page.locator(f'table.crises tr[data-crisis-id="{crisis_id}"]')).to_be_visible()
        expect(page.locator(f'#crisis-banner [data-crisis-id="{crisis_id}"]')).to_have_count(0)
        others = [
            c for c in _call(base, "GET", "/crises?limit=50", token)["items"] if c["status"] == "active"
        ]
        if not others:  # another test's crisis may still be active on the shared stack
            expect(page.locator("#crisis-banner")).to_be_hidden()
    finally:
        # Leave the shared stack as we found it: no active crisis of ours, no open case of ours
        if crisis_id:
            _call(base, "POST", f"/crises/{crisis_id}/end", token, {})
        if case_id:
            _call(base, "POST", f"/cases/{case_id}/resolve", token, {})


def test_an_agent_marks_themself_away_with_a_backup_and_back(new_page: Any, local_stack: Any) -> None:
    from playwright.sync_api import expect

    base = local_stack.base_url
    agent = local_stack.users["agent"]
    token = _id_token(base, agent, local_stack.password)
    try:
        # Given an agent signed in
        page = new_page()
        _sign_in(page, agent, local_stack.password)
        switch = page.locator(".availability-summary")
        expect(switch).to_have_text("Available")
        switch.click()
        # When they name themself as backup, Then the form refuses it and they stay available
        page.get_by_label("Backup while you are away (optional)").fill(agent)
        page.get_by_label("I am away").click()
        expect(page.locator("#away-error")).to_have_text("You cannot be your own backup.")
        expect(page.get_by_label("I am away")).not_to_be_checked()
        # When they go away with a colleague as backup
        page.get_by_label("Backup while you are away (optional)").fill("trainee@heard.local")
        page.get_by_label("I am away").check()
        # Then the header says so, and the API keeps it (a reload reads it back)
        expect(switch).to_have_text("Away · backup trainee@heard.local")
        assert _call(base, "GET", "/me/availability", token)["away"] is True
        page.reload()
        expect(page.locator(".availability-summary")).to_have_text("Away · backup trainee@heard.local")
        # When they switch back, Then they are available again
        page.locator(".availability-summary").click()
        page.get_by_label("I am away").uncheck()
        expect(page.locator(".availability-summary")).to_have_text("Available")
        assert _call(base, "GET", "/me/availability", token)["away"] is False
    finally:
        _call(
            base, "PUT", "/me/availability", token, {"away": False}
        )  # later tests expect the agent available


def test_a_supervisor_publishes_a_new_statement_version_and_an_unchanged_edit_sends_nothing(
    new_page: Any, local_stack: Any
) -> None:
    from playwright.sync_api import expect

    base = local_stack.base_url
    supervisor = local_stack.users["supervisor"]
    token = _id_token(base, supervisor, local_stack.password)
    marker = _marker()
    name = f"Statement {marker}"
    body = {
        "type": "safety",
        "name": name,
        "keywords": [marker],
        "topics": [],
        "holding_statement": {"text": STATEMENT, "next_update": NEXT_UPDATE, "more_info": MORE_INFO},
    }
    crisis_id = str(_call(base, "POST", "/crises", token, body)["crisis"]["crisis_id"])
    try:
        # Given an active crisis on the supervisor's Crises view
        page = new_page()
        _sign_in(page, supervisor, local_stack.password)
        page.locator("#nav").get_by_role("link", name="Crises").click()
        card = page.locator(f'.crisis-card[data-crisis-id="{crisis_id}"]')
        expect(card.locator(":scope > .preview-label")).to_contain_text("statement v1")
        # When they open the edit form and save it untouched, Then nothing is sent
        edit = card.get_by_role("button", name="Edit statement")
        edit.click()
        expect(edit).to_have_attribute("aria-expanded", "true")
        expect(page.locator(f"#edit-{crisis_id}-text")).to_be_focused()
        card.get_by_role("button", name="Save changes").click()
        expect(page.locator("#status")).to_have_text("Nothing changed.")
        # And Cancel closes the form and gives focus back to the button
        card.get_by_role("button", name="Cancel").click()
        expect(card.locator("form.edit-crisis")).to_have_count(0)
        expect(edit).to_be_focused()
        # When they change the statement and publish it, answering the confirmation
        edit.click()
        page.locator(f"#edit-{crisis_id}-text").fill(f"{STATEMENT}; a fix ships today")
        card.get_by_role("button", name="Save changes").click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text("Publish statement version 2?")
        dialog.get_by_role("button", name="Publish statement").click()
        # Then version 2 is live on the card and in the banner
        expect(page.locator("#status")).to_contain_text(f'Holding statement v2 is live for "{name}"')
        expect(card.locator(":scope > .preview-label")).to_contain_text("statement v2")
        expect(card.locator(":scope > .statement-preview")).to_contain_text("a fix ships today")
        expect(page.locator(f'#crisis-banner [data-crisis-id="{crisis_id}"]')).to_contain_text(
            "a fix ships today"
        )
    finally:
        _call(base, "POST", f"/crises/{crisis_id}/end", token, {})
