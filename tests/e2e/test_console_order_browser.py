"""The order panel (issue #17) in real Chromium against the local stack: on a "where is my order" case an
agent sees the order's status from the company's (fake) order system at once, and can look up another
order number; the company received signed requests only. The order's status is also the first suggestion
(inserted with one click); sent despite the pre-send check's warning, the reply shows what the check said
on the timeline (#11); opening the case again records no second lookup; a case without an order
number gets a hint, not an error.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.console_helpers import _id_token, _marker, _post_meta_comment, _sign_in, _wait_for_queued_case
from tests.e2e.test_console_knowledge_browser import grade_own_review

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
    # The first suggestion is the order's live status, from the company's order system; one click inserts it
    first = page.locator("#suggestions .suggestion").first
    expect(first.locator(".suggestion-title")).to_have_text("Order A-10042: Out for delivery")
    expect(first.locator(".suggestion-why")).to_contain_text("from the company's order system")
    first.get_by_role("button", name="Insert").click()
    reply = page.get_by_label("Your reply")
    expect(reply).to_have_value(
        re.compile(r"^Hi .+, I've checked your order A-10042: it is out for delivery")
    )
    # The customer is upset and the status lacks empathy: the pre-send check warns; sent anyway, the
    # reply's timeline entry shows what the check said
    reply.fill(reply.input_value() + f" ({marker})")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#presend [data-code=empathy]")).to_be_visible()
    page.get_by_role("button", name="Send reply").click()
    sent = page.locator("#timeline .kind-reply").filter(has_text=marker)
    expect(sent.locator(".entry-presend")).to_contain_text("Sent despite:")
    expect(sent.locator(".entry-presend [data-code=empathy]")).to_be_visible()
    grade_own_review(base, _id_token(base, users["reviewer"], password), marker)
    # Opening the case again looks the order up again, but the timeline records the lookup once
    page.reload()
    expect(panel.locator('li.order[data-order="A-10042"] .order-status')).to_have_text("Out for delivery")
    expect(page.locator("#timeline .kind-looked_up")).to_have_count(1)
    # and the agent can look up another order number
    page.get_by_label("What to look up").fill("B-77404")
    panel.get_by_role("button", name="Look up").click()
    expect(page.locator("#order-none")).to_have_text("Nothing found for order B-77404.")
    # On a delivery case without an order number, the panel says so calmly (no error)
    other = _marker()
    assert _post_meta_comment(base, f"where is my parcel? it never came {other}", other) == 200
    no_number = _wait_for_queued_case(base, _id_token(base, users["agent"], password), other)
    page.goto(f"{base}/#/cases/{no_number['case_id']}")
    expect(page.locator("#order-unwritten")).to_contain_text("has not written an order number yet")
    expect(page.locator(".order-error")).to_have_count(0)
    asked = [
        r
        for r in local_stack.company.received
        if r["json"] and r["json"].get("value") in ("A-10042", "B-77404")
    ]
    assert asked and all(r["signed"] for r in asked)
