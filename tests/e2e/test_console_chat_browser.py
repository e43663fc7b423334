"""The chat notifier (issue #17) in real Chromium against the local stack: an admin sets the Slack
webhook to the local fake receiver, sends a test message and sees it delivered; a crisis a supervisor then
declares reaches the channel through Heard's bus (the cases table's stream, the events function, the
notifier's EventBridge rule, notify-chat), with a link to the console and no statement text.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

import pytest

from tests.e2e.console_helpers import _call, _id_token, _marker, _restore_config, _sign_in

pytestmark = pytest.mark.browser


def _received(base_url: str, title: str, timeout: float = 30.0) -> list[dict[str, Any]]:
    """What the fake receiver (`/fake/chat`) was posted with this header, once there is any."""
    deadline = time.monotonic() + timeout
    while True:
        with urllib.request.urlopen(f"{base_url}/fake/chat", timeout=5) as answer:
            items = json.loads(answer.read())["items"]
        found = [i for i in items if i["json"]["blocks"][0]["text"]["text"].startswith(title)]
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing titled {title!r} reached the fake chat after {timeout}s: {items}")
        time.sleep(0.25)


def test_an_admin_connects_slack_and_a_declared_crisis_reaches_it(new_page: Any, local_stack: Any) -> None:
    from playwright.sync_api import expect

    base, users, password = local_stack.base_url, local_stack.users, local_stack.password
    admin = _id_token(base, users["admin"], password)
    before = _call(base, "GET", "/config", admin)["config"]
    hook = f"{local_stack.chat.url}/hooks/e2e-{_marker()}"
    try:
        page = new_page()
        _sign_in(page, users["admin"], password)
        page.get_by_role("link", name="Admin").click()
        section = page.locator("section.admin-chat")
        expect(section.locator("#chat-summary")).to_be_visible()
        # When the admin gives a plain-http URL elsewhere, it is refused naming the URL
        section.get_by_label("Incoming webhook URL (leave empty to keep the one set)").fill(
            "http://example.com/x"
        )
        section.get_by_label("Post to the channel").check()
        section.get_by_role("button", name="Save chat notifier").click()
        expect(section.locator(".form-error").first).to_contain_text("url must be an https:// URL")
        # and then the local fake receiver: saved, only its host shown
        section.get_by_label("Incoming webhook URL (leave empty to keep the one set)").fill(hook)
        section.get_by_label("Kind").select_option("slack")
        section.get_by_role("button", name="Save chat notifier").click()
        expect(section.locator("#chat-summary")).to_have_text(
            "A Slack webhook on 127.0.0.1 is set; the notifier is on."
        )
        # When the admin sends a test message, it is delivered and the fake receiver has it
        section.get_by_role("button", name="Send a test message").click()
        expect(section.locator("#chat-test-result")).to_have_text("Delivered to 127.0.0.1 (answered 200).")
        assert _received(base, "Heard test message")
        # When a supervisor declares a crisis
        supervisor = _id_token(base, users["supervisor"], password)
        tag = _marker()
        crisis = _call(
            base,
            "POST",
            "/crises",
            supervisor,
            {
                "type": "safety",
                "name": f"Chat notifier check {tag}",
                "keywords": [f"chatcheck{tag}"],
                "topics": [],
                "holding_statement": {
                    "text": f"We know some kettles switch off and are looking into it {tag}",
                    "next_update": "by 15:00 UTC",
                    "more_info": "https://example.com/kettle",
                },
            },
        )["crisis"]
        try:
            # Then it reaches the channel, with the crisis's link and without the statement's text
            (posted,) = [
                p for p in _received(base, "Crisis declared") if crisis["crisis_id"] in json.dumps(p["json"])
            ]
            assert f"{base}/#/crises" in json.dumps(posted["json"])
            assert "looking into it" not in json.dumps(posted["json"])
        finally:
            _call(base, "POST", f"/crises/{crisis['crisis_id']}/end", supervisor, {})
    finally:
        _restore_config(base, admin, before)
