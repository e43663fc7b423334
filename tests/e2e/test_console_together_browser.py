"""Working together in real Chromium against the local stack (issue #10): a supervisor hands a new case to
an agent, who sees it among their notifications (and the unread count in the tab title), opens it, tags
it, writes a note that @mentions the supervisor and hands it back; the supervisor is notified of both,
marks it as spam and reopens it.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.console_helpers import (
    _call,
    _id_token,
    _marker,
    _post_meta_comment,
    _sign_in,
    _wait_for_queued_case,
)

pytestmark = pytest.mark.browser


def test_an_agent_is_told_of_a_handed_case_notes_a_mention_and_hands_it_back(
    new_page: Any, local_stack: Any
) -> None:
    from playwright.sync_api import expect

    base = local_stack.base_url
    agent, supervisor = local_stack.users["agent"], local_stack.users["supervisor"]
    marker = _marker()
    # Given a customer's comment, triaged into a queue, that a supervisor hands to the agent by name
    assert _post_meta_comment(base, f"Where is my order? {marker}", marker) == 200
    local_stack.drain_queues(timeout=20)
    boss = _id_token(base, supervisor, local_stack.password)
    case_id = _wait_for_queued_case(base, boss, marker)["case_id"]
    _call(base, "POST", f"/cases/{case_id}/hand", boss, {"to": agent, "note": f"VIP {marker}"})

    # When the agent signs in, Then the unread count shows beside Notifications and in the tab title
    page = new_page()
    _sign_in(page, agent, local_stack.password)
    expect(page.locator("#unread-count")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^\(\d+\+?\) "))
    # When they open their notifications, Then the hand-over is there, and leads to the case
    page.locator("#nav").get_by_role("link", name="Notifications").click()
    item = page.locator(".notification", has_text=marker)
    expect(item).to_contain_text("Handed to you")
    item.get_by_role("link", name="Open the case").click()
    page.wait_for_url(f"**/#/cases/{case_id}")
    expect(page.locator("#case-status")).to_have_text("assigned")
    # and the customer panel names the customer, their identity, and that this is their only case
    expect(page.locator("#customer-name")).to_have_text("Dana Browser")
    expect(page.locator(".customer-panel .identities")).to_contain_text(f"id browser-{marker}")
    expect(page.locator("#customer-cases-none")).to_be_visible()

    # When the agent tags the case and writes a note mentioning the supervisor
    page.get_by_label("Tags").fill("VIP, late parcel")
    page.get_by_role("button", name="Save tags").click()
    expect(page.get_by_role("status")).to_have_text("Tags saved.")
    page.get_by_label("Internal note").fill(f"@{supervisor} can you approve a refund? {marker}")
    page.get_by_role("button", name="Add note").click()
    # Then the note is on the timeline as internal, and the tags are kept
    note = page.locator("#timeline .kind-note", has_text=marker)
    expect(note).to_contain_text("Internal note")
    expect(page.locator("#timeline .kind-tagged")).to_contain_text("vip, late parcel")
    expect(page.get_by_label("Tags")).to_have_value("vip, late parcel")

    # When the agent waits on the customer, Then the case says so and the SLA clock stops
    page.get_by_role("button", name="Wait on the customer").click()
    expect(page.locator("#case-waiting")).to_be_visible()
    assert _call(base, "GET", f"/cases/{case_id}", boss)["case"]["reply_due"] is None

    # When the agent hands the case back to the supervisor
    page.get_by_label("Hand to a colleague").fill(supervisor)
    page.get_by_role("button", name="Hand over").click()
    expect(page.get_by_role("status")).to_have_text(f"Case handed to {supervisor}.")
    expect(page.locator("#timeline .kind-handed_over").last).to_contain_text(f"Handed to {supervisor}")

    # Then the supervisor was told of the mention and of the hand-over, and can mark them read
    boss_page = new_page()
    _sign_in(boss_page, supervisor, local_stack.password)
    boss_page.locator("#nav").get_by_role("link", name="Notifications").click()
    expect(boss_page.locator(".notification[data-kind='mentioned']", has_text=marker)).to_be_visible()
    expect(
        boss_page.locator(f".notification[data-kind='handed_to_you'] a[href='#/cases/{case_id}']").first
    ).to_be_visible()
    boss_page.get_by_role("button", name="Mark all read").click()
    expect(boss_page.locator("#unread-count")).to_be_hidden()
    expect(boss_page.locator(".notification-unread")).to_have_count(0)

    # When the supervisor opens the case and marks it as spam, Then it is resolved as spam, with no follow-ups
    boss_page.goto(f"/#/cases/{case_id}")
    boss_page.get_by_label("Why it is resolved").select_option("spam")
    boss_page.get_by_role("button", name="Resolve case").click()
    expect(boss_page.locator("#case-status")).to_have_text("resolved")
    expect(boss_page.locator("#case-resolution")).to_have_text("spam")
    # When they reopen it, Then it is assigned to them again and the reason is gone
    boss_page.get_by_role("button", name="Reopen case").click()
    expect(boss_page.locator("#case-status")).to_have_text("assigned")
    expect(boss_page.locator("#case-resolution")).to_have_count(0)
    assert _call(base, "GET", f"/cases/{case_id}", boss)["case"]["followups"] == []


def test_a_supervisors_navigation_fits_a_390_px_phone(browser: Any, local_stack: Any) -> None:
    from playwright.sync_api import expect

    # Given a supervisor (who has the most links) on a 390 px wide phone
    context = browser.new_context(base_url=local_stack.base_url, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        _sign_in(page, local_stack.users["supervisor"], local_stack.password)
        reports = page.locator("#nav").get_by_role("link", name="Reports")
        expect(reports).to_be_visible()
        # Then nothing is wider than the screen, and every link is on it
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        for link in page.locator("#nav a:visible").all():
            box = link.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    finally:
        context.close()
