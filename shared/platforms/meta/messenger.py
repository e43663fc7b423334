"""Messenger and Instagram DMs (`messaging[]` / `standby[]`): messages, echoes, edits, statuses, postbacks,
reactions."""

from __future__ import annotations

from typing import Any

from shared.models.interaction import (
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
    short_hash,
    text,
)
from shared.platforms.meta.common import Context


def messaging(ctx: Context, platform: Platform, out: Collector) -> None:
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

    def __init__(self, ctx: Context, event: dict[str, Any], *, echo: bool = False):
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


def _dm_message(ctx: Context, platform: Platform, event: dict[str, Any], standby: bool) -> Interaction | None:
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


def _dm_edit(ctx: Context, platform: Platform, event: dict[str, Any], standby: bool) -> Interaction | None:
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


def _dm_status(ctx: Context, platform: Platform, event: dict[str, Any], standby: bool) -> list[Interaction]:
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
    ctx: Context, platform: Platform, event: dict[str, Any], standby: bool
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
    ctx: Context, platform: Platform, event: dict[str, Any], standby: bool
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
