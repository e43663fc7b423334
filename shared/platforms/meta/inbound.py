"""Meta: Facebook Page feed, Messenger, Instagram and WhatsApp Cloud API on one endpoint.

This module holds the handshake, the signature check and the dispatch by product; each product's
parser is its own module (facebook.py, messenger.py, instagram.py, whatsapp.py).

Verification: `GET ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C` -> C. Deliveries are signed
with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`; `object` names the product
and `entry[]` holds up to 1000 updates as `changes[]` (feed, comments, WhatsApp) or `messaging[]` (DMs).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared.errors import PayloadInvalid, SignatureInvalid
from shared.platforms.base import (
    Collector,
    HttpAnswer,
    Parsed,
    hmac_sha256,
    items,
    load_json,
    require_secret,
    same,
    signature_value,
)
from shared.platforms.meta.common import Context
from shared.platforms.meta.facebook import page_entry
from shared.platforms.meta.instagram import instagram_entry
from shared.platforms.meta.whatsapp import whatsapp_entry


def digest(secret: str, body: bytes) -> str:
    """The hex HMAC-SHA256 Meta puts in X-Hub-Signature-256 (after "sha256=")."""
    return hmac_sha256(secret, body).hex()


def sign_delivery(secrets: Mapping[str, str], body: bytes, now: datetime) -> dict[str, str]:
    """The headers Meta would send with `body` (tests, the demo)."""
    return {"X-Hub-Signature-256": "sha256=" + digest(secrets["META_APP_SECRET"], body)}


class MetaAdapter:
    name = "meta"

    def handshake(self, query: Mapping[str, str], creds: Any) -> HttpAnswer | None:
        if "hub.mode" not in query and "hub.challenge" not in query:
            return None
        token = require_secret(creds.meta_verify_token, "META_VERIFY_TOKEN")
        if query.get("hub.mode") == "subscribe" and same(token, query.get("hub.verify_token")):
            return HttpAnswer(200, query.get("hub.challenge", ""), "text/plain")
        return HttpAnswer(403, '{"message": "verification token mismatch"}', "application/json")

    def verify(self, headers: Mapping[str, str], body: bytes, creds: Any, now: datetime) -> None:
        secret = require_secret(creds.meta_app_secret, "META_APP_SECRET")
        received = signature_value(headers, "X-Hub-Signature-256", "sha256=").lower()
        if not same(digest(secret, body), received):
            raise SignatureInvalid("X-Hub-Signature-256 does not match the body")

    def parse(self, body: bytes, *, received_at: datetime, archive_key: str | None) -> Parsed:
        data = load_json(body)
        if not isinstance(data, dict) or not isinstance(data.get("entry"), list):
            raise PayloadInvalid("a Meta delivery is an object with an entry list")
        product = data.get("object")
        out = Collector()
        for entry in data["entry"]:
            if not isinstance(entry, dict):
                out.parsed.invalid_events += 1
                continue
            ctx = Context(entry, received_at, archive_key)
            if product == "page":
                page_entry(ctx, out)
            elif product == "instagram":
                instagram_entry(ctx, out)
            elif product == "whatsapp_business_account":
                whatsapp_entry(ctx, out)
            else:
                out.unknown(max(1, len(items(entry, "changes")) + len(items(entry, "messaging"))))
        return out.parsed
