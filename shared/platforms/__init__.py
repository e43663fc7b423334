"""One package per platform (`shared/platforms/<name>/`): inbound adapter, outbound connector, local fake
and spec. This registry is the one place a platform is registered.

Importing it imports the specs (plain data) and no adapter, connector or boto3: `get_adapter(name)`
loads only the adapter a request needs, which keeps the webhook's cold start short.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from shared.errors import NotFound

if TYPE_CHECKING:
    from shared.platforms.base import Adapter
    from shared.platforms.spec import PlatformSpec

# The registration: a platform package named here is served at /webhooks/<name>.
REGISTERED = ("meta", "x", "telegram", "linkedin", "generic")
NAMES = REGISTERED
_specs: dict[str, PlatformSpec] = {}
_loaded: dict[str, Adapter] = {}


def get_spec(name: str) -> PlatformSpec:
    """The spec of a registered platform; NotFound for anything else."""
    found = _specs.get(name)
    if found is None:
        if name not in REGISTERED:
            raise NotFound(f"unknown platform {name!r}; expected one of {', '.join(NAMES)}")
        found = importlib.import_module(f"shared.platforms.{name}.spec").SPEC
        _specs[name] = found
    return found


def specs() -> list[PlatformSpec]:
    return [get_spec(name) for name in REGISTERED]


def spec_for_product(product: str) -> PlatformSpec | None:
    """The platform that delivers `product` (an Interaction.platform value such as "messenger")."""
    return next((s for s in specs() if product in s.products), None)


def secret_names() -> list[str]:
    """The keys of the platform secret that are secrets (ids and settings beside them excluded)."""
    return [c.name for s in specs() for c in s.credentials if c.secret]


def local_credentials() -> dict[str, str]:
    """The values `make run` and the tests use, from the specs' local defaults."""
    return {c.name: c.local_default for s in specs() for c in s.credentials if c.local_default is not None}


def api_url_settings() -> dict[str, str]:
    """Platform name -> the setting (env var) holding its API base URL, for platforms Heard replies on."""
    return {s.name: s.api_url.env for s in specs() if s.api_url is not None}


def get_adapter(name: str) -> Adapter:
    """The adapter for a webhook path segment ("meta", "x", ...); NotFound for anything else."""
    adapter = _loaded.get(name)
    if adapter is None:
        platform = get_spec(name)
        adapter = platform.load(platform.inbound)()
        _loaded[name] = adapter
    return adapter
