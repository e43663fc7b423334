"""What the local fakes of the platform APIs share (each platform's fake lives in its package, `fake.py`).

A fake checks what the real API checks first, answers in the real shapes, and can be told to fail the
next call. The HTTP server around them is infra/local/fake_platforms.py; fakes never run in AWS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

FAILURES = ("rate_limit", "error")


class Refused(Exception):
    """A request the real API would refuse: (status, body) is what the fake answers."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


@dataclass
class FakeContext:
    """What the server lends a fake: fresh ids and whether the webhook subscription is "active"."""

    next_id: Callable[[], int]
    subscribed: Callable[[], bool]
    base_url: str = ""  # where this fake is served (its media links point back at it)


class FakeApi(Protocol):
    prefix: str  # appended to the fake's base URL (Meta: the Graph version)
    created_status: int  # the status of a successful POST

    def handle(
        self, ctx: FakeContext, method: str, path: str, body: dict[str, Any], token: str | None
    ) -> dict[str, Any]: ...

    def failure(self, kind: str) -> Refused: ...


def media_png() -> bytes:
    """A small valid PNG (8x8, one colour): what every fake serves at `<fake>/_media/<name>`."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x1f\x6f\xb4" * 8 for _ in range(8))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def text_at(body: dict[str, Any], *path: str) -> str | None:
    value: Any = body
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) and value.strip() else None
