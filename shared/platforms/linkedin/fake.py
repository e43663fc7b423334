"""A local fake of LinkedIn's comments API (`POST /rest/socialActions/{urn}/comments`): checks the
version headers, the actor, object and text a real call needs, and answers 201 with the new comment."""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from shared.platforms.fakes import FakeContext, Refused, text_at
from shared.platforms.linkedin.spec import COMMENT_MAX_CHARACTERS
from shared.platforms.linkedin.urns import parse_comment_urn

_PATH = re.compile(r"/rest/socialActions/([^/]+)/comments")


def _refused(status: int, message: str) -> Refused:
    return Refused(status, {"status": status, "serviceErrorCode": 100, "message": message})


class FakeLinkedIn:
    prefix = "/rest"
    created_status = 201
    required_headers = ("LinkedIn-Version", "X-Restli-Protocol-Version")

    def handle(
        self, ctx: FakeContext, method: str, path: str, body: dict[str, Any], token: str | None
    ) -> dict[str, Any]:
        match = _PATH.fullmatch(path)
        if method != "POST" or not match:
            raise _refused(404, f"no resource {method} {path}")
        if not token:
            raise _refused(401, "Empty oauth2 access token")
        target = urllib.parse.unquote(match.group(1))
        actor, post, message = (
            text_at(body, "actor"),
            text_at(body, "object"),
            text_at(body, "message", "text"),
        )
        if not actor or not actor.startswith("urn:li:organization:"):
            raise _refused(422, "actor must be an organization urn")
        if not post or not message or len(message) > COMMENT_MAX_CHARACTERS:
            raise _refused(422, "object and message.text (1-1250 characters) are required")
        parent = parse_comment_urn(target)
        if parent is not None and (body.get("parentComment") != target or parent.post != post):
            raise _refused(422, "a nested comment names its parent comment and that comment's post")
        if parent is None and target != post:
            raise _refused(422, "a top-level comment is posted on its object")
        comment_id = str(ctx.next_id())
        activity = parent.post if parent else post
        urn = f"urn:li:comment:({activity},{comment_id})"
        return {
            "id": comment_id,
            "commentUrn": urn,
            "actor": actor,
            "object": post,
            "message": {"text": message},
        }

    def failure(self, kind: str) -> Refused:
        if kind == "rate_limit":
            return _refused(429, "Resource level throttle APPLICATION DAY limit for calls to this resource")
        return _refused(403, "Not enough permissions to access: partnerApiSocialActions.CREATE")
