"""/api/brands and /api/accounts: brands and their connected accounts, managed by admins (issue #16).

An account's credentials go into its own Secrets Manager secret and are never answered back: the API
lists only which credential names an account holds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import BaseModel, ConfigDict, Field

from functions.api.auth import ADMINS, allow, caller
from functions.api.errors import answers
from shared import clock
from shared.models.account import ConnectedAccount
from shared.models.config import Brand
from shared.platforms import REGISTERED
from shared.usecases import accounts
from shared.usecases.deps import default_deps

router = Router()

SlugPath = Annotated[str, Path(pattern=r"^[a-z][a-z0-9-]{0,39}$", description="A brand id")]
AccountPath = Annotated[str, Path(pattern=r"^[a-z][a-z0-9-]{1,39}$", description="An account id")]
MEANINGS = {403: "Admins only", 404: "No such brand or account", 409: "It exists already, or is in use"}


class BrandList(BaseModel):
    items: list[Brand]


class AccountRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: Annotated[
        str,
        Field(pattern=r"^[a-z][a-z0-9-]{1,39}$", description="Heard's id: the webhook URL ends in it"),
    ]
    platform: Annotated[str, Field(description=f"One of {', '.join(REGISTERED)}", max_length=32)]
    brand: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,39}$", description="The brand it answers for")]
    name: Annotated[str, Field(min_length=1, max_length=100, description="e.g. 'Acme UK Facebook Page'")]
    external_id: Annotated[
        str | None, Field(max_length=200, description="The platform's id: Page id, phone number id, ...")
    ] = None
    credentials: Annotated[
        dict[Annotated[str, Field(max_length=64)], Annotated[str, Field(max_length=4096)]],
        Field(max_length=20, description="Credential name -> value, e.g. META_APP_SECRET; never answered"),
    ]


class AccountView(BaseModel):
    account_id: str
    platform: str
    brand: str
    name: str
    external_id: str | None = None
    credential_names: list[str]
    webhook_path: str
    created_at: datetime
    created_by: str


class AccountList(BaseModel):
    items: list[AccountView]
    # What each platform's accounts may hold, for the console's form.
    credential_names: dict[str, list[str]]


def _view(account: ConnectedAccount) -> AccountView:
    return AccountView(
        **account.model_dump(),
        webhook_path=f"/webhooks/{account.platform}/{account.account_id}",
    )


@router.get(
    "/brands",
    summary="Every brand, the default first",
    tags=["accounts"],
    responses=answers(errors=(403,), meanings=MEANINGS),
)
@allow(ADMINS)
def list_brands() -> BrandList:
    return BrandList(items=accounts.brands(default_deps().config.get()))


@router.put(
    "/brands/<brand_id>",
    summary="Add or replace a brand (contact line, holding statements, approved answers scope, team)",
    tags=["accounts"],
    responses=answers(errors=(403,), body=True, params=True, meanings=MEANINGS),
)
@allow(ADMINS)
def put_brand(brand_id: SlugPath, body: Brand) -> Brand:
    if body.id != brand_id:
        from shared.errors import InvalidInput

        raise InvalidInput(f"id: the body's id {body.id!r} is not the path's {brand_id!r}")
    return accounts.put_brand(default_deps(), caller(router), body)


@router.delete(
    "/brands/<brand_id>",
    summary="Remove a brand that has no accounts",
    tags=["accounts"],
    responses=answers(204, "Removed", errors=(403, 404, 409), params=True, meanings=MEANINGS),
)
@allow(ADMINS)
def delete_brand(brand_id: SlugPath) -> Response[None]:
    accounts.remove_brand(default_deps(), caller(router), brand_id)
    return Response(status_code=204)


@router.get(
    "/accounts",
    summary="Connected accounts (no credentials)",
    tags=["accounts"],
    responses=answers(errors=(403,), meanings=MEANINGS),
)
@allow(ADMINS)
def list_accounts() -> AccountList:
    found = sorted(default_deps().accounts.list(), key=lambda a: (a.brand, a.account_id))
    return AccountList(
        items=[_view(a) for a in found],
        credential_names={p: accounts.credential_names(p) for p in REGISTERED},
    )


@router.post(
    "/accounts",
    summary="Connect an account: its credentials go to their own secret; no redeploy",
    tags=["accounts"],
    responses=answers(201, "Connected", errors=(403, 409), body=True, meanings=MEANINGS),
)
@allow(ADMINS)
def add_account(body: AccountRequest) -> Response[AccountView]:
    account = accounts.add_account(
        default_deps(),
        caller(router),
        account_id=body.account_id,
        platform=body.platform,
        brand=body.brand,
        name=body.name,
        external_id=body.external_id,
        credentials=body.credentials,
        now=clock.now(),
    )
    return Response(status_code=201, body=_view(account), content_type="application/json")


@router.delete(
    "/accounts/<account_id>",
    summary="Disconnect an account: deliveries to it are refused, its secret is deleted",
    tags=["accounts"],
    responses=answers(204, "Removed", errors=(403, 404), params=True, meanings=MEANINGS),
)
@allow(ADMINS)
def delete_account(account_id: AccountPath) -> Response[None]:
    accounts.remove_account(default_deps(), caller(router), account_id)
    return Response(status_code=204)
