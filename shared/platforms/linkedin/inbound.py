"""LinkedIn organisation pages: Organization Social Action Notifications.

Validation: `GET ?challengeCode=C` -> `{"challengeCode": C, "challengeResponse": hex(HMAC-SHA256(client
secret, C))}`. Deliveries carry `X-LI-Signature: hex(HMAC-SHA256(client secret, "hmacsha256=" + body))`
and hold `notifications[]` with `notificationId` (the dedupe id), `action` (COMMENT, SHARE_MENTION,
ADMIN_COMMENT, COMMENT_EDIT, COMMENT_DELETE, LIKE, SHARE), `sourcePost`, `generatedActivity` and the
decorated activity (the comment or share itself).
"""

from __future__ import annotations

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
    author,
    challenge,
    from_epoch,
    header,
    hmac_sha256,
    ident,
    load_json,
    obj,
    require_secret,
    same,
    text,
)

ACTIONS = {
    "COMMENT": (EventKind.MESSAGE, Channel.COMMENT),
    "SHARE_MENTION": (EventKind.MESSAGE, Channel.MENTION),
    "ADMIN_COMMENT": (EventKind.ECHO, Channel.COMMENT),  # our page answered from LinkedIn itself
    "COMMENT_EDIT": (EventKind.EDIT, Channel.COMMENT),
    "COMMENT_DELETE": (EventKind.DELETE, Channel.COMMENT),
    "LIKE": (EventKind.REACTION, Channel.POST),
}
# LinkedIn's challengeCode is a type-4 UUID; hex digits and dashes, 8-64 characters, are answered (shorter
# codes from test tools included). No '=' (so never the "hmacsha256=" prefix a delivery signature covers)
# and no '{' (never a JSON body): an answer can never be a delivery signature.
CHALLENGE_CODE = re.compile(r"[0-9A-Fa-f-]{8,64}")


def digest(secret: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of "hmacsha256=" + body that LinkedIn puts in X-LI-Signature."""
    return hmac_sha256(secret, b"hmacsha256=" + body).hex()


def sign_delivery(secrets: Mapping[str, str], body: bytes, now: datetime) -> dict[str, str]:
    """The headers LinkedIn would send with `body` (tests, the demo)."""
    return {"X-LI-Signature": digest(secrets["LINKEDIN_CLIENT_SECRET"], body)}


class LinkedInAdapter:
    name = "linkedin"

    def handshake(self, query: Mapping[str, str], creds: Any) -> HttpAnswer | None:
        code = challenge(query, "challengeCode", CHALLENGE_CODE)
        if not isinstance(code, str):
            return code
        secret = require_secret(creds.linkedin_client_secret, "LINKEDIN_CLIENT_SECRET")
        answer = {"challengeCode": code, "challengeResponse": hmac_sha256(secret, code.encode("utf-8")).hex()}
        return HttpAnswer(200, json.dumps(answer), "application/json")

    def verify(self, headers: Mapping[str, str], body: bytes, creds: Any, now: datetime) -> None:
        secret = require_secret(creds.linkedin_client_secret, "LINKEDIN_CLIENT_SECRET")
        received = header(headers, "X-LI-Signature")
        if not received:
            raise SignatureInvalid("missing X-LI-Signature header")
        received = received.strip().lower().removeprefix("hmacsha256=")
        if not same(digest(secret, body), received):
            raise SignatureInvalid("X-LI-Signature does not match the body")

    def parse(self, body: bytes, *, received_at: datetime, archive_key: str | None) -> Parsed:
        data = load_json(body)
        if not isinstance(data, dict) or not isinstance(data.get("notifications"), list):
            raise PayloadInvalid("a LinkedIn delivery is an object with a notifications list")
        out = Collector()
        for notification in data["notifications"]:
            action = text(notification.get("action")) if isinstance(notification, dict) else None
            if action in ACTIONS:
                out.add(_notification, notification, received_at, archive_key)
            else:
                out.unknown()  # SHARE (a reshare) and future actions
        return out.parsed


def _activity(notification: dict[str, Any]) -> dict[str, Any]:
    decorated = obj(notification, "decoratedGeneratedActivity")
    return obj(decorated, "comment") or obj(decorated, "share") or decorated


def _activity_text(activity: dict[str, Any]) -> str:
    for value in (activity.get("text"), obj(activity, "message").get("text"), activity.get("commentary")):
        if isinstance(value, str):
            return value
    return ""


def _notification(
    notification: dict[str, Any], received_at: datetime, archive_key: str | None
) -> Interaction | None:
    kind, channel = ACTIONS[notification["action"]]
    notification_id = ident(notification.get("notificationId"))
    source_post = text(notification.get("sourcePost"))
    activity = _activity(notification)
    activity_urn = text(notification.get("generatedActivity")) or text(activity.get("entity"))
    actor = (
        text(activity.get("owner"))
        or text(activity.get("actor"))
        or text(notification.get("actor"))
        or text(obj(activity, "created").get("actor"))
    )
    organisation = text(notification.get("organizationalEntity"))
    if kind is EventKind.ECHO and actor is None:
        actor = organisation
    platform_id = activity_urn or source_post
    if notification_id is None or platform_id is None or actor is None:
        return None
    context = {"object_urn": source_post or platform_id}
    if activity_urn:
        context["activity_urn"] = activity_urn
    if organisation:
        context["organization_urn"] = organisation
    parent = text(activity.get("parentComment"))
    if parent:  # a reply to a comment: Heard's answer goes under the same top-level comment
        context["parent_comment_urn"] = parent
    return Interaction(
        platform=Platform.LINKEDIN,
        kind=kind,
        channel=channel,
        platform_id=platform_id,
        dedupe_key=f"linkedin:notification:{notification_id}",
        account_id=organisation,
        author=author(actor),
        conversation_id=source_post or platform_id,
        text=_activity_text(activity),
        occurred_at=from_epoch(notification.get("lastModifiedAt"), millis=True) or received_at,
        reply_context=context,
        archive_key=archive_key,
        extra={"action": notification["action"]},
    )
