"""Connected accounts (issue #16): a Facebook Page, Instagram account, WhatsApp number, X account, Telegram
bot, LinkedIn organisation or generic source, with its own credentials, belonging to one brand.

An account is reached at `/webhooks/<platform>/<account id>`; its credentials live in their own Secrets
Manager secret (never in the table, never in an answer). Admins add and remove accounts at run time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

AccountId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,39}$")]


class ConnectedAccount(BaseModel):
    """What Heard keeps about an account in its table: no credential, only where they are."""

    model_config = ConfigDict(frozen=True)

    account_id: AccountId
    platform: Annotated[str, Field(min_length=1, max_length=32)]  # the webhook segment: meta, x, telegram...
    brand: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,39}$")]
    name: Annotated[str, Field(min_length=1, max_length=100)]
    # The platform's own id of the account (Page id, phone number id, X user id, bot id, organisation urn):
    # shown to admins and checked against deliveries where the payload names it.
    external_id: Annotated[str | None, Field(max_length=200)] = None
    credential_names: list[str] = []  # which keys its secret holds (never their values)
    created_at: datetime
    created_by: str
