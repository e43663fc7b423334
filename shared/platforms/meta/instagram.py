"""Instagram (`object=instagram`): comments and mentions; its DMs go through messenger.py."""

from __future__ import annotations

from typing import Any

from shared.models.interaction import (
    Channel,
    EventKind,
    Interaction,
    Platform,
)
from shared.platforms.base import (
    Collector,
    author,
    ident,
    items,
    obj,
    text,
)
from shared.platforms.meta.common import Context, event_time
from shared.platforms.meta.messenger import messaging


def instagram_entry(ctx: Context, out: Collector) -> None:
    for change in items(ctx.entry, "changes"):
        field = change.get("field") if isinstance(change, dict) else None
        value = obj(change, "value")
        if field in ("comments", "live_comments"):
            out.add(_ig_comment, ctx, value)
        elif field == "mentions":
            out.add(_ig_mention, ctx, value)
        else:
            out.unknown()
    messaging(ctx, Platform.INSTAGRAM, out)


def _ig_comment(ctx: Context, value: dict[str, Any]) -> Interaction | None:
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
        occurred_at=ctx.when(event_time(value.get("timestamp"))),
        reply_context=context,
        extra={"media_product_type": text(obj(value, "media").get("media_product_type"))},
    )


def _ig_mention(ctx: Context, value: dict[str, Any]) -> Interaction | None:
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
