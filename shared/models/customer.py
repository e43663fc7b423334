"""One customer across platforms (R19): their identities (platform, id, handle) and the links between
them, made automatically when the same email, phone or order number is given, or by hand (a merge)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from shared.models.interaction import Platform


class Identity(BaseModel):
    model_config = ConfigDict(frozen=True)

    platform: Platform
    id: str
    handle: str | None = None
    name: str | None = None

    @property
    def customer_key(self) -> str:
        return f"{self.platform.value}#{self.id}"


class LinkHow(StrEnum):
    EMAIL = "email"  # both gave the same email address (its digest)
    PHONE = "phone"
    ORDER = "order"  # both gave the same order number
    MANUAL = "manual"  # an agent merged them

    @classmethod
    def of_key(cls, key: str) -> LinkHow:
        return cls(key.split(":", 1)[0])


class IdentityLink(BaseModel):
    """From one identity to `other`: why, when and by whom; `undone_at` once an agent separated them (an
    undone link stays, so the same key given again does not link them again)."""

    model_config = ConfigDict(frozen=True)

    other: Identity
    how: LinkHow
    key: str | None = None  # the shared key (a digest or an order number) for automatic links
    at: datetime
    by: str  # "system" or the agent's email
    undone_at: datetime | None = None
    undone_by: str | None = None
