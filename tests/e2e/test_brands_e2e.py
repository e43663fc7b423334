"""Issue 16's "Done when" over real HTTP against the local stack (with test_channels_e2e.py): two Pages of two brands
deliver comments that become cases for each brand's team and are answered with each brand's contact line
(the second through its own Page token); a spam comment is hidden automatically and the fake platform
received the hide call. LinkedIn and generic-channel replies, Pages sharing one callback and Instagram mention
texts are in test_channels_e2e.py.

The stack is shared: the brand, its account and the rule are removed again at the end."""

from __future__ import annotations

import json
import secrets
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.e2e.webclient import call, cases_of_customer, resolve_case, sent_to_fakes, wait_for
from tests.fixtures.webhooks.signing import signed_headers

pytestmark = pytest.mark.e2e

BRAND = {
    "id": "brand-two",
    "name": "Brand Two",
    "contact_line": "Brand Two people answer on +44 20 7946 0202.",
    "default_team": "pr",
    "holding_statements": {},
    "answer_tags": [],
}
SPAM = "Buy followers cheap!!! click here http://spam.example free crypto giveaway"


def _word() -> str:
    return "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(10))


def comment(page: str, comment_id: str, customer: str, text: str) -> bytes:
    now = int(time.time())
    value = {
        "item": "comment",
        "verb": "add",
        "comment_id": comment_id,
        "post_id": f"{page}_1",
        "parent_id": f"{page}_1",
        "from": {"id": customer, "name": "Sam Customer"},
        "created_time": now,
        "message": text,
    }
    entry = {"id": page, "time": now, "changes": [{"field": "feed", "value": value}]}
    return json.dumps({"object": "page", "entry": [entry]}).encode()


def post(stack: Any, path: str, body: bytes, secret: str | None = None) -> int:
    secrets_used = {"META_APP_SECRET": secret} if secret else None
    headers = {
        "Content-Type": "application/json",
        **(
            signed_headers("meta", body, datetime.now(UTC), secrets_used)
            if secrets_used
            else signed_headers("meta", body, datetime.now(UTC))
        ),
    }
    return call(stack.base_url, "POST", path, body=body, headers=headers).status


def one_case(stack: Any, token: str, customer: str) -> dict[str, Any]:
    found = wait_for(lambda: cases_of_customer(stack, token, customer), timeout=20)
    assert found, f"no case for {customer}"
    return found[0]


def test_two_brands_pages_become_their_teams_cases_answered_with_their_lines_and_spam_is_hidden(
    local_stack: Any,
) -> None:
    users = local_stack.users
    admin = local_stack.sign_in(users["admin"])
    supervisor = local_stack.sign_in(users["supervisor"])
    base, word = local_stack.base_url, _word()
    account, page_secret, page_token = f"two-{word}", f"secret-{word}", f"token-{word}"
    config = call(base, "GET", "/api/config", token=admin).json()["config"]
    try:
        # Given an admin's second brand with its own Page, and a rule hiding that brand's spam
        with_brand = json.loads(json.dumps(config))
        rule = {"name": "Hide brand two spam", "team": "pr", "brands": ["brand-two"], "categories": ["spam"]}
        with_brand["rules"] = [{**rule, "auto_hide": True}, *with_brand["rules"]]
        assert call(base, "PUT", "/api/config", token=admin, json_body=with_brand).status == 200
        # (the brand after the rule: a whole configuration put replaces the brands too)
        assert call(base, "PUT", "/api/brands/brand-two", token=admin, json_body=BRAND).status == 200
        request = {
            "account_id": account,
            "platform": "meta",
            "brand": "brand-two",
            "name": "Brand Two Page",
            "credentials": {"META_APP_SECRET": page_secret, "META_PAGE_TOKEN": page_token},
        }
        assert call(base, "POST", "/api/accounts", token=admin, json_body=request).status == 201
        # When each Page delivers a comment (the second signed with its own secret)
        one, two = f"one-{word}", f"two-{word}"
        text = f"My parcel never arrived and nobody answers {word}"
        assert post(local_stack, "/webhooks/meta", comment("555000111", f"1_{word}", one, text)) == 200
        body = comment("777000444", f"2_{word}", two, text)
        assert post(local_stack, f"/webhooks/meta/{account}", body, page_secret) == 200
        # Then each becomes a case for its brand's team
        first, second = one_case(local_stack, supervisor, one), one_case(local_stack, supervisor, two)
        # (the default brand's team is care, or the off-hours team while care is closed; PR never closes)
        assert first["team"] in ("care", "off-hours") and first["brand"] is None
        assert (second["team"], second["brand"], second["connected_account"]) == ("pr", "brand-two", account)
        # When both are answered, Then each reply carries its brand's contact line, through its own Page
        for case in (first, second):
            path = f"/api/cases/{case['case_id']}/replies"
            answer = call(base, "POST", path, token=supervisor, json_body={"text": f"Sorry {word}!"})
            assert answer.status == 202, answer.body
        sent = wait_for(
            lambda: len(sent_to_fakes(local_stack, f"Sorry {word}!")) == 2
            and sent_to_fakes(local_stack, f"Sorry {word}!")
        )
        assert sent, "both replies should reach the fake Graph API"
        by_path = {r["path"]: r for r in sent}
        assert "Brand Two people answer" in by_path[f"/v21.0/2_{word}/comments"]["json"]["message"]
        assert "Brand Two people answer" not in by_path[f"/v21.0/1_{word}/comments"]["json"]["message"]
        assert by_path[f"/v21.0/2_{word}/comments"]["token_suffix"] == page_token[-6:]
        # When spam comes to the second brand's Page, Then the fake platform receives the hide call.
        # Triage keeps the configuration up to 60 s per container, so spam sent before it sees the new
        # rule stays visible: a new spam comment every few seconds until one is hidden.
        hides: list[dict[str, Any]] = []
        deadline = time.monotonic() + 75
        attempt = 0
        while not hides and time.monotonic() < deadline:
            attempt += 1
            spam = comment("777000444", f"3_{word}_{attempt}", f"spam-{word}-{attempt}", SPAM)
            assert post(local_stack, f"/webhooks/meta/{account}", spam, page_secret) == 200
            items = wait_for(
                lambda: [
                    r
                    for r in call(base, "GET", "/fake/sent").json()["items"]
                    if r["path"].startswith(f"/v21.0/3_{word}_")
                ],
                timeout=6,
            )
            hides = items or []
        assert hides and hides[0]["json"] == {"is_hidden": True}
        for case in (first, second):
            resolve_case(local_stack, supervisor, case["case_id"])
    finally:  # put the configuration back over what was saved since (as its next revision)
        revision = call(base, "GET", "/api/config", token=admin).json()["config"]["revision"]
        call(base, "PUT", "/api/config", token=admin, json_body={**config, "revision": revision})
        call(base, "DELETE", f"/api/accounts/{account}", token=admin)
        call(base, "DELETE", "/api/brands/brand-two", token=admin)
