"""Help writing the reply (#11) in real Chromium against the local stack: an agent opens a billing
complaint, sees three suggestions with the approved billing answer first, inserts it (variables filled),
gets a pre-send warning on a curt edit, fixes it and sends; on another case the agent proposes their reply
as an answer; a supervisor approves it for automatic answers, and a plain question is then answered
with it.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.console_helpers import (
    _call,
    _id_token,
    _marker,
    _post_meta_comment,
    _restore_config,
    _sign_in,
    _wait_for_queued_case,
)

pytestmark = pytest.mark.browser

ANSWERS = [
    (
        "Charged twice for one order",
        "Hi {first_name}, a second charge is a pre-authorisation that drops off in 3 days.",
    ),
    ("Parcel has not arrived", "Hi {first_name}, parcels arrive within 5 working days; track yours online."),
    ("Returning an item", "Hi {first_name}, you can return any item within 30 days."),
]


def approved_answer(base: str, agent: str, supervisor: str, title: str, body: str) -> str:
    proposed = _call(base, "POST", "/knowledge/answers", agent, {"title": title, "body": body})["answer"]
    path = f"/knowledge/answers/{proposed['answer_id']}/decision"
    _call(base, "POST", path, supervisor, {"version": proposed["version"], "action": "approve"})
    return str(proposed["answer_id"])


def grade_own_review(base: str, reviewer: str, marker: str) -> None:
    """Grade this test's reply in the blind review pool (and any older one before it), so the pool is left
    as other browser tests expect it (their reviewers look for their own reply among few others)."""
    for _ in range(10):
        review = _call(base, "POST", "/reviews/next", reviewer)
        if not review:
            return
        _call(base, "POST", f"/reviews/{review['review_id']}", reviewer, {"empathy": 4})
        if marker in review["text"]:
            return


def every_container_rereads_the_configuration() -> None:
    """Each function keeps the configuration for 60 s in its own container (as in AWS), so triage sees a
    change up to a minute late. The local stack's functions share this process: expire their copies now
    instead of waiting a minute."""
    from shared.usecases import deps

    for container in deps._default.values():
        store = container.overrides.get("config")
        if store is not None and hasattr(store, "_loaded_at"):
            store._loaded_at = float("-inf")


def every_container_reloads_past_replies() -> None:
    """Each API container reloads the replies of resolved cases every 2 minutes (as in AWS): expire the
    local stack's copies now instead of waiting."""
    from shared.usecases import deps

    for container in deps._default.values():
        index = container.overrides.get("past_index")
        if index is not None:
            index.load([], float("-inf"))


def test_suggestions_presend_check_and_an_approved_answer_answering_automatically(
    new_page: Any, local_stack: Any
) -> None:
    from playwright.sync_api import expect

    base, users, password = local_stack.base_url, local_stack.users, local_stack.password
    tokens = {role: _id_token(base, users[role], password) for role in ("agent", "supervisor", "admin")}
    marker = _marker()
    for title, body in ANSWERS:
        approved_answer(base, tokens["agent"], tokens["supervisor"], f"{title} {marker}", body)
    # Given a billing complaint, triaged into a queue
    complaint = f"I was charged twice for one order {marker}, this is ridiculous. Why?"
    assert _post_meta_comment(base, complaint, marker) == 200
    local_stack.drain_queues(timeout=20)
    case_id = _wait_for_queued_case(base, tokens["agent"], marker)["case_id"]

    # When the agent opens the case, Then three suggestions, the billing answer first, with why
    agent = new_page()
    _sign_in(agent, users["agent"], password)
    agent.goto(f"/#/cases/{case_id}")
    suggestions = agent.locator("#suggestions .suggestion")
    expect(suggestions).to_have_count(3)
    expect(suggestions.first.locator(".suggestion-title")).to_have_text(f"{ANSWERS[0][0]} {marker}")
    expect(suggestions.first.locator(".suggestion-why")).to_contain_text("charged")
    # When they insert it, Then the reply box holds it with the customer's first name filled in
    suggestions.first.get_by_role("button", name="Insert").click()
    expect(agent.get_by_label("Your reply")).to_have_value(
        "Hi Dana, a second charge is a pre-authorisation that drops off in 3 days."
    )
    # When they make it curt and send, Then the pre-send check warns and nothing is sent yet
    agent.get_by_label("Your reply").fill("Send us your card number and we will look into it.")
    agent.get_by_role("button", name="Send reply").click()
    warning = agent.locator("#presend")
    expect(warning).to_be_visible()
    expect(warning.locator("[data-code=empathy]")).to_be_visible()
    expect(warning.locator("[data-code=personal_data]")).to_be_visible()
    expect(agent.locator("#timeline .kind-reply")).to_have_count(0)
    # When they fix it and send, Then it goes out
    fixed = f"So sorry about the double charge ({marker}): it is a pre-authorisation and drops off in 3 days."
    agent.get_by_label("Your reply").fill(fixed)
    expect(warning).to_be_hidden()
    agent.get_by_role("button", name="Send reply").click()
    expect(agent.locator("#timeline .kind-reply").filter(has_text=marker)).to_be_visible()
    grade_own_review(base, _id_token(base, users["reviewer"], password), marker)

    # When the case is resolved and another customer complains of the same, Then the reply that solved
    # it is suggested too, marked as a past reply (the approved answer still first)
    _call(base, "POST", f"/cases/{case_id}/resolve", tokens["agent"], {"reason": "solved"})
    every_container_reloads_past_replies()
    again = _marker()
    assert _post_meta_comment(base, f"Charged twice for one order {again}, why?", again) == 200
    local_stack.drain_queues(timeout=20)
    again_case = _wait_for_queued_case(base, tokens["agent"], again)["case_id"]
    agent.goto(f"/#/cases/{again_case}")
    past = agent.locator("#suggestions .suggestion-past").filter(has_text=marker)
    expect(past.locator(".badge-past")).to_have_text("Past reply")
    expect(past.locator(".suggestion-why")).to_contain_text("not an approved answer")
    expect(agent.locator("#suggestions .suggestion").first.locator(".suggestion-title")).to_have_text(
        f"{ANSWERS[0][0]} {marker}"
    )

    # When the agent opens another case, a question nothing answers yet, and proposes their reply to it
    # as a new answer
    other_marker = _marker()
    asked = f"My aunt gave me a gift card {other_marker}, does it expire?"
    assert _post_meta_comment(base, asked, other_marker) == 200
    local_stack.drain_queues(timeout=20)
    other_case = _wait_for_queued_case(base, tokens["agent"], other_marker)["case_id"]
    agent.goto(f"/#/cases/{other_case}")
    expect(agent.locator("#timeline")).to_contain_text(other_marker)
    gift = f"Gift cards {marker} never expire and work online and in stores."
    agent.get_by_label("Your reply").fill(gift)
    agent.get_by_text("Propose this reply as an answer").click()
    agent.get_by_label("Title of the answer").fill(f"Gift cards expiry {marker}")
    agent.get_by_role("button", name="Propose as an approved answer").click()
    expect(agent.get_by_role("status")).to_contain_text("Proposed")

    # And a supervisor approves it for automatic answers in Knowledge
    supervisor = new_page()
    _sign_in(supervisor, users["supervisor"], password)
    supervisor.goto("/#/knowledge")
    card = supervisor.locator("#answers-proposed .answer").filter(has_text=f"Gift cards expiry {marker}")
    card.get_by_label("Also answer plain questions automatically").check()
    card.get_by_label("Keywords a question must contain (comma-separated, at least 2)").fill("gift, expire")
    card.get_by_role("button", name="Approve").click()
    expect(
        supervisor.locator("#answers-approved .answer").filter(has_text=f"Gift cards expiry {marker}")
    ).to_be_visible()

    # Then, with automatic answers on, a plain question gets that answer from heard-bot
    config = _call(base, "GET", "/config", tokens["admin"])["config"]
    try:
        _call(base, "PUT", "/config", tokens["admin"], {**config, "auto_answer_faq": True})
        every_container_rereads_the_configuration()
        question_marker = _marker()
        assert _post_meta_comment(base, f"Do gift cards expire {question_marker}?", question_marker) == 200
        local_stack.drain_queues(timeout=20)
        sent = json.dumps(local_stack.fakes.sent, default=str)
        assert gift in sent, "the approved answer was not sent automatically"
    finally:
        _restore_config(base, tokens["admin"], config)
        every_container_rereads_the_configuration()
