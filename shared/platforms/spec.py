"""What Heard knows about a platform, in one place: its `PlatformSpec`.

Each platform package (`shared/platforms/<name>/`) holds its inbound adapter (handshake, signature check,
parser), its outbound connector (if Heard can answer there), its local fake API (if it has one) and a
`spec.py` with the `SPEC` below. Everything that used to list platforms by hand is derived from the
registered specs: the credential names (Secrets Manager description, local defaults, test secrets), the
API base-URL variables (settings, the local fakes), the outbound dispatch and the signing of test
deliveries. Adding a platform: docs/platforms.md, "Adding a platform".

Specs are plain data and import nothing heavy: the webhook loads only the modules a request needs.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class Credential:
    """One key of the platform secret (and the environment variable of the same name locally)."""

    name: str  # e.g. "TELEGRAM_BOT_TOKEN"; the PlatformCredentials/Settings field is name.lower()
    purpose: str
    local_default: str | None = None  # what `make run` and the tests use; None: not set locally
    secret: bool = True  # False for ids and settings (account ids, template names) kept beside the secrets

    @property
    def field(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class ApiUrl:
    """The base URL of the platform's API, overridable so the local stack and tests use the fakes."""

    env: str  # e.g. "TELEGRAM_API_URL"
    default: str

    @property
    def setting(self) -> str:
        return self.env.lower()


@dataclass(frozen=True)
class ImageRule:
    """What a platform accepts as an image attached to a reply: content types and the largest size."""

    content_types: tuple[str, ...]
    max_bytes: int
    upload: bool = False  # the connector uploads the bytes itself (X) rather than handing the platform a link


class SignDelivery(Protocol):
    def __call__(self, secrets: Mapping[str, str], body: bytes, now: datetime) -> dict[str, str]: ...


@dataclass(frozen=True)
class PlatformSpec:
    name: str  # the webhook path segment: /webhooks/<name>
    title: str
    products: tuple[str, ...]  # the Interaction.platform values it delivers (Meta: four products)
    inbound: str  # "module:Class" of the webhook adapter (shared.platforms.base.Adapter)
    sign_delivery: str  # "module:function" signing a body as the platform would (tests, demo, bridges)
    credentials: tuple[Credential, ...]
    limits: str  # what the platform allows us (rates, sizes): docs and the completeness test
    windows: str  # its messaging windows, as enforced by shared/rules/windows.py
    outbound: str | None = None  # "module:function" sending a reply; None: answer on the platform itself
    api_url: ApiUrl | None = None  # required when `outbound` is set
    fake: str | None = None  # "module:Class" of its local fake API (served by infra/local/fake_platforms.py)
    # Moderation (issue #16): "module:function" and, per product, the actions the platform allows.
    moderation: str | None = None
    moderation_actions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # "module:function" fetching a customer's attachment that arrived as an id only (issue #16).
    media: str | None = None
    # Images an agent may attach to a reply (issue #16): "<product>" or "<product>:<channel>" -> the rule.
    reply_images: Mapping[str, ImageRule] = field(default_factory=dict)

    @staticmethod
    def load(target: str) -> Any:
        module, _, attribute = target.partition(":")
        return getattr(importlib.import_module(module), attribute)

    def image_rule(self, product: str, channel: str) -> ImageRule | None:
        """The images a reply on (product, channel) may carry; None: the platform takes none there."""
        return self.reply_images.get(f"{product}:{channel}") or self.reply_images.get(product)

    def credential(self, name: str) -> Credential:
        return next(c for c in self.credentials if c.name == name)

    def sign(self, secrets: Mapping[str, str], body: bytes, now: datetime) -> dict[str, str]:
        signer: SignDelivery = self.load(self.sign_delivery)
        return signer(secrets, body, now)
