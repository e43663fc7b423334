"""LinkedIn URNs the reply connector needs to read: a comment's URN names the post it is on.

`urn:li:comment:(urn:li:activity:7001,6002)` is comment 6002 on activity 7001 (the post); a reply to it is
a comment whose `object` is that post and whose `parentComment` is the comment (LinkedIn nests one
level only, so a reply to a reply goes under the top-level comment).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMENT = re.compile(r"urn:li:comment:\((urn:li:[A-Za-z]+:[^,()\s]+),([^,()\s]+)\)")


@dataclass(frozen=True)
class CommentUrn:
    post: str  # urn:li:activity:…, urn:li:share:… or urn:li:ugcPost:…
    comment_id: str

    @property
    def urn(self) -> str:
        return f"urn:li:comment:({self.post},{self.comment_id})"


def parse_comment_urn(value: object) -> CommentUrn | None:
    """The post and comment id of a comment URN; None for anything else (never raises)."""
    if not isinstance(value, str) or len(value) > 512:
        return None
    match = _COMMENT.fullmatch(value.strip())
    return CommentUrn(match.group(1), match.group(2)) if match else None
