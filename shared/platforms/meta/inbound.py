"""Meta: Facebook Page feed, Messenger, Instagram and WhatsApp Cloud API on one endpoint.

Verification: `GET ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C` -> C. Deliveries are signed
with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`; `object` names the product
and `entry[]` holds up to 1000 updates as `changes[]` (feed, comments, WhatsApp) or `messaging[]` (DMs).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared.errors import PayloadInvalid, SignatureInvalid
from shared.models.interaction import (
    Attachment,
    Channel,
    DeliveryStatus,
    EventKind,
    Interaction,
    Platform,
)
from shared.platforms.base import (
    Collector,
    HttpAnswer,
    Parsed,
    attachment,
    author,
    from_epoch,
    from_iso,
    hmac_sha256,
    ident,
    items,
    load_json,
    obj,
    require_secret,
    same,
    short_hash,
    signature_value,
    text,
)

FEED_VERBS = {"add": EventKind.MESSAGE, "edited": EventKind.EDIT, "remove": EventKind.DELETE}
POST_ITEMS = {"post", "status", "photo", "video", "share", "note", "album", "event"}
WHATSAPP_STATUSES = {s.value: s for s in DeliveryStatus}


def digest(secret: str, body: bytes) -> str:
    """The hex HMAC-SHA256 Meta puts in X-Hub-Signature-256 (after "sha256=")."""
    return hmac_sha256(secret, body).hex()


def sign_delivery(secrets: Mapping[str, str], body: bytes, now: datetime) -> dict[str, str]:
    """The headers Meta would send with `body` (tests, the demo)."""
    return {"X-Hub-Signature-256": "sha256=" + digest(secrets["META_APP_SECRET"], body)}


class MetaAdapter:
    name = "meta"

    def handshake(self, query: Mapping[str, str], creds: Any) -> HttpAnswer | None:
        if "hub.mode" not in query and "hub.challenge" not in query:
            return None
        token = require_secret(creds.meta_verify_token, "META_VERIFY_TOKEN")
        if query.get("hub.mode") == "subscribe" and same(token, query.get("hub.verify_token")):
            return HttpAnswer(200, query.get("hub.challenge", ""), "text/plain")
        return HttpAnswer(403, '{"message": "verification token mismatch"}', "application/json")

    def verify(self, headers: Mapping[str, str], body: bytes, creds: Any, now: datetime) -> None:
        secret = require_secret(creds.meta_app_secret, "META_APP_SECRET")
        received = signature_value(headers, "X-Hub-Signature-256", "sha256=").lower()
        if not same(digest(secret, body), received):
            raise SignatureInvalid("X-Hub-Signature-256 does not match the body")

    def parse(self, body: bytes, *, received_at: datetime, archive_key: str | None) -> Parsed:
        data = load_json(body)
        if not isinstance(data, dict) or not isinstance(data.get("entry"), list):
            raise PayloadInvalid("a Meta delivery is an object with an entry list")
        product = data.get("object")
        out = Collector()
        for entry in data["entry"]:
            if not isinstance(entry, dict):
                out.parsed.invalid_events += 1
                continue
            ctx = _Context(entry, received_at, archive_key)
            if product == "page":
                _page_entry(ctx, out)
            elif product == "instagram":
                _instagram_entry(ctx, out)
            elif product == "whatsapp_business_account":
                _whatsapp_entry(ctx, out)
            else:
                out.unknown(max(1, len(items(entry, "changes")) + len(items(entry, "messaging"))))
        return out.parsed


class _Context:
    """What every event in one `entry` shares: our account id, its time, where the bytes are."""

    def __init__(self, entry: dict[str, Any], received_at: datetime, archive_key: str | None):
        self.entry = entry
        self.account_id = ident(entry.get("id"))
        self.received_at = received_at
        self.archive_key = archive_key
        self.entry_time = from_epoch(entry.get("time"), millis=_looks_like_millis(entry.get("time")))

    def when(self, *candidates: datetime | None) -> datetime:
        for moment in candidates:
            if moment is not None:
                return moment
        return self.entry_time or self.received_at

    def build(self, **fields: Any) -> Interaction:
        fields.setdefault("account_id", self.account_id)
        return Interaction(archive_key=self.archive_key, **fields)


def _looks_like_millis(value: Any) -> bool:
    # Page entries carry seconds, messaging entries milliseconds: tell them apart by magnitude.
    try:
        return float(value) > 10_000_000_000
    except (TypeError, ValueError, OverflowError):
        return False


def _time(value: Any) -> datetime | None:
    if isinstance(value, str) and not value.strip().isdigit():
        return from_iso(value)
    return from_epoch(value, millis=_looks_like_millis(value))


# ---- Facebook Page feed and mentions ------------------------------------------------------------------


def _page_entry(ctx: _Context, out: Collector) -> None:
    for change in items(ctx.entry, "changes"):
        field = change.get("field") if isinstance(change, dict) else None
        value = obj(change, "value")
        if field == "feed":
            _feed_change(ctx, value, out)
        elif field == "mention":
            out.add(_mention, ctx, value)
        else:
            out.unknown()
    _messaging(ctx, Platform.MESSENGER, out)


def _feed_change(ctx: _Context, value: dict[str, Any], out: Collector) -> None:
    item, verb = text(value.get("item")), text(value.get("verb"))
    if item == "reaction":
        out.add(_feed_reaction, ctx, value)
    elif (item == "comment" or item in POST_ITEMS) and verb in FEED_VERBS:
        out.add(_feed_item, ctx, value)
    else:
        out.unknown()


def _feed_item(ctx: _Context, value: dict[str, Any]) -> Interaction | None:
    is_comment = value.get("item") == "comment"
    post_id = ident(value.get("post_id"))
    platform_id = ident(value.get("comment_id")) if is_comment else post_id
    who = obj(value, "from")
    person = author(who.get("id"), who.get("name"))
    if platform_id is None or post_id is None or person is None:
        return None
    kind = FEED_VERBS[str(value["verb"])]
    if kind is EventKind.MESSAGE and person.id == ctx.account_id:
        kind = EventKind.ECHO  # our page wrote it (an agent answering from Meta's own tools)
    occurred = ctx.when(_time(value.get("created_time")))
    message = text(value.get("message")) or ""
    dedupe = f"facebook:{platform_id}:{kind.value}"
    if kind is EventKind.EDIT:
        dedupe += ":" + short_hash(value.get("created_time"), ctx.entry.get("time"), message)
    parent = ident(value.get("parent_id"))
    context = {"post_id": post_id}
    if ctx.account_id:
        context["page_id"] = ctx.account_id
    if is_comment:
        context["comment_id"] = platform_id
    media = [attachment("photo", value.get("photo"))] if text(value.get("photo")) else []
    media += [attachment("video", value.get("video"))] if text(value.get("video")) else []
    return ctx.build(
        platform=Platform.FACEBOOK,
        kind=kind,
        channel=Channel.COMMENT if is_comment else Channel.POST,
        platform_id=platform_id,
        dedupe_key=dedupe,
        author=person,
        conversation_id=post_id,
        parent_id=parent if parent != platform_id else None,
        text=message,
        attachments=media,
        occurred_at=occurred,
        reply_context=context,
        extra={"item": value.get("item"), "verb": value.get("verb")},
    )


def _feed_reaction(ctx: _Context, value: dict[str, Any]) -> Interaction | None:
    who = obj(value, "from")
    person = author(who.get("id"), who.get("name"))
    target = ident(value.get("comment_id")) or ident(value.get("post_id"))
    reaction = text(value.get("reaction_type")) or "like"
    if person is None or target is None:
        return None
    return ctx.build(
        platform=Platform.FACEBOOK,
        kind=EventKind.REACTION,
        channel=Channel.COMMENT if value.get("comment_id") else Channel.POST,
        platform_id=target,
        dedupe_key=f"facebook:{target}:reaction:{person.id}:{reaction}:{value.get('verb')}",
        author=person,
        conversation_id=ident(value.get("post_id")) or target,
        text=reaction,
        occurred_at=ctx.when(_time(value.get("created_time"))),
        reply_context={"post_id": ident(value.get("post_id")) or target},
        extra={"verb": value.get("verb"), "reaction_type": reaction},
    )


def _mention(ctx: _Context, value: dict[str, Any]) -> Interaction | None:
    post_id = ident(value.get("post_id"))
    comment_id = ident(value.get("comment_id"))
    platform_id = comment_id or post_id
    person = author(value.get("sender_id"), value.get("sender_name"))
    if platform_id is None or post_id is None or person is None:
        return None
    verb = text(value.get("verb")) or "add"
    kind = FEED_VERBS.get(verb, EventKind.MESSAGE)
    context = {"post_id": post_id}
    if comment_id:
        context["comment_id"] = comment_id
    if ctx.account_id:
        context["page_id"] = ctx.account_id
    return ctx.build(
        platform=Platform.FACEBOOK,
        kind=kind,
        channel=Channel.MENTION,
        platform_id=platform_id,
        dedupe_key=f"facebook:{platform_id}:mention:{kind.value}",
        author=person,
        conversation_id=post_id,
        text=text(value.get("message")) or "",
        occurred_at=ctx.when(_time(value.get("created_time"))),
        reply_context=context,
        extra={"item": value.get("item"), "verb": verb},
    )


# ---- Messenger and Instagram DMs ----------------------------------------------------------------------


def _messaging(ctx: _Context, platform: Platform, out: Collector) -> None:
    for key in ("messaging", "standby"):
        for event in items(ctx.entry, key):
            if not isinstance(event, dict):
                out.parsed.invalid_events += 1
                continue
            handler = _messaging_handler(event)
            if handler is None:
                out.unknown()
            else:
                out.add(handler, ctx, platform, event, key == "standby")


def _messaging_handler(event: dict[str, Any]) -> Any:
    if isinstance(event.get("message"), dict):
        return _dm_message
    if isinstance(event.get("message_edit"), dict):
        return _dm_edit
    if isinstance(event.get("delivery"), dict) or isinstance(event.get("read"), dict):
        return _dm_status
    if isinstance(event.get("postback"), dict):
        return _dm_postback
    if isinstance(event.get("reaction"), dict):
        return _dm_reaction
    return None


class _Dm:
    """Who is who in a messaging event: the conversation is always keyed by the customer's id."""

    def __init__(self, ctx: _Context, event: dict[str, Any], *, echo: bool = False):
        self._ctx = ctx
        self.sender = ident(obj(event, "sender").get("id"))
        self.recipient = ident(obj(event, "recipient").get("id"))
        self.customer = self.recipient if echo else self.sender
        self.page = self.sender if echo else (self.recipient or ctx.account_id)
        self.occurred = ctx.when(from_epoch(event.get("timestamp"), millis=True))

    def valid(self) -> bool:
        return bool(self.sender and self.customer)

    def reply_context(self) -> dict[str, str]:
        context = {"recipient_id": self.customer or ""}
        if self.page:
            context["page_id"] = self.page
        return context

    def build(self, **fields: Any) -> Interaction:
        """An interaction of this conversation: who is who filled in once for every kind of DM event."""
        fields.setdefault("occurred_at", self.occurred)
        return self._ctx.build(
            channel=Channel.DIRECT,
            account_id=self.page,
            author=author(self.sender),
            conversation_id=self.customer,
            reply_context=self.reply_context(),
            **fields,
        )


def _dm_message(
    ctx: _Context, platform: Platform, event: dict[str, Any], standby: bool
) -> Interaction | None:
    message = event["message"]
    echo = message.get("is_echo") is True
    dm = _Dm(ctx, event, echo=echo)
    mid = ident(message.get("mid"))
    if not dm.valid() or mid is None:
        return None
    kind = EventKind.ECHO if echo else EventKind.MESSAGE
    if message.get("is_deleted") is True:  # Instagram "unsend"
        kind = EventKind.DELETE
    files = [
        attachment(a.get("type"), obj(a, "payload").get("url"), obj(a, "payload").get("attachment_id"))
        for a in items(message, "attachments")
        if isinstance(a, dict)
    ]
    extra: dict[str, Any] = {"standby": standby} if standby else {}
    quick = obj(message, "quick_reply").get("payload")
    if isinstance(quick, str):
        extra["quick_reply"] = quick
    if echo and message.get("app_id") is not None:
        extra["app_id"] = ident(message.get("app_id"))
    return dm.build(
        platform=platform,
        kind=kind,
        platform_id=mid,
        dedupe_key=f"{platform.value}:{mid}:{kind.value}",
        parent_id=ident(obj(message, "reply_to").get("mid")),
        text=text(message.get("text")) or "",
        attachments=files,
        extra=extra,
    )


def _dm_edit(ctx: _Context, platform: Platform, event: dict[str, Any], standby: bool) -> Interaction | None:
    edit = event["message_edit"]
    dm = _Dm(ctx, event)
    mid = ident(edit.get("mid"))
    if not dm.valid() or mid is None:
        return None
    new_text = text(edit.get("text")) or ""
    return dm.build(
        platform=platform,
        kind=EventKind.EDIT,
        platform_id=mid,
        dedupe_key=f"{platform.value}:{mid}:edit:{short_hash(edit.get('num_edit'), new_text)}",
        text=new_text,
        extra={"num_edit": edit.get("num_edit")} if isinstance(edit.get("num_edit"), int) else {},
    )


def _dm_status(ctx: _Context, platform: Platform, event: dict[str, Any], standby: bool) -> list[Interaction]:
    # The customer's app reports on messages *we* sent: sender = customer, recipient = our page.
    dm = _Dm(ctx, event)
    if not dm.valid():
        raise ValueError("status without sender")
    is_delivery = isinstance(event.get("delivery"), dict)
    body = event["delivery"] if is_delivery else event["read"]
    status = DeliveryStatus.DELIVERED if is_delivery else DeliveryStatus.READ
    watermark = from_epoch(body.get("watermark"), millis=True)
    mids = [m for m in (ident(x) for x in items(body, "mids")) if m] or [
        m for m in [ident(body.get("mid"))] if m
    ]
    extra = {"watermark": ident(body.get("watermark"))} if body.get("watermark") is not None else {}
    # Without message ids the watermark ("everything before this time") is what identifies the event.
    targets = mids or [f"watermark:{dm.customer}:{ident(body.get('watermark')) or short_hash(body)}"]
    return [
        dm.build(
            platform=platform,
            kind=EventKind.STATUS,
            platform_id=target,
            dedupe_key=f"{platform.value}:{target}:status:{status.value}",
            occurred_at=ctx.when(dm.occurred if event.get("timestamp") is not None else None, watermark),
            status=status,
            extra=extra,
        )
        for target in targets
    ]


def _dm_postback(
    ctx: _Context, platform: Platform, event: dict[str, Any], standby: bool
) -> Interaction | None:
    postback = event["postback"]
    dm = _Dm(ctx, event)
    if not dm.valid():
        return None
    mid = (
        ident(postback.get("mid"))
        or f"postback:{dm.customer}:{ident(event.get('timestamp')) or short_hash(postback)}"
    )
    title = text(postback.get("title")) or text(postback.get("payload")) or ""
    return dm.build(
        platform=platform,
        kind=EventKind.MESSAGE,  # the customer pressed a button: that is them talking to us
        platform_id=mid,
        dedupe_key=f"{platform.value}:{mid}:postback",
        text=title,
        extra={"postback_payload": text(postback.get("payload"))},
    )


def _dm_reaction(
    ctx: _Context, platform: Platform, event: dict[str, Any], standby: bool
) -> Interaction | None:
    reaction = event["reaction"]
    dm = _Dm(ctx, event)
    mid = ident(reaction.get("mid"))
    if not dm.valid() or mid is None:
        return None
    emoji = text(reaction.get("emoji")) or text(reaction.get("reaction")) or ""
    action = text(reaction.get("action")) or "react"
    return dm.build(
        platform=platform,
        kind=EventKind.REACTION,
        platform_id=mid,
        dedupe_key=f"{platform.value}:{mid}:reaction:{dm.sender}:{action}:{short_hash(emoji)}",
        text=emoji,
        extra={"action": action},
    )


# ---- Instagram ----------------------------------------------------------------------------------------


def _instagram_entry(ctx: _Context, out: Collector) -> None:
    for change in items(ctx.entry, "changes"):
        field = change.get("field") if isinstance(change, dict) else None
        value = obj(change, "value")
        if field in ("comments", "live_comments"):
            out.add(_ig_comment, ctx, value)
        elif field == "mentions":
            out.add(_ig_mention, ctx, value)
        else:
            out.unknown()
    _messaging(ctx, Platform.INSTAGRAM, out)


def _ig_comment(ctx: _Context, value: dict[str, Any]) -> Interaction | None:
    comment_id = ident(value.get("id"))
    who = obj(value, "from")
    person = author(who.get("id"), handle=who.get("username"))
    media_id = ident(obj(value, "media").get("id"))
    if comment_id is None or person is None:
        return None
    parent = ident(value.get("parent_id"))
    kind = EventKind.ECHO if person.id == ctx.account_id else EventKind.MESSAGE
    context = {"comment_id": comment_id, "reply_to_comment_id": parent or comment_id}
    if media_id:
        context["media_id"] = media_id
    if ctx.account_id:
        context["ig_account_id"] = ctx.account_id
    return ctx.build(
        platform=Platform.INSTAGRAM,
        kind=kind,
        channel=Channel.COMMENT,
        platform_id=comment_id,
        dedupe_key=f"instagram:{comment_id}:{kind.value}",
        author=person,
        conversation_id=media_id or parent or comment_id,
        parent_id=parent,
        text=text(value.get("text")) or "",
        occurred_at=ctx.when(_time(value.get("timestamp"))),
        reply_context=context,
        extra={"media_product_type": text(obj(value, "media").get("media_product_type"))},
    )


def _ig_mention(ctx: _Context, value: dict[str, Any]) -> Interaction | None:
    # Mentions name the media (and comment) only: the text has to be fetched by whoever needs it.
    media_id = ident(value.get("media_id"))
    comment_id = ident(value.get("comment_id"))
    platform_id = comment_id or media_id
    if platform_id is None or media_id is None:
        return None
    context = {"media_id": media_id}
    if comment_id:
        context["comment_id"] = comment_id
    if ctx.account_id:
        context["ig_account_id"] = ctx.account_id
    return ctx.build(
        platform=Platform.INSTAGRAM,
        kind=EventKind.MESSAGE,
        channel=Channel.MENTION,
        platform_id=platform_id,
        dedupe_key=f"instagram:{platform_id}:mention",
        author=author(f"media:{media_id}"),  # the mentioning account is not in the webhook
        conversation_id=media_id,
        occurred_at=ctx.when(),
        reply_context=context,
        extra={"needs_fetch": True},
    )


# ---- WhatsApp -----------------------------------------------------------------------------------------


def _whatsapp_entry(ctx: _Context, out: Collector) -> None:
    for change in items(ctx.entry, "changes"):
        field = change.get("field") if isinstance(change, dict) else None
        value = obj(change, "value")
        if field != "messages":
            out.unknown()
            continue
        metadata = obj(value, "metadata")
        phone_number_id = ident(metadata.get("phone_number_id"))
        names = _whatsapp_contacts(value)
        for message in items(value, "messages"):
            if isinstance(message, dict) and message.get("type") == "system":
                out.unknown()  # a customer changed number: not a message to answer
                continue
            out.add(_wa_message, ctx, phone_number_id, names, message)
        for status in items(value, "statuses"):
            out.add(_wa_status, ctx, phone_number_id, status)
        if not items(value, "messages") and not items(value, "statuses"):
            out.unknown()


def _whatsapp_contacts(value: dict[str, Any]) -> dict[str, dict[str, Any]]:
    contacts: dict[str, dict[str, Any]] = {}
    for contact in items(value, "contacts"):
        if not isinstance(contact, dict):
            continue
        for key in (ident(contact.get("wa_id")), ident(contact.get("user_id"))):
            if key:
                contacts[key] = contact
    return contacts


MEDIA_TYPES = ("image", "video", "audio", "document", "sticker")


def _wa_body(message: dict[str, Any]) -> tuple[str, list[Attachment]]:
    kind = text(message.get("type")) or "unknown"
    content = obj(message, kind)
    if kind == "text":
        return text(content.get("body")) or "", []
    if kind in MEDIA_TYPES:
        caption = text(content.get("caption")) or text(content.get("filename")) or ""
        return caption, [attachment(kind, content.get("url") or content.get("link"), content.get("id"))]
    if kind == "location":
        described = " ".join(s for s in (text(content.get("name")), text(content.get("address"))) if s)
        return described, [attachment("location", content.get("url"))]
    if kind == "interactive":
        reply = obj(content, "button_reply") or obj(content, "list_reply") or obj(content, "nfm_reply")
        return text(reply.get("title")) or text(reply.get("body")) or "", []
    if kind == "button":
        return text(content.get("text")) or text(content.get("payload")) or "", []
    if kind == "contacts":
        return "", [attachment("contacts")]
    if kind == "order":
        return text(content.get("text")) or "", [attachment("order", None, content.get("catalog_id"))]
    return "", [attachment(kind)] if kind not in ("unknown", "unsupported") else []


def _wa_message(
    ctx: _Context, phone_number_id: str | None, names: dict[str, dict[str, Any]], message: Any
) -> Interaction | None:
    if not isinstance(message, dict):
        return None
    wamid = ident(message.get("id"))
    sender = ident(message.get("from")) or ident(message.get("from_user_id"))
    if wamid is None or sender is None or phone_number_id is None:
        return None
    contact = names.get(sender, {})
    kind_name = text(message.get("type")) or "unknown"
    occurred = ctx.when(from_epoch(message.get("timestamp")))
    context = {"phone_number_id": phone_number_id, "to": sender, "message_id": wamid}
    if kind_name == "reaction":
        reaction = obj(message, "reaction")
        target = ident(reaction.get("message_id")) or wamid
        return ctx.build(
            platform=Platform.WHATSAPP,
            kind=EventKind.REACTION,
            channel=Channel.DIRECT,
            platform_id=target,
            dedupe_key=f"whatsapp:{wamid}:reaction",
            account_id=phone_number_id,
            author=author(sender, obj(contact, "profile").get("name")),
            conversation_id=sender,
            text=text(reaction.get("emoji")) or "",
            occurred_at=occurred,
            reply_context=context,
        )
    body, files = _wa_body(message)
    errors = "; ".join(_wa_error(e) for e in items(message, "errors") if isinstance(e, dict))
    reply_to = obj(message, "context")
    extra: dict[str, Any] = {"type": kind_name}
    if reply_to.get("forwarded") is True:
        extra["forwarded"] = True
    return ctx.build(
        platform=Platform.WHATSAPP,
        kind=EventKind.MESSAGE,
        channel=Channel.DIRECT,
        platform_id=wamid,
        dedupe_key=f"whatsapp:{wamid}:message",
        account_id=phone_number_id,
        author=author(
            sender,
            obj(contact, "profile").get("name"),
            handle=ident(contact.get("user_id")) if contact.get("user_id") else None,
        ),
        conversation_id=sender,
        parent_id=ident(reply_to.get("id")),
        text=body,
        attachments=files,
        occurred_at=occurred,
        error=errors[:2000] or None,
        reply_context=context,
        extra=extra,
    )


def _wa_error(error: dict[str, Any]) -> str:
    details = text(obj(error, "error_data").get("details"))
    parts = [
        str(ident(error.get("code")) or ""),
        text(error.get("title")) or text(error.get("message")) or "",
    ]
    summary = " ".join(p for p in parts if p)
    return f"{summary}: {details}" if details else summary


def _wa_status(ctx: _Context, phone_number_id: str | None, status: Any) -> Interaction | None:
    if not isinstance(status, dict):
        return None
    wamid = ident(status.get("id"))
    state = WHATSAPP_STATUSES.get(text(status.get("status")) or "")
    recipient = ident(status.get("recipient_id")) or ident(status.get("recipient_user_id"))
    if wamid is None or state is None or recipient is None or phone_number_id is None:
        return None
    errors = "; ".join(_wa_error(e) for e in items(status, "errors") if isinstance(e, dict))
    conversation = obj(status, "conversation")
    return ctx.build(
        platform=Platform.WHATSAPP,
        kind=EventKind.STATUS,
        channel=Channel.DIRECT,
        platform_id=wamid,
        dedupe_key=f"whatsapp:{wamid}:status:{state.value}",
        account_id=phone_number_id,
        author=author(phone_number_id),  # statuses report on our own messages
        conversation_id=recipient,
        occurred_at=ctx.when(from_epoch(status.get("timestamp"))),
        status=state,
        error=errors[:2000] or None,
        reply_context={"phone_number_id": phone_number_id, "to": recipient},
        extra={"conversation_id": ident(conversation.get("id"))} if conversation.get("id") else {},
    )
