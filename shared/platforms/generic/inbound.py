"""The generic signed-JSON channel: any bridge or poller (review sites, YouTube, Google reviews) feeds Heard.

Request: `X-Heard-Timestamp: <unix seconds>` and `X-Heard-Signature: sha256=<hex HMAC-SHA256(secret,
f"{timestamp}.{body}")>`; a timestamp more than five minutes away from now is refused (replay guard).
Body: a list of events, or `{"events": [...]}`. Each event:

    {"source": "trustpilot", "id": "r-981", "author": {"id": "u1", "name": "Ann"} | "u1",
     "text": "...", "created_at": "2026-03-01T10:00:00Z", "thread": "listing-7",
     "channel": "review" (post|comment|mention|direct|review; default review),
     "kind": "message" (message|edit|delete; default message), "parent_id": "...", "url": "..."}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from shared.errors import PayloadInvalid, SignatureInvalid
from shared.models.interaction import Channel, EventKind, Interaction, Platform
from shared.platforms.base import (
    Collector,
    HttpAnswer,
    Parsed,
    author,
    from_epoch,
    from_iso,
    header,
    hmac_sha256,
    ident,
    load_json,
    obj,
    require_secret,
    same,
    short_hash,
    signature_value,
    text,
)

FRESHNESS = timedelta(minutes=5)
TIMESTAMP = re.compile(r"[0-9]{1,12}")  # unix seconds
KINDS = {"message": EventKind.MESSAGE, "edit": EventKind.EDIT, "delete": EventKind.DELETE}


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Heard-Signature value a sender puts on `body` sent at `timestamp` (for bridges and tests)."""
    return "sha256=" + hmac_sha256(secret, timestamp.encode("ascii") + b"." + body).hex()


def sign_delivery(secrets: Mapping[str, str], body: bytes, now: datetime) -> dict[str, str]:
    """The headers a bridge sends with `body` at `now`."""
    timestamp = str(int(now.timestamp()))
    return {
        "X-Heard-Timestamp": timestamp,
        "X-Heard-Signature": sign(secrets["GENERIC_WEBHOOK_SECRET"], timestamp, body),
    }


class GenericAdapter:
    name = "generic"

    def handshake(self, query: Mapping[str, str], creds: Any) -> HttpAnswer | None:
        return None

    def verify(self, headers: Mapping[str, str], body: bytes, creds: Any, now: datetime) -> None:
        secret = require_secret(creds.generic_webhook_secret, "GENERIC_WEBHOOK_SECRET")
        timestamp = (header(headers, "X-Heard-Timestamp") or "").strip()
        # ASCII digits only: str.isdigit() also accepts "١٢٣" or "²", which then broke the signing (a 500).
        sent_at = from_epoch(timestamp) if TIMESTAMP.fullmatch(timestamp) else None
        if sent_at is None:
            raise SignatureInvalid("missing or malformed X-Heard-Timestamp header")
        received = signature_value(headers, "X-Heard-Signature", "sha256=").lower()
        if not same(sign(secret, timestamp, body).removeprefix("sha256="), received):
            raise SignatureInvalid("X-Heard-Signature does not match the timestamp and body")
        # Checked after the signature so an attacker learns nothing about our clock from unsigned probes.
        if abs(now - sent_at) > FRESHNESS:
            raise SignatureInvalid("X-Heard-Timestamp is outside the five-minute freshness window")

    def parse(self, body: bytes, *, received_at: datetime, archive_key: str | None) -> Parsed:
        data = load_json(body)
        events = data.get("events") if isinstance(data, dict) else data
        if not isinstance(events, list):
            raise PayloadInvalid('a generic delivery is a list of events or {"events": [...]}')
        out = Collector()
        for event in events:
            out.add(_event, event, received_at, archive_key)
        return out.parsed


def _event(event: Any, received_at: datetime, archive_key: str | None) -> Interaction | None:
    if not isinstance(event, dict):
        return None
    source = text(event.get("source"))
    event_id = ident(event.get("id"))
    raw_author = event.get("author")
    who = (
        author(raw_author)
        if not isinstance(raw_author, dict)
        else author(raw_author.get("id"), raw_author.get("name"), raw_author.get("handle"))
    )
    if not source or event_id is None or who is None:
        return None
    kind = KINDS.get(text(event.get("kind")) or "message")
    if kind is None:
        return None
    channel = Channel(text(event.get("channel")) or Channel.REVIEW.value)  # ValueError -> counted invalid
    body = text(event.get("text")) or ""
    dedupe = f"generic:{source}:{event_id}:{kind.value}"
    if kind is EventKind.EDIT:
        dedupe += ":" + short_hash(event.get("updated_at") or event.get("created_at"), body)
    context = {"source": source, "id": event_id}
    url = text(event.get("url"))
    if url:
        context["url"] = url[:2000]
    return Interaction(
        platform=Platform.GENERIC,
        kind=kind,
        channel=channel,
        platform_id=f"{source}:{event_id}",
        dedupe_key=dedupe,
        account_id=text(event.get("account")),
        author=who,
        conversation_id=ident(event.get("thread")) or f"{source}:{event_id}",
        parent_id=ident(event.get("parent_id")),
        text=body,
        occurred_at=from_iso(event.get("created_at")) or received_at,
        reply_context=context,
        archive_key=archive_key,
        extra={
            "source": source,
            **({"rating": event["rating"]} if _rating(event.get("rating")) else {}),
            **({"meta": obj(event, "meta")} if obj(event, "meta") else {}),
        },
    )


def _rating(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 10
