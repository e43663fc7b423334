"""The agent's desk in real Chromium against the local stack (issue #10, Done when): a customer who
wrote before comments publicly (through the local fake platform), the agent answers privately and the
customer's Messenger DM lands on the same case and owner; the agent sees the customer's name, their
previous case and the parent post, records their email with their consent, adds a note mentioning a colleague (who is notified), finds the case
again by order number, snoozes it and resolves it.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.e2e.console_helpers import _call, _id_token, _marker, _post_meta_comment, _sign_in
from tests.e2e.test_console_surveys_browser import _eventually, _post_messenger_dm

pytestmark = pytest.mark.browser


def _case_with(base: str, token: str, marker: str) -> dict[str, Any]:
    items = _call(base, "GET", "/cases?limit=200", token)["items"]
    return next((c for c in items if marker in c.get("summary", "")), {})


def test_a_comment_moved_to_private_continues_with_its_owner_to_resolution(
    new_page: Any, local_stack: Any
) -> None:
    from playwright.sync_api import expect

    base = local_stack.base_url
    agent, supervisor = local_stack.users["agent"], local_stack.users["supervisor"]
    boss = _id_token(base, supervisor, local_stack.password)
    marker, old = _marker(), _marker()
    customer = f"browser-{marker}"  # the comment's author id: the page-scoped id Messenger uses too
    order = str(random.randint(10**6, 10**7 - 1))
    # Given the customer wrote on Messenger about an order before, and that case was resolved
    _post_messenger_dm(base, customer, f"Hello, order #{order} {old}")
    first = _eventually(lambda: _case_with(base, boss, old), bool)["case_id"]
    _call(base, "POST", f"/cases/{first}/resolve", boss, {"reason": "solved"})
    # and now comments publicly about the same order, a case the supervisor gives to the agent
    assert _post_meta_comment(base, f"Order #{order} never came {marker}", marker) == 200
    case_id = _eventually(lambda: _case_with(base, boss, marker), bool)["case_id"]
    assert case_id != first
    _call(base, "POST", f"/cases/{case_id}/hand", boss, {"to": agent})
    assert local_stack.drain_queues(timeout=20)  # indexed: the order number links both identities

    # When the agent opens it, Then they see the customer's name, the previous case and the parent post
    page = new_page()
    _sign_in(page, agent, local_stack.password)
    page.goto(f"/#/cases/{case_id}")
    expect(page.locator("#customer-name")).to_have_text("Dana Browser")
    expect(page.locator(f"#customer-cases li[data-case-id='{first}']")).to_be_visible()
    expect(page.locator("#parent-post")).to_contain_text("555000111_9001")

    # When they answer privately, Then the timeline says where the customer's next message will land
    page.get_by_label("Your reply").fill(f"Sorry about this! Please send us your address here {marker}")
    page.get_by_label("Send as a private message (where the platform allows it)").check()
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#timeline .kind-moved_private").first).to_contain_text("Messenger")
    # and a short public note under the comment says the conversation moved (heard-bot's reply)
    expect(page.locator("#timeline .entry-automatic", has_text="private message")).to_be_visible()

    # When the customer writes on Messenger
    _post_messenger_dm(base, customer, f"My address is 1 High Street {marker}")
    assert local_stack.drain_queues(timeout=20)
    page.get_by_role("button", name="Refresh").click()
    # Then it is on the same case, still the agent's, and the timeline says so
    expect(page.locator("#timeline .kind-message_in")).to_have_count(2)
    expect(page.locator("#timeline .kind-moved_private").last).to_contain_text(f"continues here with {agent}")
    expect(page.locator("#case-status")).to_have_text("assigned")
    detail = _call(base, "GET", f"/cases/{case_id}", boss)["case"]
    assert (detail["owner"], detail["channel"], detail["message_count"]) == (agent, "direct", 2)

    # When the customer gives their email and agrees that we keep it, Then the panel shows it with the consent
    page.locator("#contact-email").fill(f"{marker}@example.com")
    page.get_by_label("The customer agreed that we keep these").check()
    page.get_by_role("button", name="Save contact details").click()
    expect(page.locator("#contact-details")).to_contain_text(f"{marker}@example.com")
    expect(page.locator("#contact-consent")).to_contain_text("in this conversation")

    # When the agent writes a note mentioning the supervisor, Then the supervisor is notified
    page.get_by_label("Internal note").fill(f"@{supervisor} refund for order {order}? {marker}")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#timeline .kind-note", has_text=marker)).to_be_visible()
    told = _call(base, "GET", "/me/notifications", boss)["items"]
    assert any(n["kind"] == "mentioned" and n["case_id"] == case_id for n in told)

    # When the agent searches for the order number, Then the case is found again, and opens
    page.locator("#nav").get_by_role("link", name="Search").click()
    page.get_by_label("Search", exact=True).fill(order)
    page.get_by_role("button", name="Search", exact=True).click()
    found = page.locator(f"table.cases a[href='#/cases/{case_id}']")
    expect(found).to_be_visible()
    found.click()
    expect(page.locator("#case-status")).to_have_text("assigned")

    # When they snooze it until tomorrow, Then it says until when
    tomorrow = (datetime.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    page.get_by_label("Snooze until").fill(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Snooze").click()
    expect(page.locator("#case-snoozed")).to_be_visible()

    # When they resolve it, Then it is resolved, no reply is offered, and the page says until when the
    # customer writing again reaches this case and its owner
    page.get_by_label("Why it is resolved").select_option("solved")
    page.get_by_role("button", name="Resolve case").click()
    expect(page.locator("#case-status")).to_have_text("resolved")
    expect(page.locator("#reply-refusal")).to_be_visible()
    expect(page.locator(".reply-form")).to_be_hidden()
    expect(page.locator("#reopens-until")).to_contain_text(agent)
