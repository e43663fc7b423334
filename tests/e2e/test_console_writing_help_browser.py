"""Writing help (#11) in real Chromium against the local stack (the built-in, offline backend): an agent
opens a billing complaint, clicks "Draft a reply", the draft written from the approved answer appears in
the reply box marked "draft — edit before sending", the timeline shows the draft entry, and nothing was
sent.

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


def test_an_agent_drafts_a_reply_from_the_approved_answer(new_page: Any, local_stack: Any) -> None:
    from playwright.sync_api import expect

    base, users, password = local_stack.base_url, local_stack.users, local_stack.password
    agent = _id_token(base, users["agent"], password)
    supervisor = _id_token(base, users["supervisor"], password)
    marker = _marker()
    # Given an approved answer for this kind of complaint (its title carries this test's marker)
    fields = {
        "title": f"Gift card {marker} charged twice",
        "body": "Hi {first_name}, the second gift card charge is refunded within 2 working days.",
    }
    proposed = _call(base, "POST", "/knowledge/answers", agent, fields)["answer"]
    path = f"/knowledge/answers/{proposed['answer_id']}/decision"
    _call(base, "POST", path, supervisor, {"version": proposed["version"], "action": "approve"})
    # and a billing complaint about it
    assert _post_meta_comment(base, f"my gift card {marker} was charged twice, fix it", marker) == 200
    case = _wait_for_queued_case(base, agent, marker)
    # When the agent opens the case and asks for a draft
    page = new_page()
    _sign_in(page, users["agent"], password)
    page.goto(f"{base}/#/cases/{case['case_id']}")
    page.get_by_role("button", name="Draft a reply").click()
    # Then the draft is in the reply box, filled for the customer and marked as a draft
    reply = page.locator("#reply-text")
    expect(reply).to_have_value("Hi Dana, the second gift card charge is refunded within 2 working days.")
    expect(page.locator("#draft-mark")).to_contain_text("draft — edit before sending")
    expect(page.locator("#draft-mark")).to_contain_text(f"Gift card {marker} charged twice")
    # and the timeline shows that a draft was written, by whom, and that it was not sent
    entry = page.locator("#timeline li.kind-draft_generated")
    expect(entry).to_contain_text("Draft written (not sent)")
    expect(entry).to_contain_text(re.compile(r"Draft reply written by builtin .* not sent"))
    expect(page.locator("#timeline li.kind-reply")).to_have_count(0)
