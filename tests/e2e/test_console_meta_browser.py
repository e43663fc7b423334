"""The console's roles come from the API (GET /api/meta), fetched once signed in: in real Chromium
against the local stack, a reviewer sees what the API says a reviewer may do, and a console that cannot
read the meta says so and recovers with "Try again" instead of guessing.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.console_helpers import _sign_in

pytestmark = pytest.mark.browser


def _meta_requests(page: Any) -> list[str]:
    seen: list[str] = []
    page.on(
        "request", lambda request: seen.append(request.url) if request.url.endswith("/api/meta") else None
    )
    return seen


def test_a_reviewer_is_offered_what_the_meta_grants_and_nothing_else(new_page: Any, local_stack: Any) -> None:
    from playwright.sync_api import expect

    # Given a reviewer (the meta: may review; not work, not supervise)
    page = new_page()
    fetched = _meta_requests(page)
    # When they sign in
    _sign_in(page, local_stack.users["reviewer"], local_stack.password)
    # Then the console read the meta once, after signing in
    assert len(fetched) == 1
    # And offers blind review but no supervisor pages and no taking of cases
    expect(page.get_by_role("link", name="Blind review")).to_be_visible()
    for name in ("Reports", "Crises", "Approvals"):
        expect(page.get_by_role("link", name=name)).to_be_hidden()
    expect(page.get_by_text("Your role can read cases but not take them.")).to_be_visible()
    expect(page.get_by_role("button", name="Take next case")).to_have_count(0)
    # And moving between pages does not ask again; a reload (a new page life) does, once
    page.get_by_role("link", name="Blind review").click()
    expect(page.get_by_role("heading", name="Blind review")).to_be_visible()
    assert len(fetched) == 1
    page.reload()
    expect(page.get_by_role("heading", name="Blind review")).to_be_visible()
    assert len(fetched) == 2


def test_without_the_meta_the_console_says_so_and_try_again_recovers(new_page: Any, local_stack: Any) -> None:
    from playwright.sync_api import expect

    # Given an API whose meta is unavailable for a moment
    page = new_page()
    page.route(
        "**/api/meta",
        lambda route: route.fulfill(
            status=503, content_type="application/json", body='{"message": "Meta is down for a moment"}'
        ),
    )
    # When an agent signs in
    page.goto("/")
    page.get_by_label("Email").fill(local_stack.users["agent"])
    page.get_by_label("Password").fill(local_stack.password)
    page.get_by_role("button", name="Sign in").click()
    # Then the console does not guess what they may do: it says what is wrong, with a way to try again
    expect(page.get_by_role("heading", name="Heard is not available")).to_be_visible()
    expect(page.locator("#main")).to_contain_text("Meta is down for a moment")
    expect(page.locator("#alert")).to_contain_text("Meta is down for a moment")
    expect(page.get_by_role("link", name="Queue")).to_be_hidden()
    # And once the API answers again, "Try again" brings the queue, with the agent's "Take next case"
    page.unroute("**/api/meta")
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", name="Queue", exact=True)).to_be_visible()
    expect(page.locator("#user-email")).to_have_text(local_stack.users["agent"])
    expect(page.get_by_role("button", name="Take next case").first).to_be_visible()
