"""LinkedIn's outbound connector: the organisation answers a comment or a mention with a comment
(Community Management API, `POST {api}/socialActions/{url-encoded target urn}/comments`).

- A customer's comment `urn:li:comment:(<post>,<id>)` is answered under it: target = the comment,
  `object` = its post, `parentComment` = the comment (LinkedIn nests one level: a reply to a reply goes
  under its top-level comment, `parent_comment_urn` in the context).
- A mention in a post is answered with a top-level comment on that post.
The actor is the organisation the notification came to (`organization_urn`). Headers: `LinkedIn-Version`
and `X-Restli-Protocol-Version: 2.0.0`. 201 carries the new comment (its URN in `commentUrn`, or in the
`x-restli-id` header); 429 is a rate limit (daily limits: retried later), 5xx transient.
"""

from __future__ import annotations

import json
import urllib.parse
from datetime import datetime
from typing import Any

from shared.errors import PlatformError, RateLimited
from shared.platforms.linkedin.spec import API_VERSION, COMMENT_MAX_CHARACTERS, RESTLI_PROTOCOL
from shared.platforms.linkedin.urns import parse_comment_urn
from shared.platforms.outbound import (
    OutboundReply,
    PlatformUnavailable,
    SendResult,
    Transport,
    need_context,
    require_token,
)

RATE_LIMIT_RETRY_SECONDS = 300  # LinkedIn's limits are daily: no Retry-After, so come back in minutes


def comment_request(reply: OutboundReply) -> tuple[str, dict[str, Any]]:
    """(target urn, body) of the comment answering `reply`'s conversation."""
    actor = need_context(reply, "organization_urn")
    context = reply.reply_context
    body: dict[str, Any] = {"actor": actor, "message": {"text": reply.text}}
    parent = parse_comment_urn(context.get("parent_comment_urn")) or parse_comment_urn(
        context.get("activity_urn")
    )
    if parent is not None:
        body.update(object=parent.post, parentComment=parent.urn)
        return parent.urn, body
    post = need_context(reply, "object_urn", "activity_urn")
    body["object"] = post
    return post, body


def send(reply: OutboundReply, creds: Any, api: str, transport: Transport, now: datetime) -> SendResult:
    token = require_token(creds.linkedin_access_token, "LINKEDIN_ACCESS_TOKEN")
    if len(reply.text) > COMMENT_MAX_CHARACTERS:
        raise PlatformError(f"LinkedIn comments hold at most {COMMENT_MAX_CHARACTERS} characters")
    target, body = comment_request(reply)
    url = f"{api}/socialActions/{urllib.parse.quote(target, safe='')}/comments"
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {token}",
        "LinkedIn-Version": API_VERSION,
        "X-Restli-Protocol-Version": RESTLI_PROTOCOL,
    }
    answer = transport("POST", url, headers=headers, body=json.dumps(body).encode("utf-8"))
    data = answer.json()
    data = data if isinstance(data, dict) else {}
    if answer.status in (200, 201):
        urn = data.get("commentUrn") or answer.header("x-restli-id") or answer.header("x-linkedin-id")
        if not isinstance(urn, str) or not urn:
            raise PlatformError("LinkedIn accepted the comment but returned no comment URN")
        return SendResult(platform_message_id=urn, state="sent", via="comment")
    raise _refusal(answer.status, data, answer.header("Retry-After"))


def _refusal(status: int, data: dict[str, Any], retry_after: str | None) -> Exception:
    message = str(data.get("message") or f"HTTP {status}")[:500]
    if status == 429:
        retry = int(retry_after) if retry_after and retry_after.isdigit() else RATE_LIMIT_RETRY_SECONDS
        return RateLimited(f"LinkedIn rate limit: {message}", retry_after_seconds=retry)
    if status >= 500:
        return PlatformUnavailable(f"LinkedIn is temporarily unavailable: {message}", retry_after_seconds=30)
    return PlatformError(f"LinkedIn refused the comment: {message}")
