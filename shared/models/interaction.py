"""The normalised interaction: one model for every platform's posts, comments, mentions and messages.

Parsers in `shared/platforms/` turn a verified delivery into `Interaction`s; the ingest queue carries them
as JSON; triage turns them into cases. Platform ids are kept as they came (strings) so a reply can find
its way back.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from shared.models.bounds import fit


class Platform(StrEnum):
    FACEBOOK = "facebook"
    MESSENGER = "messenger"
    INSTAGRAM = "instagram"
    WHATSAPP = "whatsapp"
    X = "x"
    TELEGRAM = "telegram"
    LINKEDIN = "linkedin"
    GENERIC = "generic"


class Channel(StrEnum):
    """Where the customer wrote: public channels are seen by everyone, private ones only by us."""

    POST = "post"  # a top-level public post on our page / a mention of us
    COMMENT = "comment"  # a public comment or reply under a post
    MENTION = "mention"
    DIRECT = "direct"  # a direct / private message
    REVIEW = "review"

    @property
    def is_public(self) -> bool:
        return self is not Channel.DIRECT


class EventKind(StrEnum):
    """What happened. Only MESSAGE can open or continue a case; the rest update what we hold."""

    MESSAGE = "message"  # a new customer post/comment/message
    ECHO = "echo"  # a message our own account sent (e.g. from Meta's apps): an agent message
    EDIT = "edit"
    DELETE = "delete"
    STATUS = "status"  # delivery / read / failed for something we sent
    REACTION = "reaction"
    OTHER = "other"  # a recognised but unused event: archived and counted


class DeliveryStatus(StrEnum):
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


class Author(BaseModel):
    model_config = ConfigDict(frozen=True)

    # Untrusted strings are made to fit (shared/models/bounds.py) rather than refused: see issue #7.4.
    id: Annotated[str, Field(min_length=1, max_length=256), fit("id", 256)]
    name: Annotated[str | None, Field(max_length=512), fit("name", 512)] = None
    handle: Annotated[str | None, Field(max_length=256), fit("name", 256)] = None
    followers: Annotated[int | None, Field(ge=0)] = None
    verified: bool = False


class Attachment(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: Annotated[str, Field(max_length=64), fit("name", 64)]  # image, video, audio, file, sticker, ...
    url: Annotated[str | None, Field(max_length=4096), fit("url", 4096)] = None
    id: Annotated[str | None, Field(max_length=512), fit("id", 512)] = None


class Interaction(BaseModel):
    """One thing that happened on a platform, addressed to us."""

    model_config = ConfigDict(frozen=True)

    platform: Platform
    kind: EventKind
    channel: Channel
    # The platform's id of the message/comment/post this event is about (e.g. comment_id, mid, wamid, tweet id).
    platform_id: Annotated[str, Field(min_length=1, max_length=512), fit("id", 512)]
    # Deduplication key: unique per delivered event (a message, or one edit/status of it).
    dedupe_key: Annotated[str, Field(min_length=1, max_length=1024), fit("id", 1024)]
    account_id: Annotated[str | None, Field(max_length=256), fit("id", 256)] = (
        None  # our page / phone number / account
    )
    # Heard's connected account the delivery came to and its brand (issue #16); None: the single-account
    # setup (`/webhooks/<platform>`), which is the default brand.
    connected_account: Annotated[str | None, Field(max_length=40)] = None
    brand: Annotated[str | None, Field(max_length=40)] = None
    author: Author
    # The thread the message belongs to (post id, conversation/chat id): replies go back here.
    conversation_id: Annotated[str, Field(min_length=1, max_length=512), fit("id", 512)]
    parent_id: Annotated[str | None, Field(max_length=512), fit("id", 512)] = None
    text: Annotated[str, Field(max_length=64_000), fit("text", 64_000)] = ""
    attachments: list[Attachment] = []
    occurred_at: datetime
    status: DeliveryStatus | None = None  # for STATUS events
    error: Annotated[str | None, Field(max_length=2000), fit("text", 2000)] = None
    # What a connector needs to answer (e.g. {"comment_id": ..., "phone_number_id": ...}).
    reply_context: Annotated[dict[str, str], fit("json")] = {}
    # Where the raw delivery was archived (s3 key), so any interaction can be traced to its bytes.
    archive_key: Annotated[str | None, Field(max_length=1024)] = None
    extra: Annotated[dict[str, Any], fit("json")] = {}

    @property
    def customer_key(self) -> str:
        """Who the customer is on this platform (a case is threaded per customer)."""
        # A customer writing to two brands has two conversations, one per brand's team (issue #16).
        key = f"{self.platform.value}#{self.author.id}"
        return f"{key}#{self.brand}" if self.brand else key
