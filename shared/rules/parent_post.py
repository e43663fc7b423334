"""The post a public comment was written under (issue #10: context on screen), from what the webhook
carried: its id and, where the platform has a stable public address for it, a link. Pure."""

from __future__ import annotations

import re

_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,200}$")


def parent_post(platform: str, channel: str, reply_context: dict[str, str]) -> dict[str, str] | None:
    """{"id", "url"?} for a comment's post (kept when its conversation moved to private); None else."""
    if channel not in ("comment", "direct"):
        return None
    post = reply_context.get("post_id") or reply_context.get("media_id")
    if not post or not _ID.fullmatch(post):
        return None
    found = {"id": post}
    if platform == "facebook" and re.fullmatch(r"[0-9]+_[0-9]+", post):
        page, number = post.split("_", 1)  # Graph post ids are "<page id>_<post number>"
        found["url"] = f"https://www.facebook.com/{page}/posts/{number}"
    return found
