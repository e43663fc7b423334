"""People's sign-in accounts (the Cognito user pool) as the admin console sees them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class UserAccount(BaseModel):
    """One account of the user pool: its email, its Heard role (one Cognito group), whether it may sign in."""

    model_config = ConfigDict(frozen=True)

    email: str
    role: str | None  # None: in no Heard group (signs in, may do nothing)
    enabled: bool
    status: str  # Cognito's: FORCE_CHANGE_PASSWORD (invited), CONFIRMED, ...
