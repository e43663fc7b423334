"""Several accounts on a platform's one callback (issue #16): each interaction goes to the account whose
external_id is its own account id (Meta's entry[].id), others stay the default brand's; the accounts are
read once per 30 s."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from shared.models.account import ConnectedAccount
from shared.models.interaction import Author, Channel, EventKind, Interaction, Platform
from shared.usecases import accounts as accounts_usecase
from shared.usecases.ingest import stamp
from tests.unit.fakes import MemoryAccounts

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def account(account_id: str, external_id: str | None, platform: str = "meta") -> ConnectedAccount:
    return ConnectedAccount(
        account_id=account_id,
        platform=platform,
        brand="acme-uk",
        name=account_id,
        external_id=external_id,
        created_at=NOW,
        created_by="admin@heard.local",
    )


def comment(page: str) -> Interaction:
    return Interaction(
        platform=Platform.FACEBOOK,
        kind=EventKind.MESSAGE,
        channel=Channel.COMMENT,
        platform_id=f"{page}_1",
        dedupe_key=f"facebook:{page}_1",
        account_id=page,
        author=Author(id="42"),
        conversation_id=f"{page}_0",
        occurred_at=NOW,
        reply_context={"comment_id": f"{page}_1"},
    )


class Counting(MemoryAccounts):
    def __init__(self) -> None:
        super().__init__()
        self.lists = 0

    def list(self) -> list[ConnectedAccount]:
        self.lists += 1
        return super().list()


def test_each_page_goes_to_its_account_and_the_accounts_are_read_once_per_half_minute():
    accounts_usecase.forget()
    repo = Counting()
    for item in (account("acme-page", "777"), account("acme-x", "777", platform="x"), account("no-id", None)):
        repo.add(item)
    resolve = accounts_usecase.shared_callback_resolver("meta", repo)
    assert resolve is not None
    stamped = stamp([comment("777"), comment("555")], None, resolve)
    assert [(i.connected_account, i.brand) for i in stamped] == [("acme-page", "acme-uk"), (None, None)]
    assert stamped[0].reply_context["heard_account"] == "acme-page"
    accounts_usecase.shared_callback_resolver("meta", repo)
    assert repo.lists == 1  # cached
    accounts_usecase.forget()


def test_without_accounts_with_an_external_id_nothing_is_resolved():
    accounts_usecase.forget()
    repo = MemoryAccounts()
    repo.add(account("no-id", None))
    assert accounts_usecase.shared_callback_resolver("meta", repo) is None
    accounts_usecase.forget()


@given(pages=st.lists(st.sampled_from(["777", "555", "888"]), max_size=6))
def test_an_accounts_own_url_wins_over_the_page_id(pages):
    def resolve(interaction: Interaction) -> tuple[str, str] | None:
        return ("acme-page", "acme-uk") if interaction.account_id == "777" else None

    stamped = stamp([comment(p) for p in pages], ("own-url", "brand-b"), resolve)
    assert all((i.connected_account, i.brand) == ("own-url", "brand-b") for i in stamped)
