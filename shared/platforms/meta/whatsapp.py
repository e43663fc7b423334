"""WhatsApp Cloud API (`object=whatsapp_business_account`): messages of every type and statuses."""

from __future__ import annotations

from typing import Any

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
    attachment,
    author,
    from_epoch,
    ident,
    items,
    obj,
    text,
)
from shared.platforms.meta.common import Context

WHATSAPP_STATUSES = {s.value: s for s in DeliveryStatus}


def whatsapp_entry(ctx: Context, out: Collector) -> None:
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
    ctx: Context, phone_number_id: str | None, names: dict[str, dict[str, Any]], message: Any
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
    pressed = _wa_pressed(message)
    if pressed:
        extra["quick_reply"] = pressed
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


def _wa_pressed(message: dict[str, Any]) -> str | None:
    """What a button the customer pressed sends back: an interactive reply button's or list row's id, or a
    template quick-reply button's payload."""
    if message.get("type") == "interactive":
        content = obj(message, "interactive")
        return text((obj(content, "button_reply") or obj(content, "list_reply")).get("id"))
    if message.get("type") == "button":
        return text(obj(message, "button").get("payload"))
    return None


def _wa_error(error: dict[str, Any]) -> str:
    details = text(obj(error, "error_data").get("details"))
    parts = [
        str(ident(error.get("code")) or ""),
        text(error.get("title")) or text(error.get("message")) or "",
    ]
    summary = " ".join(p for p in parts if p)
    return f"{summary}: {details}" if details else summary


def _wa_status(ctx: Context, phone_number_id: str | None, status: Any) -> Interaction | None:
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
