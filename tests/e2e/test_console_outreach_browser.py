"""Crisis updates reach everyone affected (issue 17), in real Chromium against the local stack.

A supervisor's crisis has answered a customer's matching comment with the holding statement (with the
status page's link); the supervisor publishes a new statement version on the Crises view, the card's
progress shows the update queued and sent to that customer once (the fake platform confirms it), and the
public status page shows the update history.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.console_helpers import _call, _id_token, _marker, _post_meta_comment, _sign_in
from tests.e2e.test_console_crisis_browser import MORE_INFO, NEXT_UPDATE, STATEMENT, _case_with
from tests.e2e.webclient import call

pytestmark = pytest.mark.browser


def _sent_to(base: str, comment_id: str) -> list[dict[str, Any]]:
    answer = call(base, "GET", "/fake/sent")
    assert answer.status == 200, answer.body
    return [r for r in answer.json()["items"] if f"/{comment_id}/comments" in r.get("path", "")]


def test_a_new_statement_reaches_the_crisis_customers_once_and_the_card_shows_it(
    new_page: Any, local_stack: Any
) -> None:
    from playwright.sync_api import expect

    base = local_stack.base_url
    supervisor = local_stack.users["supervisor"]
    token = _id_token(base, supervisor, local_stack.password)
    marker = _marker()
    body = {
        "type": "safety",
        "name": f"Updates {marker}",
        "keywords": [marker],
        "topics": [],
        "holding_statement": {"text": STATEMENT, "next_update": NEXT_UPDATE, "more_info": MORE_INFO},
    }
    crisis_id = str(_call(base, "POST", "/crises", token, body)["crisis"]["crisis_id"])
    case_id = None
    try:
        # Given a customer whose matching comment got the holding statement
        assert _post_meta_comment(base, f"My kettle is {marker}, is it safe?", marker) == 200
        local_stack.drain_queues(timeout=20)
        case_id = str(_case_with(base, token, marker)["case_id"])
        assert len(_sent_to(base, f"9001_{marker}")) == 1
        # When the supervisor publishes a new statement on the Crises view
        page = new_page()
        _sign_in(page, supervisor, local_stack.password)
        page.locator("#nav").get_by_role("link", name="Crises").click()
        card = page.locator(f'.crisis-card[data-crisis-id="{crisis_id}"]')
        expect(card.locator(".crisis-progress")).to_contain_text("No update has been sent to everyone yet")
        card.get_by_role("button", name="Edit statement").click()
        page.locator(f"#edit-{crisis_id}-text").fill(f"{STATEMENT}; replacements ship today")
        card.get_by_role("button", name="Save changes").click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text("Every customer of this crisis gets the new statement once")
        dialog.get_by_role("button", name="Publish statement").click()
        expect(page.locator("#status")).to_contain_text("Holding statement v2 is live")
        local_stack.drain_queues(timeout=20)
        page.get_by_role("button", name="Refresh").click()
        # Then the card shows version 2 queued and sent to the one customer, and nothing failed
        progress = card.locator('.update-progress[data-version="2"]')
        expect(progress).to_contain_text("1 queued · 1 sent · 0 failed")
        expect(progress).to_contain_text("done")
        # and the platform received the update once, as a reply to the customer's comment
        sent = _sent_to(base, f"9001_{marker}")
        assert len(sent) == 2 and sent[1]["json"]["message"].startswith(f"Update: {STATEMENT}; replacements")
        # and the public status page, linked from the card, shows the new statement above the first one
        link = card.locator(".status-link a")
        status_url = link.get_attribute("href")
        assert status_url and status_url.endswith(f"/status/{crisis_id}.html")
        assert f"Status: {status_url}" in sent[0]["json"]["message"]
        public = new_page()
        public.goto(status_url)
        expect(public.locator("#current")).to_contain_text("replacements ship today")
        history = public.locator("#history li")
        expect(history).to_have_count(2)
        expect(history.first).to_contain_text("Update")
        expect(history.last).to_contain_text("First statement")
        # When the supervisor sends again, nobody gets it twice
        card.get_by_role("button", name="Send again").click()
        expect(page.locator("#status")).to_contain_text("Sending the current version")
        local_stack.drain_queues(timeout=20)
        assert len(_sent_to(base, f"9001_{marker}")) == 2
    finally:
        _call(base, "POST", f"/crises/{crisis_id}/end", token, {})
        if case_id:
            _call(base, "POST", f"/cases/{case_id}/resolve", token, {})
