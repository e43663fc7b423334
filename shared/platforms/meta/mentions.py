"""Instagram mentions name only the media (and comment): fetch the text and the author through the Graph
API (issue #16). A mention in a comment: `GET /{comment-id}?fields=text,username,from`; in a caption:
`GET /{media-id}?fields=caption,username`. Errors map as for replies (RateLimited retries)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from shared.errors import PlatformError
from shared.platforms.meta.outbound import meta_answer
from shared.platforms.outbound import Transport, require_token


class Mention(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    author_id: str
    username: str | None = None


def parse_mention(data: Any, *, caption: bool) -> Mention:
    """The Graph answer for a mentioning comment or media; PlatformError when it names nobody."""
    if not isinstance(data, dict):
        raise PlatformError("Instagram answered the mention lookup with something other than an object")
    text = data.get("caption" if caption else "text")
    username = data.get("username") if isinstance(data.get("username"), str) else None
    sender = data.get("from")
    author = (sender.get("id") if isinstance(sender, dict) else None) or username
    if not isinstance(author, str | int) or str(author).strip() == "":
        raise PlatformError("Instagram's mention lookup named no author")
    return Mention(text=text if isinstance(text, str) else "", author_id=str(author), username=username)


def fetch(reply_context: dict[str, str], creds: Any, graph: str, transport: Transport) -> Mention:
    token = require_token(creds.meta_page_token, "META_PAGE_TOKEN")
    comment, media = reply_context.get("comment_id"), reply_context.get("media_id")
    if comment:
        url, caption = f"{graph}/{comment}?fields=text,username,from", False
    elif media:
        url, caption = f"{graph}/{media}?fields=caption,username", True
    else:
        raise PlatformError("the mention names neither a comment nor a media")
    answer = meta_answer(
        transport("GET", url, headers={"Authorization": f"Bearer {token}"}, body=None), "lookup"
    )
    return parse_mention(answer.json(), caption=caption)
