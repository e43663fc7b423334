"""Brands and connected accounts (issue #16) in real Chromium against the local stack: an admin adds a
second brand and connects its Facebook Page with the Page's own secret; a comment to that Page becomes a
case for the brand's team; a member of that team hides the comment, and the fake Graph API received it.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.e2e.console_helpers import _call, _id_token, _marker, _sign_in, _wait_for_queued_case
from tests.e2e.webclient import call

pytestmark = pytest.mark.browser

PAGE_SECRET = "acme-b-page-secret"


def post_comment(base_url: str, account: str, marker: str) -> int:
    now = int(time.time())
    change = {
        "field": "feed",
        "value": {
            "item": "comment",
            "verb": "add",
            "comment_id": f"7001_{marker}",
            "post_id": "777000333_7001",
            "parent_id": "777000333_7001",
            "from": {"id": f"acme-{marker}", "name": "Robin Customer"},
            "created_time": now,
            "message": f"My parcel never arrived and nobody answers {marker}",
        },
    }
    body = json.dumps(
        {"object": "page", "entry": [{"id": "777000333", "time": now, "changes": [change]}]}
    ).encode()
    signature = "sha256=" + hmac.new(PAGE_SECRET.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(
        f"{base_url}/webhooks/meta/{account}",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


def test_an_admin_connects_a_second_brands_page_whose_comment_reaches_its_team(
    new_page: Any, local_stack: Any
) -> None:
    from playwright.sync_api import expect

    base, users, password = local_stack.base_url, local_stack.users, local_stack.password
    admin_token = _id_token(base, users["admin"], password)
    marker = _marker()
    account = f"acme-b-{marker}"
    try:
        page = new_page()
        _sign_in(page, users["admin"], password)
        page.get_by_role("link", name="Accounts").click()
        expect(page.get_by_role("heading", name="Brands and accounts", level=1)).to_be_visible()
        # When the admin adds the brand Acme B, answered by the PR team with its own contact line
        page.get_by_label("Brand id").fill("acme-b")
        page.get_by_label("Name", exact=True).first.fill("Acme B")
        page.get_by_label("Contact line (ends every reply)").fill("Talk to Acme B: +44 20 7946 0101.")
        page.get_by_label("Default team").select_option("pr")
        page.get_by_role("button", name="Save brand").click()
        expect(page.locator('.team-card[data-brand="acme-b"]')).to_contain_text("Default team: pr")
        # And connects the brand's Facebook Page with the Page's own app secret
        form = page.locator("#account-form")
        form.get_by_label("Platform", exact=True).select_option("meta")
        form.get_by_label("Brand", exact=True).select_option("acme-b")
        form.get_by_label("Account id (the end of its webhook URL)").fill(account)
        form.get_by_label("Name", exact=True).fill("Acme B Page")
        form.get_by_label("META_APP_SECRET").fill(PAGE_SECRET)
        form.get_by_label("META_PAGE_TOKEN").fill("acme-b-page-token")
        form.get_by_role("button", name="Connect account").click()
        row = page.locator(f'.team-card[data-brand="acme-b"] tr[data-account="{account}"]')
        expect(row).to_contain_text(f"/webhooks/meta/{account}")
        expect(row).to_contain_text("META_APP_SECRET, META_PAGE_TOKEN")
        # Then a comment to that Page, signed with its own secret, becomes a case for the PR team
        assert post_comment(base, account, marker) == 200
        supervisor_token = _id_token(base, users["supervisor"], password)
        case = _wait_for_queued_case(base, supervisor_token, marker)
        assert (case["team"], case["brand"], case["connected_account"]) == ("pr", "acme-b", account)
        # When a member of the PR team opens the case and hides the comment
        worker = new_page()
        _sign_in(worker, users["supervisor"], password)
        worker.goto(f"{base}/#/cases/{case['case_id']}")
        worker.get_by_role("button", name="Hide comment").click()
        # Then the timeline records it with its undo, and the fake Graph API got the hide with the Page's token
        expect(worker.locator('#timeline li[data-kind="moderated"]')).to_contain_text("Hide comment")
        expect(worker.get_by_role("button", name="Unhide comment")).to_be_visible()
        sent = call(base, "GET", "/fake/sent").json()["items"]
        hides = [r for r in sent if r["path"] == f"/v21.0/7001_{marker}"]
        assert [(r["json"], r["token_suffix"]) for r in hides] == [({"is_hidden": True}, "-token")]
        # And an agent without the admin role sees no Accounts link
        agent = new_page()
        _sign_in(agent, users["agent"], password)
        expect(agent.get_by_role("link", name="Accounts")).to_be_hidden()
    finally:  # the local stack is shared: disconnect the account and drop the brand
        for path in (f"/accounts/{account}", "/brands/acme-b"):
            with contextlib.suppress(urllib.error.HTTPError):
                _call(base, "DELETE", path, admin_token)
