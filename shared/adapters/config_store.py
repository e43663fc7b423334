"""Where the company's configuration comes from: SSM Parameter Store (deployed from config/heard.json),
or the bundled file when no parameter is configured. A config that fails validation never replaces the
last good one."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from shared.adapters.aws import AwsAdapter
from shared.errors import Conflict, InvalidInput
from shared.models.config import (
    ADVANCED_PARAMETER_BYTES,
    STANDARD_PARAMETER_BYTES,
    HeardConfig,
    decode_config,
    encode_config,
    next_revision,
    parse_config,
)

__all__ = [
    "ADVANCED_PARAMETER_BYTES",
    "BUNDLED_CONFIG",
    "STANDARD_PARAMETER_BYTES",
    "ConfigStore",
    "decode_config",
    "encode_config",
    "parse_config",
]
from shared.observability import logger

BUNDLED_CONFIG = Path(__file__).resolve().parents[2] / "config" / "heard.json"
_TTL_SECONDS = 60.0


class ConfigStore(AwsAdapter):
    service = "ssm"

    def __init__(self, parameter_name: str | None, client: Any = None, ttl_seconds: float = _TTL_SECONDS):
        self._name = parameter_name
        self._client = client
        self._ttl = ttl_seconds
        self._good: HeardConfig | None = None
        self._loaded_at = 0.0

    def get(self) -> HeardConfig:
        if self._good is not None and time.monotonic() - self._loaded_at < self._ttl:
            return self._good
        try:
            text = self._read()
            self._good = parse_config(text)
        except InvalidInput as error:
            if self._good is None:
                raise
            logger.error(
                "stored configuration is invalid; keeping the last good one", extra={"error": str(error)}
            )
        self._loaded_at = time.monotonic()
        return self._good

    def refresh(self) -> HeardConfig:
        """Read the stored configuration now (e.g. a message names a brand added since it was cached)."""
        self._loaded_at = 0.0
        return self.get()

    def _read(self) -> str:
        if not self._name:
            return BUNDLED_CONFIG.read_text(encoding="utf-8")
        answer = self.client.get_parameter(Name=self._name)
        return decode_config(str(answer["Parameter"]["Value"]))

    def put(self, config: HeardConfig) -> HeardConfig:
        """Store `config` as the next revision of the stored one; Conflict when it was read before the
        stored one was saved. SSM has no conditional write: the check reads the parameter just before."""
        if not self._name:
            raise InvalidInput("no configuration parameter is set up; edit config/heard.json and deploy")
        try:
            config = next_revision(parse_config(self._read()), config)
        except Conflict:
            self._loaded_at = 0.0  # the cached one is stale too: the next get() reads it again
            raise
        # Intelligent-Tiering: Standard while the document fits 4 KB, Advanced beyond (the bundled one is larger).
        value = encode_config(config.model_dump_json())
        if len(value.encode()) > ADVANCED_PARAMETER_BYTES:
            raise InvalidInput(
                f"configuration is too large to store ({len(value.encode())} bytes compressed; "
                f"the limit is {ADVANCED_PARAMETER_BYTES})"
            )
        self.client.put_parameter(Name=self._name, Value=value, Overwrite=True, Tier="Intelligent-Tiering")
        self._good, self._loaded_at = config, time.monotonic()
        return config
