"""Attachments (issue #16): customers' images, videos and documents shown through short-lived links, and
an image an agent attaches to a reply where the platform takes one.

- A customer's attachment is copied from the platform into Heard's attachments bucket the first time
  someone opens it (`in/<case>/<entry>/<index>`), then shown through a presigned GET of that copy that
  lasts LINK_SECONDS: never a public object, never a long-lived link in the page.
- An agent's image: `start_upload` checks the platform takes an image on this case's channel, its type
  and size (4xx naming what is wrong) and gives a presigned POST (`out/<case>/<upload id>`, its policy
  binding the type and the size); the reply
  names the upload, and `attached_image` checks what was really stored before the reply is recorded.
Each platform's rules (types, sizes, channels) are in its spec (`reply_images`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared import clock
from shared.errors import InvalidInput, NotFound, PlatformError, RateLimited, Unavailable
from shared.ids import new_id
from shared.models.agent import Agent
from shared.models.case import Case, TimelineKind
from shared.observability import logger, metrics
from shared.platforms.spec import ImageRule

UPLOAD_SECONDS = 300
LINK_SECONDS = 300
UPLOAD_ID = re.compile(r"^u[0-9a-z]{6,40}$")


@dataclass(frozen=True)
class Upload:
    upload_id: str
    url: str
    fields: dict[str, str]
    content_type: str
    max_bytes: int
    expires_at: datetime


@dataclass(frozen=True)
class MediaLink:
    url: str
    content_type: str
    expires_at: datetime


def image_rule(case: Case) -> ImageRule:
    """What images a reply on this case may carry; InvalidInput when the platform takes none there."""
    from shared.platforms import spec_for_product

    spec = spec_for_product(case.platform.value)
    rule = spec.image_rule(case.platform.value, case.channel.value) if spec else None
    if rule is None:
        raise InvalidInput(
            f"attachment: {case.platform.value} {case.channel.value} replies cannot carry an image"
        )
    return rule


def check_image(case: Case, content_type: str, size: int) -> None:
    rule, where = image_rule(case), case.platform.value
    if content_type not in rule.content_types:
        raise InvalidInput(
            f"attachment: {content_type or 'no type'} is not an image {where} takes; "
            f"send one of {', '.join(rule.content_types)}"
        )
    if size < 1 or size > rule.max_bytes:
        raise InvalidInput(f"attachment: the image has {size} bytes; {where} takes 1 to {rule.max_bytes}")


def start_upload(deps: Any, agent: Agent, case_id: str, content_type: str, size: int) -> Upload:
    """Check the image against the case's platform, then hand out a presigned form to post it with."""
    from shared.usecases.replies import editable

    case = deps.cases.get(case_id)
    editable(case, agent)
    check_image(case, content_type, size)
    now = clock.now()
    upload_id = new_id("u", now).lower()
    max_bytes = image_rule(case).max_bytes
    key = f"out/{case_id}/{upload_id}"
    url, fields = deps.attachment_files.upload_form(key, content_type, max_bytes, UPLOAD_SECONDS)
    metrics.add_metric(name="AttachmentUploadStarted", unit="Count", value=1)
    return Upload(upload_id, url, fields, content_type, max_bytes, now + timedelta(seconds=UPLOAD_SECONDS))


def attached_image(deps: Any, case: Case, upload_id: str) -> dict[str, Any]:
    """What the reply records of its image, once the stored file is checked as the upload was."""
    if not UPLOAD_ID.fullmatch(upload_id):
        raise InvalidInput("attachment: not an upload id (ask POST .../attachments/uploads for one)")
    key = f"out/{case.case_id}/{upload_id}"
    try:
        size, content_type = deps.attachment_files.describe(key)
    except NotFound as error:
        raise InvalidInput(
            f"attachment: nothing was uploaded as {upload_id}; upload the image first"
        ) from error
    check_image(case, content_type, size)  # what was stored, not what was announced
    return {"upload_id": upload_id, "key": key, "content_type": content_type, "size": size}


def media_link(deps: Any, case_id: str, entry_id: str, index: int) -> MediaLink:
    """A short-lived link to a customer's attachment: Heard's copy, fetched from the platform once."""
    case, timeline = deps.cases.get_with_timeline(case_id)
    entry = next((e for e in timeline if e.entry_id == entry_id and e.kind is TimelineKind.MESSAGE_IN), None)
    files = entry.data.get("attachments") if entry else None
    if not isinstance(files, list) or not 0 <= index < len(files) or not isinstance(files[index], dict):
        raise NotFound(f"case {case_id} has no attachment {index} on message {entry_id}")
    key = f"in/{case_id}/{entry_id}/{index}"
    try:
        _, content_type = deps.attachment_files.describe(key)
    except NotFound:
        try:
            content_type = _copy(deps, case, files[index], key)
        except RateLimited as error:
            raise Unavailable(
                f"the platform asks us to wait before fetching this attachment: {error}"
            ) from error
        except PlatformError as error:
            raise NotFound(f"the platform no longer gives this attachment: {error}") from error
    url = deps.attachment_files.download_url(key, LINK_SECONDS)
    return MediaLink(url, content_type, clock.now() + timedelta(seconds=LINK_SECONDS))


def _copy(deps: Any, case: Case, attachment: dict[str, Any], key: str) -> str:
    from shared.platforms.media import fetch_media
    from shared.usecases.dispatch import credentials_for

    media = fetch_media(
        case.platform.value, attachment, credentials_for(deps, case.reply_context), deps.settings
    )
    deps.attachment_files.put(key, media.body, media.content_type)
    metrics.add_metric(name="AttachmentCopied", unit="Count", value=1)
    logger.info("attachment copied", extra={"case_id": case.case_id, "bytes": len(media.body)})
    return media.content_type
