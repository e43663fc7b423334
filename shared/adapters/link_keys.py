"""The key that signs escalation links: a Secrets Manager secret `{"key": "..."}` generated at deploy time
(rotating it invalidates the links already sent)."""

from __future__ import annotations

from typing import Any

from shared.errors import ConfigurationError


class SecretLinkKey:
    def __init__(self, secret_arn: str, reader: Any):
        self._arn = secret_arn
        self._reader = reader

    def key(self) -> bytes:
        value = self._reader.get_json(self._arn).get("key")
        if not isinstance(value, str) or len(value) < 32:
            raise ConfigurationError("the link-signing secret has no key of at least 32 characters")
        return value.encode()
