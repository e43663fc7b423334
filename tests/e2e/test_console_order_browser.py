"""The order panel (issue #17) in real Chromium against the local stack: on a "where is my order" case an
agent sees the order's status from the company's (fake) order system at once, and can look up another
order number; the company received signed requests only.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.console_helpers import _id_token, _marker, _post_meta_comment, _sign_in, _wait_for_queued_case

pytestmark = pytest.mark.browser


def test_an_agent_sees_the_order_status_on_a_where_is_my_order_case(new_page: Any, local_stack: Any) -> None:
    from playwright.sync_api import expect

    base, users, password = local_stack.base_url, local_stack.users, local_stack.password
    marker = _marker()
    assert _post_meta_comment(base, f"where is my order #A-10042? the parcel is late {marker}", marker) == 200
    case = _wait_for_queued_case(base, _id_token(base, users["agent"], password), marker)
    page = new_page()
    _sign_in(page, users["agent"], password)
    page.goto(f"{base}/#/cases/{case['case_id']}")
    # The panel looks up the order the customer wrote, without the agent typing anything
    panel = page.locator("section.order-panel")
    expect(panel.locator('li.order[data-order="A-10042"] .order-status')).to_have_text("Out for delivery")
    expect(panel).to_contain_text("Parcelforce")
    # and the agent can look up another order number
    page.get_by_label("What to look up").fill("B-77404")
    panel.get_by_role("button", name="Look up").click()
    expect(page.locator("#order-none")).to_have_text("Nothing found for order B-77404.")
    asked = [
        r
        for r in local_stack.company.received
        if r["json"] and r["json"].get("value") in ("A-10042", "B-77404")
    ]
    assert asked and all(r["signed"] for r in asked)
