"""WhatsApp media by id: `GET /{media-id}` gives a URL (valid 5 minutes) fetched with the same token."""

from __future__ import annotations

from typing import Any

from shared.errors import PlatformError
from shared.platforms.media import Media, download
from shared.platforms.meta.outbound import meta_answer
from shared.platforms.outbound import Transport, require_token


def fetch(media_id: str, creds: Any, graph: str, transport: Transport, local: bool) -> Media:
    token = require_token(creds.meta_page_token, "META_PAGE_TOKEN")
    auth = {"Authorization": f"Bearer {token}"}
    answer = meta_answer(transport("GET", f"{graph}/{media_id}", headers=auth, body=None))
    data = answer.json()
    url = data.get("url") if isinstance(data, dict) else None
    if not isinstance(url, str) or not url:
        raise PlatformError("WhatsApp gave no URL for this media")
    return download(transport, url, auth, local=local)
