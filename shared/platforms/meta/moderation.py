"""Moderation on Facebook Pages and Instagram through the Graph API (issue #16).

- hide / unhide a comment: Facebook `POST /{comment-id}` with `is_hidden`; Instagram `POST /{ig-comment-id}`
  with `hide` (the commenter still sees it; nobody else does)
- delete a comment the Page or account made: `DELETE /{comment-id}`
- block / unblock a person on a Page: `POST` / `DELETE /{page-id}/blocked` with `user` (Facebook only)
"""

from __future__ import annotations

from typing import Any

from shared.errors import PlatformError
from shared.platforms.meta.outbound import meta_answer
from shared.platforms.moderation import ModerationAction, ModerationRequest
from shared.platforms.outbound import Transport, json_call, require_token


def moderate(request: ModerationRequest, creds: Any, graph: str, transport: Transport) -> None:
    token = require_token(creds.meta_page_token, "META_PAGE_TOKEN")
    action, target = request.action, request.target_id
    if action in (ModerationAction.HIDE, ModerationAction.UNHIDE):
        field = "hide" if request.platform == "instagram" else "is_hidden"
        payload = {field: action is ModerationAction.HIDE}
        meta_answer(json_call(transport, "POST", f"{graph}/{target}", payload, token), "moderation")
    elif action is ModerationAction.DELETE:
        meta_answer(json_call(transport, "DELETE", f"{graph}/{target}", {}, token), "moderation")
    else:
        page = request.reply_context.get("page_id")
        if not page:
            raise PlatformError("the case has no page_id to block the person on")
        method = "POST" if action is ModerationAction.BLOCK else "DELETE"
        meta_answer(
            json_call(transport, method, f"{graph}/{page}/blocked", {"user": target}, token), "moderation"
        )
