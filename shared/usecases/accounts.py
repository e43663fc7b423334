"""Brands and their connected accounts (issue #16), managed by admins at run time.

A brand lives in the configuration (validated with the rest of it: its default team must exist). An
account is a record in the table plus its own secret: added and removed through the API without a
redeploy. The webhook finds an account's credentials through `webhook_account` (cached 30 s per container,
so a removed account stops being accepted within 30 s).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from shared.errors import Conflict, InvalidInput, NotFound
from shared.models.account import ConnectedAccount
from shared.models.agent import Agent
from shared.models.config import DEFAULT_BRAND, Brand, HeardConfig
from shared.models.interaction import Interaction
from shared.observability import logger, metrics
from shared.platforms import REGISTERED, get_spec
from shared.platforms.credentials import PlatformCredentials


def brands(config: HeardConfig) -> list[Brand]:
    """Every brand, the default one (the company's own settings) first."""
    return [config.brand(None), *config.brands]


def put_brand(deps: Any, actor: Agent, brand: Brand) -> Brand:
    """Add or replace a brand; the whole configuration is validated before it is stored."""
    if brand.id == DEFAULT_BRAND:
        raise InvalidInput("brand id 'default' is the company's own: change it in the configuration")
    config = deps.config.refresh()
    document = config.model_dump(mode="json")
    others = [b for b in document.get("brands", []) if b["id"] != brand.id]
    document["brands"] = [*others, brand.model_dump(mode="json")]
    try:
        updated = HeardConfig.model_validate(document)
    except ValidationError as error:
        raise InvalidInput(f"brand {brand.id!r}: {error.errors()[0]['msg']}") from error
    deps.config.put(updated)
    metrics.add_metric(name="BrandSaved", unit="Count", value=1)
    logger.warning("brand saved", extra={"by": actor.email, "brand": brand.id})
    return updated.brand(brand.id)


def remove_brand(deps: Any, actor: Agent, brand_id: str) -> None:
    config = deps.config.refresh()
    if all(b.id != brand_id for b in config.brands):
        raise NotFound(f"unknown brand {brand_id!r}")
    using = sorted(a.account_id for a in deps.accounts.list() if a.brand == brand_id)
    if using:
        raise Conflict(f"brand {brand_id!r} still has accounts {using}: remove or move them first")
    document = config.model_dump(mode="json")
    document["brands"] = [b for b in document["brands"] if b["id"] != brand_id]
    deps.config.put(HeardConfig.model_validate(document))
    logger.warning("brand removed", extra={"by": actor.email, "brand": brand_id})


def credential_names(platform: str) -> list[str]:
    """The keys an account of `platform` may hold (its spec's credentials)."""
    return [c.name for c in get_spec(platform).credentials]


def _check_credentials(platform: str, credentials: Mapping[str, str]) -> dict[str, str]:
    allowed = credential_names(platform)
    unknown = sorted(set(credentials) - set(allowed))
    if unknown:
        raise InvalidInput(
            f"credentials: {unknown} are not {platform} credentials; expected some of {allowed}"
        )
    values = {k: v.strip() for k, v in credentials.items() if v and v.strip()}
    if not values:
        raise InvalidInput(f"credentials: give at least one of {allowed}")
    try:
        PlatformCredentials.model_validate(values)
    except ValidationError as error:
        raise InvalidInput(f"credentials: {error.errors()[0]['msg']}") from error
    return values


def add_account(
    deps: Any,
    actor: Agent,
    *,
    account_id: str,
    platform: str,
    brand: str,
    name: str,
    external_id: str | None,
    credentials: Mapping[str, str],
    now: datetime,
) -> ConnectedAccount:
    """Store the account's credentials in its own secret, then its record (the record is what makes
    deliveries to it accepted, so it goes last)."""
    if platform not in REGISTERED:
        raise InvalidInput(f"platform: {platform!r} is not one of {list(REGISTERED)}")
    config = deps.config.get()
    if brand != DEFAULT_BRAND and all(b.id != brand for b in config.brands):
        raise InvalidInput(f"brand: unknown brand {brand!r}; known: {[b.id for b in brands(config)]}")
    values = _check_credentials(platform, credentials)
    account = ConnectedAccount(
        account_id=account_id,
        platform=platform,
        brand=brand,
        name=name,
        external_id=external_id or None,
        credential_names=sorted(values),
        created_at=now,
        created_by=actor.email,
    )
    try:
        deps.accounts.get(account_id)
    except NotFound:
        pass
    else:
        raise Conflict(f"account {account_id!r} already exists")
    deps.account_secrets.put(account_id, values)
    deps.accounts.add(account)
    forget(account_id)  # a Page on the shared callback is told apart from now on (other containers: 30 s)
    metrics.add_metric(name="AccountAdded", unit="Count", value=1)
    logger.warning("account added", extra={"by": actor.email, "account": account_id, "platform": platform})
    return account


def remove_account(deps: Any, actor: Agent, account_id: str) -> None:
    """The record first (deliveries stop being accepted), then the secret."""
    account = deps.accounts.get(account_id)
    deps.accounts.remove(account_id)
    deps.account_secrets.delete(account_id)
    forget(account_id)
    metrics.add_metric(name="AccountRemoved", unit="Count", value=1)
    logger.warning(
        "account removed", extra={"by": actor.email, "account": account_id, "platform": account.platform}
    )


# ---- the webhook's and the dispatcher's view: an account's credentials, cached --------------------------

CACHE_SECONDS = 30.0
_cache: dict[str, tuple[float, ConnectedAccount, PlatformCredentials]] = {}


_by_external: dict[str, tuple[float, dict[str, ConnectedAccount]]] = {}


def forget(account_id: str | None = None) -> None:
    _by_external.clear()
    if account_id is None:
        _cache.clear()
    else:
        _cache.pop(account_id, None)


def external_accounts(
    platform: str, accounts: Any, *, monotonic: Callable[[], float] = time.monotonic
) -> dict[str, ConnectedAccount]:
    """`platform`'s accounts by their platform id (`external_id`), for deliveries to the shared URL
    `/webhooks/<platform>` (one Query of the accounts' partition per 30 s per container)."""
    cached = _by_external.get(platform)
    if cached and cached[0] > monotonic():
        return cached[1]
    found = {a.external_id: a for a in accounts.list() if a.platform == platform and a.external_id}
    _by_external[platform] = (monotonic() + CACHE_SECONDS, found)
    return found


def shared_callback_resolver(
    platform: str, accounts: Any
) -> Callable[[Interaction], tuple[str, str] | None] | None:
    """Which account an interaction delivered to the shared URL belongs to: several Facebook Pages (and
    Instagram accounts, WhatsApp business accounts) of one Meta app share its callback, and
    `entry[].id` (the interaction's `account_id`) names the Page. None when no account has an
    `external_id` on this platform (the single-account setup: everything is the default brand's)."""
    known = external_accounts(platform, accounts)
    if not known:
        return None

    def resolve(interaction: Interaction) -> tuple[str, str] | None:
        account = known.get(interaction.account_id or "")
        return (account.account_id, account.brand) if account else None

    return resolve


def account_credentials(
    account_id: str,
    accounts: Any,
    secrets: Any,
    *,
    monotonic: Callable[[], float] = time.monotonic,
) -> tuple[ConnectedAccount, PlatformCredentials]:
    """The account and its credentials; NotFound when Heard has no such account (or it lost its secret)."""
    cached = _cache.get(account_id)
    if cached and cached[0] > monotonic():
        return cached[1], cached[2]
    account = accounts.get(account_id)
    try:
        creds = PlatformCredentials.model_validate(secrets.get(account_id))
    except ValidationError as error:
        raise NotFound(f"credentials of account {account_id!r} are invalid") from error
    _cache[account_id] = (monotonic() + CACHE_SECONDS, account, creds)
    return account, creds


def webhook_account(
    platform: str, account_id: str, accounts: Any, secrets: Any
) -> tuple[ConnectedAccount, PlatformCredentials]:
    """As `account_credentials`, and the account must be of the platform whose URL was called."""
    account, creds = account_credentials(account_id, accounts, secrets)
    if account.platform != platform:
        raise NotFound(f"account {account_id!r} is not a {platform} account")
    return account, creds
