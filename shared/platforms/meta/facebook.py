"""Facebook Page feed changes (posts, comments, reactions) and Page mentions (`object=page`, `changes[]`)."""

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
    attachment,
    author,
    ident,
    items,
    obj,
    short_hash,
    text,
)
from shared.platforms.meta.common import Context, event_time
from shared.platforms.meta.messenger import messaging

FEED_VERBS = {"add": EventKind.MESSAGE, "edited": EventKind.EDIT, "remove": EventKind.DELETE}
POST_ITEMS = {"post", "status", "photo", "video", "share", "note", "album", "event"}


def page_entry(ctx: Context, out: Collector) -> None:
    for change in items(ctx.entry, "changes"):
        field = change.get("field") if isinstance(change, dict) else None
        value = obj(change, "value")
        if field == "feed":
            _feed_change(ctx, value, out)
        elif field == "mention":
            out.add(_mention, ctx, value)
        else:
            out.unknown()
    messaging(ctx, Platform.MESSENGER, out)


def _feed_change(ctx: Context, value: dict[str, Any], out: Collector) -> None:
    item, verb = text(value.get("item")), text(value.get("verb"))
    if item == "reaction":
        out.add(_feed_reaction, ctx, value)
    elif (item == "comment" or item in POST_ITEMS) and verb in FEED_VERBS:
        out.add(_feed_item, ctx, value)
    else:
        out.unknown()


def _feed_item(ctx: Context, value: dict[str, Any]) -> Interaction | None:
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
    occurred = ctx.when(event_time(value.get("created_time")))
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


def _feed_reaction(ctx: Context, value: dict[str, Any]) -> Interaction | None:
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
        occurred_at=ctx.when(event_time(value.get("created_time"))),
        reply_context={"post_id": ident(value.get("post_id")) or target},
        extra={"verb": value.get("verb"), "reaction_type": reaction},
    )


def _mention(ctx: Context, value: dict[str, Any]) -> Interaction | None:
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
        occurred_at=ctx.when(event_time(value.get("created_time"))),
        reply_context=context,
        extra={"item": value.get("item"), "verb": verb},
    )
