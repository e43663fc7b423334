"""Identifiers: time-sortable, URL-safe, and deterministic where retries must land on the same record."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case


def _b32(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return "".join(reversed(chars))


def _time_part(at: datetime) -> str:
    return _b32(int(at.timestamp() * 1000), 9)


def new_id(prefix: str, at: datetime) -> str:
    """Sortable by time, random suffix: for entries nobody retries (timeline notes, reports)."""
    return f"{prefix}{_time_part(at)}{_b32(secrets.randbits(50), 10)}"


def stable_id(prefix: str, at: datetime, key: str) -> str:
    """Sortable by time, suffix derived from `key`: a retried delivery yields the same id."""
    digest = int.from_bytes(hashlib.sha256(key.encode()).digest()[:7], "big") >> 6
    return f"{prefix}{_time_part(at)}{_b32(digest, 10)}"


def shard_of(key: str, shards: int) -> int:
    """Stable shard for spreading a hot partition key (not Python's salted hash)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "big") % shards
