"""The link that opens a private conversation with the brand (issue 17, R14, seed 003: "direct message
deep links"), built from the company's account ids. Pure.

- Facebook / Messenger: https://m.me/<page id or username> (the page id arrives with every comment)
- Instagram: https://ig.me/m/<username> (only the username opens a chat: configure it)
- WhatsApp: https://wa.me/<business number, digits only>
- X: https://x.com/messages/compose?recipient_id=<our account's numeric id>
"""

from __future__ import annotations

import re
from urllib.parse import quote

from shared.models.config import Accounts

_SAFE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _part(value: str | None) -> str | None:
    """An id or username safe to put in a URL path, or None."""
    return quote(value, safe="") if value and _SAFE.fullmatch(value) else None


def dm_link(platform: str, reply_context: dict[str, str], accounts: Accounts) -> str | None:
    """Where the customer can write to us privately on `platform`, or None when it cannot be built."""
    if platform in ("facebook", "messenger"):
        page = _part(accounts.facebook_page or reply_context.get("page_id"))
        return f"https://m.me/{page}" if page else None
    if platform == "instagram":
        user = _part(accounts.instagram_username)
        return f"https://ig.me/m/{user}" if user else None
    if platform == "whatsapp":
        digits = re.sub(r"\D", "", accounts.whatsapp_number or "")
        return f"https://wa.me/{digits}" if 8 <= len(digits) <= 15 else None
    if platform == "x":
        user = accounts.x_user_id if accounts.x_user_id and accounts.x_user_id.isdigit() else None
        return f"https://x.com/messages/compose?recipient_id={user}" if user else None
    return None


def missing_account(platform: str) -> str:
    """What the configuration needs for `platform`'s link (for the 422 an agent sees)."""
    return {
        "facebook": "accounts.facebook_page",
        "messenger": "accounts.facebook_page",
        "instagram": "accounts.instagram_username",
        "whatsapp": "accounts.whatsapp_number",
        "x": "accounts.x_user_id",
    }.get(platform, f"a private channel on {platform}")
