"""Moderation through the platforms' APIs (issue #16): hide and unhide a comment, delete one the brand
owns, block and unblock a user. Each platform's calls live in its package (`<name>/moderation.py`, named by
its spec's `moderation`); this module checks what a product allows and dispatches.

Errors map as for replies: RateLimited / PlatformUnavailable (retry), PlatformError (refused).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from shared.errors import PlatformError
from shared.platforms.outbound import Transport, UrllibTransport


class ModerationAction(StrEnum):
    HIDE = "hide"
    UNHIDE = "unhide"
    DELETE = "delete"
    BLOCK = "block"
    UNBLOCK = "unblock"

    @property
    def undo(self) -> ModerationAction | None:
        """The action that reverses this one (None: a deletion cannot be undone)."""
        return _UNDO.get(self)


_UNDO = {
    ModerationAction.HIDE: ModerationAction.UNHIDE,
    ModerationAction.UNHIDE: ModerationAction.HIDE,
    ModerationAction.BLOCK: ModerationAction.UNBLOCK,
    ModerationAction.UNBLOCK: ModerationAction.BLOCK,
}


class ModerationRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    action: ModerationAction
    platform: Annotated[str, Field(min_length=1, max_length=32)]  # the product: facebook, instagram, x...
    target_id: Annotated[str, Field(min_length=1, max_length=512)]  # a comment / tweet id, or a user id
    reply_context: dict[str, str] = {}  # page_id, ig_account_id... as the case holds them


def allowed(platform: str) -> tuple[ModerationAction, ...]:
    """What Heard can do on `platform` (a product such as "facebook")."""
    from shared.platforms import spec_for_product

    spec = spec_for_product(platform)
    return tuple(ModerationAction(a) for a in (spec.moderation_actions.get(platform, ()) if spec else ()))


def moderate(
    request: ModerationRequest, creds: Any, settings: Any, transport: Transport | None = None
) -> None:
    """Carry out `request` on the platform; PlatformError when the platform does not allow it."""
    from shared.platforms import spec_for_product

    if request.action not in allowed(request.platform):
        raise PlatformError(f"{request.platform} does not let Heard {request.action.value} here")
    spec = spec_for_product(request.platform)
    assert spec is not None and spec.moderation is not None and spec.api_url is not None
    api = str(getattr(settings, spec.api_url.setting)).rstrip("/")
    spec.load(spec.moderation)(request, creds, api, transport or UrllibTransport())
