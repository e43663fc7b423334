"""Moderation on X (issue #16): hide and unhide a reply to one of our posts,
`PUT /2/tweets/{id}/hidden` with `{"hidden": true|false}`. X offers no deletion of others' posts, and its
blocking endpoints are not open to this kind of app, so Heard does not offer them here."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from shared.platforms.moderation import ModerationAction, ModerationRequest
from shared.platforms.outbound import Transport, json_call, require_token
from shared.platforms.x.outbound import x_answer


def moderate(request: ModerationRequest, creds: Any, api: str, transport: Transport) -> None:
    token = require_token(creds.x_bearer_token, "X_BEARER_TOKEN")
    hidden = request.action is ModerationAction.HIDE
    answer = json_call(
        transport, "PUT", f"{api}/2/tweets/{request.target_id}/hidden", {"hidden": hidden}, token
    )
    x_answer(answer, datetime.now(UTC))
