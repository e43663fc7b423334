"""Finding a case in real Chromium against the local stack (issue #10): a customer gives an order number
in a comment; the agent finds the case again by that number on the Search page, opens it, and saves the
search as a view that brings it back; on the case, `?` lists the keyboard shortcuts and `r` goes to the
reply box.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from tests.e2e.console_helpers import _marker, _post_meta_comment, _sign_in

pytestmark = pytest.mark.browser


def test_an_agent_finds_a_case_by_order_number_and_saves_the_view(new_page: Any, local_stack: Any) -> None:
    from playwright.sync_api import expect

    base = local_stack.base_url
    marker = _marker()
    order = str(random.randint(10**6, 10**7 - 1))
    # Given a customer's comment giving an order number, triaged and indexed
    assert _post_meta_comment(base, f"Order #{order} is two weeks late {marker}", marker) == 200
    assert local_stack.drain_queues(timeout=20)

    # When the agent searches for the order number
    page = new_page()
    _sign_in(page, local_stack.users["agent"], local_stack.password)
    page.locator("#nav").get_by_role("link", name="Search").click()
    page.get_by_label("Search", exact=True).fill(order)
    page.get_by_role("button", name="Search", exact=True).click()
    # Then exactly that case is listed, and the search is kept in the address
    rows = page.locator("table.cases tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(marker)
    assert f"q={order}" in page.url

    # When they save the search as a view and come back to it from an empty search
    page.get_by_label("Save this search as").fill(f"Order {marker}")
    page.get_by_role("button", name="Save view").click()
    expect(page.get_by_role("status")).to_have_text(f"Saved the view “Order {marker}”.")
    page.get_by_label("Search", exact=True).fill("")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name=f"Order {marker}", exact=True).click()
    # Then the case is found again, and opens
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link").click()
    expect(page.locator("#case-status")).to_have_text("queued")
    # and the keyboard works there: ? lists the shortcuts, r goes to the reply box
    page.keyboard.press("?")
    shortcuts = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(shortcuts).to_contain_text("Next case in the last list")
    page.keyboard.press("Escape")
    expect(shortcuts).to_be_hidden()  # the key below must reach the page, not the closing dialog
    page.keyboard.press("r")
    expect(page.get_by_label("Your reply")).to_be_focused()
