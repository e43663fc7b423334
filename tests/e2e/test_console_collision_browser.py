"""Collision in real Chromium against the local stack (issue #10): an agent and a supervisor have the same
case open and each sees the other; the supervisor answers the customer first; the agent's reply, written
against what they had seen, is stopped with a clear message, their text is kept, and the supervisor's
reply shows on their timeline.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

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


def test_a_second_reply_to_a_customer_answered_meanwhile_is_stopped(new_page: Any, local_stack: Any) -> None:
    from playwright.sync_api import expect

    base = local_stack.base_url
    agent, supervisor = local_stack.users["agent"], local_stack.users["supervisor"]
    marker = _marker()
    # Given a customer's comment handed to the agent, who has the case open
    assert _post_meta_comment(base, f"Where is my parcel? {marker}", marker) == 200
    assert local_stack.drain_queues(timeout=20)
    boss = _id_token(base, supervisor, local_stack.password)
    case_id = _wait_for_queued_case(base, boss, marker)["case_id"]
    _call(base, "POST", f"/cases/{case_id}/hand", boss, {"to": agent})
    page = new_page()
    _sign_in(page, agent, local_stack.password)
    page.goto(f"/#/cases/{case_id}")
    expect(page.locator("#case-status")).to_have_text("assigned")

    # When the supervisor opens it too, Then they see that the agent has it open
    boss_page = new_page()
    _sign_in(boss_page, supervisor, local_stack.password)
    boss_page.goto(f"/#/cases/{case_id}")
    expect(boss_page.locator("#case-presence")).to_contain_text(f"{agent} has this case open")

    # When the supervisor answers the customer, and the agent then sends their own reply
    _call(base, "POST", f"/cases/{case_id}/replies", boss, {"text": f"A new parcel is on its way {marker}"})
    page.get_by_label("Your reply").fill("Let me look into it for you.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#presend")).to_be_visible()  # the pre-send check: the customer is upset
    page.get_by_role("button", name="Send reply").click()
    # Then the agent's reply is stopped, saying who answered and what, and their text is kept
    expect(page.locator("#alert")).to_contain_text(f"Not sent: {supervisor} answered this customer meanwhile")
    expect(page.get_by_label("Your reply")).to_have_value("Let me look into it for you.")
    # and the supervisor's reply is on the agent's timeline
    expect(page.locator("#timeline .kind-reply", has_text=marker)).to_be_visible()
