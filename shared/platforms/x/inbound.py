"""X Account Activity API: CRC handshake, signed deliveries, tweets and DMs addressed to our account.

CRC: `GET ?crc_token=T` -> `{"response_token": "sha256=" + base64(HMAC-SHA256(consumer secret, T))}`.
Deliveries: `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer secret, raw body)>`, with
top-level keys by event type and `for_user_id` = our account. Our own tweets and DMs come back too: they
are agent messages (ECHO), never customer messages.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared.errors import PayloadInvalid, SignatureInvalid
from shared.models.interaction import Channel, EventKind, Interaction, Platform
from shared.platforms.base import (
    Collector,
    HttpAnswer,
    Parsed,
    attachment,
    author,
    challenge,
    from_epoch,
    hmac_sha256,
    ident,
    items,
    load_json,
    obj,
    require_secret,
    same,
    signature_value,
    text,
)

EVENT_KEYS = ("tweet_create_events", "direct_message_events", "tweet_delete_events")
TWITTER_TIME = "%a %b %d %H:%M:%S %z %Y"
# X's crc_token is a random nonce, base64 (e.g. of a UUID) or hex: 6-128 ASCII letters, digits, + / _ - and
# trailing = padding. Nothing else is answered (see `challenge`: the answer is an HMAC with the secret
# that signs deliveries, and no JSON body fits this alphabet).
CRC_TOKEN = re.compile(r"[A-Za-z0-9+/_-]{6,128}={0,2}")


def digest(secret: str, message: bytes) -> str:
    """base64 HMAC-SHA256: X's CRC answer (of the token) and delivery signature (of the body) alike."""
    return base64.b64encode(hmac_sha256(secret, message)).decode("ascii")


def crc_response(secret: str, token: str) -> str:
    return "sha256=" + digest(secret, token.encode("utf-8"))


def sign_delivery(secrets: Mapping[str, str], body: bytes, now: datetime) -> dict[str, str]:
    """The headers X would send with `body` (tests, the demo)."""
    return {"x-twitter-webhooks-signature": "sha256=" + digest(secrets["X_CONSUMER_SECRET"], body)}


class XAdapter:
    name = "x"

    def handshake(self, query: Mapping[str, str], creds: Any) -> HttpAnswer | None:
        token = challenge(query, "crc_token", CRC_TOKEN)
        if not isinstance(token, str):
            return token
        secret = require_secret(creds.x_consumer_secret, "X_CONSUMER_SECRET")
        return HttpAnswer(
            200, json.dumps({"response_token": crc_response(secret, token)}), "application/json"
        )

    def verify(self, headers: Mapping[str, str], body: bytes, creds: Any, now: datetime) -> None:
        secret = require_secret(creds.x_consumer_secret, "X_CONSUMER_SECRET")
        received = signature_value(headers, "x-twitter-webhooks-signature", "sha256=")
        if not same(digest(secret, body), received):
            raise SignatureInvalid("x-twitter-webhooks-signature does not match the body")

    def parse(self, body: bytes, *, received_at: datetime, archive_key: str | None) -> Parsed:
        data = load_json(body)
        if not isinstance(data, dict):
            raise PayloadInvalid("an X delivery is a JSON object")
        us = ident(data.get("for_user_id"))
        out = Collector()
        ctx = _Context(us, data, received_at, archive_key)
        for tweet in items(data, "tweet_create_events"):
            out.add(_tweet, ctx, tweet)
        for event in items(data, "direct_message_events"):
            if isinstance(event, dict) and event.get("type", "message_create") != "message_create":
                out.unknown()
            else:
                out.add(_direct_message, ctx, event)
        for deletion in items(data, "tweet_delete_events"):
            out.add(_tweet_deleted, ctx, deletion)
        # Every other top-level list (favorites, follows, typing, reads, ...) is archived and counted.
        out.unknown(sum(len(v) for k, v in data.items() if k not in EVENT_KEYS and isinstance(v, list)))
        return out.parsed


class _Context:
    def __init__(self, us: str | None, data: dict[str, Any], received_at: datetime, archive_key: str | None):
        self.us = us
        self.users = obj(data, "users")
        self.received_at = received_at
        self.archive_key = archive_key

    def build(self, **fields: Any) -> Interaction:
        return Interaction(platform=Platform.X, account_id=self.us, archive_key=self.archive_key, **fields)


def _tweet_time(tweet: dict[str, Any], fallback: datetime) -> datetime:
    moment = from_epoch(tweet.get("timestamp_ms"), millis=True)
    if moment is None and isinstance(tweet.get("created_at"), str):
        try:
            moment = datetime.strptime(tweet["created_at"], TWITTER_TIME)
        except ValueError:
            moment = None
    return moment or fallback


def _tweet(ctx: _Context, tweet: Any) -> Interaction | None:
    if not isinstance(tweet, dict):
        return None
    tweet_id = ident(tweet.get("id_str")) or ident(tweet.get("id"))
    user = obj(tweet, "user")
    person = author(
        ident(user.get("id_str")) or ident(user.get("id")),
        user.get("name"),
        user.get("screen_name"),
        followers=user["followers_count"] if _count(user.get("followers_count")) else None,
        verified=user.get("verified") is True,
    )
    if tweet_id is None or person is None:
        return None
    ours = ctx.us is not None and person.id == ctx.us
    extended = obj(tweet, "extended_tweet")
    body = text(extended.get("full_text")) or text(tweet.get("full_text")) or text(tweet.get("text")) or ""
    parent = ident(tweet.get("in_reply_to_status_id_str")) or ident(tweet.get("in_reply_to_status_id"))
    media = items(obj(extended, "extended_entities"), "media") or items(
        obj(tweet, "extended_entities"), "media"
    )
    files = [
        attachment(
            m.get("type"), m.get("media_url_https") or m.get("media_url"), m.get("id_str") or m.get("id")
        )
        for m in media
        if isinstance(m, dict)
    ]
    extra: dict[str, Any] = {}
    for flag in ("user_has_blocked", "is_quote_status"):
        if tweet.get(flag) is True:
            extra[flag] = True
    if isinstance(tweet.get("retweeted_status"), dict):
        extra["retweet_of"] = ident(obj(tweet, "retweeted_status").get("id_str"))
    return ctx.build(
        kind=EventKind.ECHO if ours else EventKind.MESSAGE,
        # A reply to one of our tweets sits under it; anything else that names us is a mention.
        channel=Channel.COMMENT if parent else Channel.MENTION,
        platform_id=tweet_id,
        dedupe_key=f"x:tweet:{tweet_id}",
        author=person,
        conversation_id=ident(tweet.get("conversation_id_str")) or parent or tweet_id,
        parent_id=parent,
        text=body,
        attachments=files,
        occurred_at=_tweet_time(tweet, ctx.received_at),
        reply_context={"tweet_id": tweet_id, "author_id": person.id},
        extra=extra,
    )


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _direct_message(ctx: _Context, event: Any) -> Interaction | None:
    if not isinstance(event, dict):
        return None
    message_id = ident(event.get("id"))
    create = obj(event, "message_create")
    sender = ident(create.get("sender_id"))
    recipient = ident(obj(create, "target").get("recipient_id"))
    if message_id is None or sender is None or recipient is None:
        return None
    ours = ctx.us is not None and sender == ctx.us
    customer = recipient if ours else sender
    profile = obj(ctx.users, sender)
    data = obj(create, "message_data")
    media = obj(obj(data, "attachment"), "media")
    files = (
        [attachment(media.get("type"), media.get("media_url_https"), media.get("id_str"))] if media else []
    )
    return ctx.build(
        kind=EventKind.ECHO if ours else EventKind.MESSAGE,
        channel=Channel.DIRECT,
        platform_id=message_id,
        dedupe_key=f"x:dm:{message_id}",
        author=author(
            sender, profile.get("name"), profile.get("screen_name"), verified=profile.get("verified") is True
        ),
        conversation_id=customer,
        text=text(data.get("text")) or "",
        attachments=files,
        occurred_at=from_epoch(event.get("created_timestamp"), millis=True) or ctx.received_at,
        reply_context={"participant_id": customer},
    )


def _tweet_deleted(ctx: _Context, deletion: Any) -> Interaction | None:
    status = obj(deletion, "status")
    tweet_id = ident(status.get("id"))
    user_id = ident(status.get("user_id"))
    if tweet_id is None or user_id is None:
        return None
    return ctx.build(
        kind=EventKind.DELETE,
        channel=Channel.MENTION,
        platform_id=tweet_id,
        dedupe_key=f"x:tweet:{tweet_id}:delete",
        author=author(user_id),
        conversation_id=tweet_id,
        occurred_at=from_epoch(obj(deletion, "status").get("timestamp_ms"), millis=True)
        or from_epoch(deletion.get("timestamp_ms"), millis=True)
        or ctx.received_at,
    )
