"""Issue 16's "Done when", the parts tests/e2e/test_brands_e2e.py does not cover, over real HTTP against
the local stack: two Pages of two brands sharing the Meta app's one callback (`/webhooks/meta`, told
apart by entry[].id) become cases for each brand's team, answered with each brand's contact line through
each Page's token; a LinkedIn comment and a generic-channel message are answered through their fakes; an
Instagram mention shows the text fetched from the Graph API. (Two brands' own webhook URLs and the
automatic hide of spam are test_brands_e2e.py's.)

The stack is shared: the brand and its account are removed again at the end, each case resolved."""

from __future__ import annotations

import secrets
import time
import urllib.parse
from typing import Any

import pytest

from tests.e2e.test_platforms_e2e import (
    LINKEDIN_ORG,
    PAGE_ID,
    _digits,
    _word,
    generic_review,
    linkedin_comment,
)
from tests.e2e.webclient import (
    call,
    case_detail,
    cases_of_customer,
    deliver,
    resolve_case,
    sent_to_fakes,
    wait_for,
)

pytestmark = pytest.mark.e2e

SHARED_PAGE = "104000000000777"  # the second brand's Page, on the same Meta app as PAGE_ID
BRAND = {
    "id": "brand-shared",
    "name": "Brand Shared",
    "contact_line": "Brand Shared people answer on +44 20 7946 0303.",
    "default_team": "pr",
    "holding_statements": {},
    "answer_tags": [],
}


def page_comment(page: str, customer: str, word: str) -> dict[str, Any]:
    now = int(time.time())
    value = {
        "item": "comment",
        "verb": "add",
        "comment_id": f"{page}_{_digits(15)}",
        "post_id": f"{page}_1",
        "parent_id": f"{page}_1",
        "from": {"id": customer, "name": "Sam Customer"},
        "created_time": now,
        "message": f"Where is my parcel, nobody answers ({word})",
    }
    return {"id": page, "time": now, "changes": [{"field": "feed", "value": value}]}


def one_case(stack: Any, token: str, customer: str) -> dict[str, Any]:
    found = wait_for(lambda: cases_of_customer(stack, token, customer), timeout=20)
    assert found, f"no case for {customer}"
    return found[0]


def answer(stack: Any, token: str, case: dict[str, Any], text: str) -> dict[str, Any]:
    replied = call(
        stack.base_url, "POST", f"/api/cases/{case['case_id']}/replies", token=token, json_body={"text": text}
    )
    assert replied.status == 202, replied.body
    sent = wait_for(lambda: sent_to_fakes(stack, text), timeout=20)
    assert sent and len(sent) == 1, sent
    return sent[0]


def two_pages_on_one_callback(stack: Any, admin: str, agent: str, opened: list[str]) -> None:
    word, token = _word(), f"token-{secrets.token_hex(4)}"
    account = f"shared-{word}"
    assert call(stack.base_url, "PUT", "/api/brands/brand-shared", token=admin, json_body=BRAND).status == 200
    request = {
        "account_id": account,
        "platform": "meta",
        "brand": "brand-shared",
        "name": "Brand Shared Page",
        "external_id": SHARED_PAGE,  # entry[].id of its deliveries on the app's callback
        "credentials": {"META_PAGE_TOKEN": token},
    }
    created = call(stack.base_url, "POST", "/api/accounts", token=admin, json_body=request)
    assert created.status == 201, created.body
    try:
        # Given one delivery to the app's one callback holding a comment on each brand's Page
        one, two = f"one-{word}", f"two-{word}"
        entries = [page_comment(PAGE_ID, one, word), page_comment(SHARED_PAGE, two, word)]
        assert deliver(stack, "meta", {"object": "page", "entry": entries}).status == 200
        # Then each becomes a case for its brand's team
        first, second = one_case(stack, agent, one), one_case(stack, agent, two)
        opened += [first["case_id"], second["case_id"]]
        assert first["brand"] is None and first["team"] in ("care", "off-hours")
        assert (second["brand"], second["connected_account"], second["team"]) == (
            "brand-shared",
            account,
            "pr",
        )
        # When each is answered, Then each reply carries its brand's line, through its own Page's token
        default_sent = answer(stack, admin, first, f"Sorry {word} one")
        brand_sent = answer(stack, admin, second, f"Sorry {word} two")
        assert "Brand Shared people answer" in brand_sent["json"]["message"]
        assert "Brand Shared people answer" not in default_sent["json"]["message"]
        assert brand_sent["token_suffix"] == token[-6:] and default_sent["token_suffix"] != token[-6:]
    finally:
        call(stack.base_url, "DELETE", f"/api/accounts/{account}", token=admin)
        call(stack.base_url, "DELETE", "/api/brands/brand-shared", token=admin)


def linkedin_and_generic_answered(stack: Any, admin: str, agent: str, opened: list[str]) -> None:
    for delivery in (linkedin_comment(), generic_review()):
        assert deliver(stack, delivery.webhook, delivery.payload).status == 200
        case = one_case(stack, agent, delivery.customer_id)
        opened.append(case["case_id"])
        text = f"We are on it ({_word()})."
        sent = answer(stack, admin, case, text)
        assert (sent["platform"], sent["path"], sent["status"] < 300) == (
            delivery.reply_platform,
            delivery.reply_path,
            True,
        )
        assert delivery.reply_shape is not None
        delivery.reply_shape(sent["json"], sent["json"].get("text") or sent["json"]["message"]["text"])
        if delivery.platform == "linkedin":  # the organisation answered under the customer's comment
            assert sent["json"]["actor"] == LINKEDIN_ORG
            target = urllib.parse.unquote(sent["path"].split("/")[3])
            assert target == sent["json"]["parentComment"]


def instagram_mention_shows_its_text(stack: Any, agent: str, opened: list[str]) -> None:
    comment_id, media_id = _digits(17), _digits(17)
    change = {"field": "mentions", "value": {"media_id": media_id, "comment_id": comment_id}}
    entry = {"id": "17841400000000001", "time": int(time.time()), "changes": [change]}
    assert deliver(stack, "meta", {"object": "instagram", "entry": [entry]}).status == 200
    # The webhook names only the media and comment; triage fetched the text and author from the Graph API
    case = one_case(stack, agent, f"ig-user-{comment_id}")
    opened.append(case["case_id"])
    timeline = case_detail(stack, agent, case["case_id"])["timeline"]
    message = next(e for e in timeline if e["kind"] == "message_in")
    assert message["text"] == f"Loving the new store @heard {comment_id}"
    assert (case["platform"], case["channel"]) == ("instagram", "mention")


def test_pages_sharing_a_callback_linkedin_generic_and_instagram_mentions_end_to_end(
    local_stack: Any,
) -> None:
    admin = local_stack.sign_in(local_stack.users["admin"])
    agent = local_stack.sign_in(local_stack.users["supervisor"])
    opened: list[str] = []
    try:
        two_pages_on_one_callback(local_stack, admin, agent, opened)
        linkedin_and_generic_answered(local_stack, admin, agent, opened)
        instagram_mention_shows_its_text(local_stack, agent, opened)
    finally:
        for case_id in opened:
            resolve_case(local_stack, admin, case_id)
