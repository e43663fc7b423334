"""Links that open a private conversation with the brand (issue 17, R14)."""

from __future__ import annotations

import pytest

from shared.models.config import Accounts
from shared.rules.dm_links import dm_link

ACCOUNTS = Accounts(instagram_username="heard.care", whatsapp_number="+1 555 0100 200", x_user_id="1500")


@pytest.mark.parametrize(
    ("platform", "context", "accounts", "link"),
    [
        ("facebook", {"page_id": "555000111"}, Accounts(), "https://m.me/555000111"),
        ("facebook", {"page_id": "555000111"}, Accounts(facebook_page="heardcare"), "https://m.me/heardcare"),
        ("messenger", {"page_id": "555000111"}, Accounts(), "https://m.me/555000111"),
        ("instagram", {"ig_account_id": "1784"}, ACCOUNTS, "https://ig.me/m/heard.care"),
        ("whatsapp", {}, ACCOUNTS, "https://wa.me/15550100200"),
        ("x", {"tweet_id": "1"}, ACCOUNTS, "https://x.com/messages/compose?recipient_id=1500"),
    ],
)
def test_each_platform_gets_its_own_link_from_the_accounts_ids(platform, context, accounts, link):
    assert dm_link(platform, context, accounts) == link


@pytest.mark.parametrize(
    ("platform", "context"),
    [
        ("instagram", {"ig_account_id": "1784"}),  # only a username opens an Instagram chat
        ("whatsapp", {}),
        ("x", {}),
        ("facebook", {"page_id": "55/../evil"}),  # never a path from outside input
        ("telegram", {"chat_id": "1"}),
    ],
)
def test_no_link_when_the_ids_are_missing_or_unsafe(platform, context):
    assert dm_link(platform, context, Accounts()) is None
