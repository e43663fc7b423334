"""Per-platform webhook adapters (handshake, signature check, parser) and outbound connectors.

A light registry: importing this package imports no platform module and no boto3. `get_adapter(name)`
loads only the adapter a request needs, which keeps the webhook's cold start short.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from shared.errors import NotFound

if TYPE_CHECKING:
    from shared.platforms.base import Adapter

_ADAPTERS = {
    "meta": ("shared.platforms.meta", "MetaAdapter"),
    "x": ("shared.platforms.x", "XAdapter"),
    "telegram": ("shared.platforms.telegram", "TelegramAdapter"),
    "linkedin": ("shared.platforms.linkedin", "LinkedInAdapter"),
    "generic": ("shared.platforms.generic", "GenericAdapter"),
}
NAMES = tuple(_ADAPTERS)
_loaded: dict[str, Adapter] = {}


def get_adapter(name: str) -> Adapter:
    """The adapter for a webhook path segment ("meta", "x", ...); NotFound for anything else."""
    adapter = _loaded.get(name)
    if adapter is None:
        if name not in _ADAPTERS:
            raise NotFound(f"unknown platform {name!r}; expected one of {', '.join(NAMES)}")
        module, attribute = _ADAPTERS[name]
        adapter = getattr(importlib.import_module(module), attribute)()
        _loaded[name] = adapter
    return adapter
