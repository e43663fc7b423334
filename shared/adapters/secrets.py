"""Secrets Manager behind a small reader: JSON secrets, cached for a few minutes per container.

The client is created lazily (never at import time) and can be injected; a rotated secret is picked up
once the cache entry expires.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from shared.adapters.aws import AwsAdapter
from shared.errors import ConfigurationError
from shared.settings import per_settings

DEFAULT_TTL_SECONDS = 300.0


class SecretsReader(AwsAdapter):
    service = "secretsmanager"

    def __init__(
        self,
        client: Any = None,
        *,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self._client = client
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, dict[str, Any]]] = {}

    def get_json(self, secret_id: str) -> dict[str, Any]:
        cached = self._cache.get(secret_id)
        if cached and cached[0] > self._monotonic():
            return cached[1]
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_secret_value(SecretId=secret_id)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "Unknown")
            raise ConfigurationError(f"cannot read secret {secret_id}: {code}") from error
        try:
            data = json.loads(answer.get("SecretString") or "{}")
        except ValueError as error:
            raise ConfigurationError(f"secret {secret_id} is not JSON") from error
        if not isinstance(data, dict):
            raise ConfigurationError(f"secret {secret_id} is not a JSON object")
        self._cache[secret_id] = (self._monotonic() + self._ttl, data)
        return data


# One reader per container, so warm invocations reuse the client and the cache.
default_reader = per_settings(lambda _settings: SecretsReader())
