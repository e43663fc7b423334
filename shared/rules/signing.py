"""How Heard signs a request to the company's own HTTPS endpoint (issue #17; docs/integrations.md).

`X-Heard-Timestamp` is the Unix time in seconds; `X-Heard-Signature` is `sha256=` and the hex HMAC-SHA256,
keyed with the shared secret, of the timestamp, a dot and the raw body. The endpoint recomputes it over the
bytes it received, compares in constant time and refuses a timestamp more than five minutes away from its
clock (a replayed request).
"""

from __future__ import annotations

import hashlib
import hmac

TIMESTAMP_HEADER = "X-Heard-Timestamp"
SIGNATURE_HEADER = "X-Heard-Signature"
MAX_SKEW_SECONDS = 300


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, given: str, now: float) -> bool:
    """What the company's endpoint checks (the local fake does the same)."""
    try:
        fresh = abs(now - int(timestamp)) <= MAX_SKEW_SECONDS
    except ValueError:
        return False
    return fresh and hmac.compare_digest(signature(secret, timestamp, body), given)
