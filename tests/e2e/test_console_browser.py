"""The agent console in real Chromium against the local stack: a customer's comment arrives as a signed
Meta webhook; an agent signs in, takes it from the queue, reads its story, replies and resolves it; a
supervisor opens the reports and downloads the CSV with that case in it.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from typing import Any

import pytest

from tests.e2e.console_helpers import (
    _id_token,
    _json,
    _marker,
    _post_meta_comment,
    _sign_in,
    _wait_for_queued_case,
)

pytestmark = pytest.mark.browser

MAX_TAKES = 6  # earlier tests may have left more urgent cases in the same queue


def test_a_wrong_password_is_refused_with_a_clear_message(page: Any, local_stack: Any) -> None:
    from playwright.sync_api import expect

    # Given the sign-in page
    page.goto("/")
    # When the agent types a wrong password
    page.get_by_label("Email").fill(local_stack.users["agent"])
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    # Then they are told so and stay on the sign-in page, signed out
    expect(page.get_by_role("alert").filter(has_text="Wrong email or password.")).to_be_visible()
    expect(page.locator("#nav")).to_be_hidden()


def test_an_agent_takes_answers_and_resolves_a_case_and_a_supervisor_downloads_the_report(
    page: Any,
    local_stack: Any,
) -> None:
    from playwright.sync_api import expect

    base = local_stack.base_url
    agent, supervisor = local_stack.users["agent"], local_stack.users["supervisor"]
    marker = _marker()
    complaint = f"My parcel never arrived and nobody answers, {marker}. Really disappointed."
    reply = f"So sorry, Dana ({marker})! We have found your parcel: it arrives tomorrow morning."

    # Given a customer's comment delivered as a correctly signed Meta webhook, triaged into a queue
    assert _post_meta_comment(base, complaint, marker) == 200
    local_stack.drain_queues(timeout=20)
    agent_token = _id_token(base, agent, local_stack.password)
    queued = _wait_for_queued_case(base, agent_token, marker)
    team, case_id = queued["team"], queued["case_id"]

    # When the agent signs in, Then the queue is home, with a card per team
    _sign_in(page, agent, local_stack.password)
    expect(page.get_by_role("heading", name="Queue", level=1)).to_be_visible()
    card = page.locator(f'.queue-card[data-team="{team}"]')
    expect(card).to_be_visible()
    # And the supervisor-only Reports view is not offered to an agent
    expect(page.get_by_role("link", name="Reports")).to_be_hidden()

    # When the agent takes the next case (more urgent ones from earlier tests may come first)
    taken: list[str] = []
    for attempt in range(MAX_TAKES):
        if attempt:
            page.locator("#nav").get_by_role("link", name="Queue").click()
        card.get_by_role("button", name="Take next case").click()
        page.wait_for_url("**/#/cases/*")
        expect(page.locator("#case-status")).to_have_text("assigned")
        taken.append(urllib.parse.unquote(page.url.rsplit("/", 1)[-1]))
        if taken[-1] == case_id:
            break
    assert taken[-1] == case_id, f"the case never came out of the {team} queue; took {taken}"

    # Then the case shows its story: the customer's message and who owns it now
    expect(page.locator("#timeline .kind-message_in").filter(has_text=marker)).to_be_visible()
    expect(page.locator(".details")).to_contain_text(agent)

    # When the agent writes and sends a reply
    page.get_by_label("Your reply").fill(reply)
    # (the counter counts what the customer receives: the reply and the contact line Heard appends)
    contact_line = _json(f"{base}/api/meta", token=agent_token)["contact_line"]
    expect(page.locator("#reply-count")).to_contain_text(str(len(reply) + 2 + len(contact_line)))
    page.get_by_role("button", name="Send reply").click()
    # Then it appears on the timeline with its delivery state, and the reply box is ready for the next
    sent_entry = page.locator("#timeline .kind-reply").filter(has_text=reply)
    expect(sent_entry).to_be_visible()
    expect(sent_entry.locator(".delivery")).to_be_visible()
    expect(page.get_by_label("Your reply")).to_have_value("")
    # And the dispatcher delivers it to the (fake) platform
    local_stack.drain_queues(timeout=20)
    assert any(reply in json.dumps(sent, default=str) for sent in local_stack.fakes.sent), (
        "reply never reached the platform"
    )

    # When the agent resolves the case, Then it is resolved and can no longer be resolved again
    page.get_by_role("button", name="Resolve case").click()
    expect(page.locator("#case-status")).to_have_text("resolved")
    expect(page.get_by_role("button", name="Resolve case")).to_be_hidden()

    # Cases taken on the way belong to other tests' customers: resolve them so the agent keeps capacity
    for other in taken[:-1]:
        _json(f"{base}/api/cases/{other}/resolve", token=agent_token, body={})

    # When the agent signs out and a supervisor signs in
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Heard")).to_be_visible()
    _sign_in(page, supervisor, local_stack.password)

    # Then the supervisor has the Reports view
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    # When they generate a report now
    expect(page.locator("[aria-busy]")).to_have_count(0)  # the list has loaded
    page.get_by_role("button", name="Generate now").click()
    expect(page.get_by_role("status")).to_contain_text("Report ready")
    # Then it is listed first; And its CSV downloads: the console opens the presigned link (and keeps it as a link)
    newest = page.locator("table.reports tbody tr").first
    expect(newest).to_be_visible()
    with page.context.expect_page() as opened:
        newest.get_by_role("button", name="CSV").click()
    opened.value.close()
    link = newest.locator("a.download-link-csv")
    expect(link).to_be_visible()
    with urllib.request.urlopen(link.get_attribute("href"), timeout=10) as response:
        csv_text = response.read().decode()
    # Then the CSV has a row for the case the agent just resolved
    assert case_id in csv_text
