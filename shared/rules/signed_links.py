"""Signed links (issue #12): a token that names one escalation of one case and one person, with an expiry,
signed with HMAC-SHA256 under a secret key. Pure: the key comes from the caller.

A token is `<payload>.<signature>`, both base64url without padding; the payload is compact JSON
`{"e": escalation id, "c": case id, "p": contact id, "x": expiry (Unix seconds)}`. Nothing in it is
secret (ids only); what matters is that it cannot be changed or made up without the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from shared.errors import Forbidden

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{10,400}\.[A-Za-z0-9_-]{43}$")
_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


class LinkRefused(Forbidden):
    """A link that was changed, made up or has expired (403 with what is wrong)."""


@dataclass(frozen=True)
class LinkClaims:
    escalation_id: str
    case_id: str
    contact: str
    expires: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, payload: str) -> str:
    return _b64(hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest())


def sign(key: bytes, claims: LinkClaims) -> str:
    body = {
        "e": claims.escalation_id,
        "c": claims.case_id,
        "p": claims.contact,
        "x": int(claims.expires.timestamp()),
    }
    payload = _b64(json.dumps(body, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_mac(key, payload)}"


def verify(key: bytes, token: str, now: datetime) -> LinkClaims:
    """The claims of a genuine, unexpired token; LinkRefused saying why otherwise."""
    if not _TOKEN.match(token):
        raise LinkRefused("this link is not a Heard escalation link (it may have been cut short when copied)")
    payload, signature = token.split(".")
    if not hmac.compare_digest(_mac(key, payload), signature):
        raise LinkRefused("this link has been changed or was not issued by Heard; ask for a new one")
    try:
        body = json.loads(_unb64(payload))
        claims = LinkClaims(
            escalation_id=_id(body["e"]),
            case_id=_id(body["c"]),
            contact=_id(body["p"]),
            expires=datetime.fromtimestamp(int(body["x"]), UTC),
        )
    except (ValueError, KeyError, TypeError) as error:  # signed by us, so only a bug gets here
        raise LinkRefused("this link cannot be read; ask for a new one") from error
    if claims.expires <= now:
        raise LinkRefused(
            f"this link expired on {claims.expires:%Y-%m-%d %H:%M} UTC; ask the case's owner for a new one"
        )
    return claims


def _id(value: object) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise ValueError("not an id")
    return value
