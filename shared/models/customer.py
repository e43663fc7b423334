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


class ConsentHow(StrEnum):
    """How the customer agreed that we keep their email or phone (GDPR art. 7: we must be able to show it)."""

    IN_CONVERSATION = "in_conversation"  # they agreed in this conversation (the message is on the case)
    BY_PHONE = "by_phone"
    IN_WRITING = "in_writing"  # a letter or an email
    WEB_FORM = "web_form"


class ContactDetails(BaseModel):
    """A customer identity's contact details. The email and phone are kept in clear only with the
    customer's consent (when and how it was given, recorded by whom); without it only their keyed digests
    are kept, enough to link identities and to find the customer, never to read the details back."""

    model_config = ConfigDict(frozen=True)

    email: str | None = None
    phone: str | None = None
    email_key: str | None = None
    phone_key: str | None = None
    consent_at: datetime | None = None
    consent_how: ConsentHow | None = None
    recorded_by: str
    recorded_at: datetime

    @property
    def in_clear(self) -> bool:
        return self.consent_at is not None
