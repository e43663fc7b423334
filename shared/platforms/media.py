"""Customers' attachments, fetched from the platform so Heard can show its own copy (issue #16).

An attachment with a link (Messenger and Instagram CDN links, X media, Facebook photos, a bridge's
link) is fetched as is; one with only an id asks its platform's `media` function for the bytes
(WhatsApp: `GET /{media-id}` then its URL with the token; Telegram: `getFile`, then the file path).
Only https links are followed (plain http only for the local stack's fakes), and at most MAX_BYTES.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from shared.errors import NotFound, PlatformError
from shared.platforms.outbound import HttpResponse, PlatformUnavailable, Transport, UrllibTransport

MAX_BYTES = 25 * 1024 * 1024


class Media(BaseModel):
    model_config = ConfigDict(frozen=True)

    body: bytes
    content_type: str


def download(transport: Transport, url: str, headers: dict[str, str], *, local: bool) -> Media:
    """GET a media link: its bytes and type; PlatformError for what cannot be shown."""
    if not (url.startswith("https://") or (local and url.startswith("http://"))):
        raise PlatformError("only https media links are fetched")
    answer: HttpResponse = transport("GET", url, headers=headers, body=None)
    if answer.status == 429 or answer.status >= 500:
        raise PlatformUnavailable(
            f"the platform's media link failed (HTTP {answer.status})", retry_after_seconds=30
        )
    if answer.status != 200 or not answer.body:
        raise PlatformError(f"the platform's media link answered HTTP {answer.status} (expired or removed)")
    if len(answer.body) > MAX_BYTES:
        raise PlatformError(f"the attachment is larger than {MAX_BYTES} bytes")
    content_type = (answer.header("Content-Type") or "application/octet-stream").split(";")[0].strip()
    return Media(body=answer.body, content_type=content_type)


def fetch_media(
    product: str, attachment: dict[str, Any], creds: Any, settings: Any, transport: Transport | None = None
) -> Media:
    """The bytes of one attachment of a customer's message on `product`."""
    from shared.platforms import spec_for_product

    transport = transport or UrllibTransport()
    local = bool(getattr(settings, "is_local", False))
    url = attachment.get("url")
    if isinstance(url, str) and url:
        return download(transport, url, {}, local=local)
    spec = spec_for_product(product)
    media_id = attachment.get("id")
    if spec is None or spec.media is None or spec.api_url is None or not media_id:
        raise NotFound("the platform gave no link to this attachment")
    api = str(getattr(settings, spec.api_url.setting)).rstrip("/")
    fetch = spec.load(spec.media)
    return fetch(str(media_id), creds, api, transport, local)  # type: ignore[no-any-return]
