"""Telegram Bot API webhooks: one `Update` per request, authenticated by a shared secret header.

`setWebhook(secret_token=...)` makes Telegram send `X-Telegram-Bot-Api-Secret-Token: <secret>` with every
update; `update_id` is unique per update (an edit is a new update), so it is the dedupe key.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared.errors import PayloadInvalid, SignatureInvalid
from shared.models.interaction import Channel, EventKind, Interaction, Platform
from shared.platforms.base import (
    Collector,
    HttpAnswer,
    Parsed,
    attachment,
    author,
    from_epoch,
    header,
    ident,
    items,
    load_json,
    obj,
    require_secret,
    same,
    text,
)
from shared.rules.survey_answers import is_button

MESSAGE_KEYS = {
    "message": EventKind.MESSAGE,
    "edited_message": EventKind.EDIT,
    "channel_post": EventKind.MESSAGE,
    "edited_channel_post": EventKind.EDIT,
    "business_message": EventKind.MESSAGE,
    "edited_business_message": EventKind.EDIT,
}
CHAT_CHANNELS = {
    "private": Channel.DIRECT,
    "group": Channel.COMMENT,
    "supergroup": Channel.COMMENT,
    "channel": Channel.POST,
}
FILE_KEYS = ("document", "audio", "video", "voice", "video_note", "sticker", "animation")


def sign_delivery(secrets: Mapping[str, str], body: bytes, now: datetime) -> dict[str, str]:
    """The headers Telegram sends with every update: the shared secret itself (no HMAC)."""
    return {"X-Telegram-Bot-Api-Secret-Token": secrets["TELEGRAM_SECRET_TOKEN"]}


class TelegramAdapter:
    name = "telegram"

    def handshake(self, query: Mapping[str, str], creds: Any) -> HttpAnswer | None:
        return None  # Telegram has no verification request: the secret header is checked on each update

    def verify(self, headers: Mapping[str, str], body: bytes, creds: Any, now: datetime) -> None:
        secret = require_secret(creds.telegram_secret_token, "TELEGRAM_SECRET_TOKEN")
        received = header(headers, "X-Telegram-Bot-Api-Secret-Token")
        if not received:
            raise SignatureInvalid("missing X-Telegram-Bot-Api-Secret-Token header")
        if not same(secret, received):
            raise SignatureInvalid("X-Telegram-Bot-Api-Secret-Token does not match")

    def parse(self, body: bytes, *, received_at: datetime, archive_key: str | None) -> Parsed:
        update = load_json(body)
        if not isinstance(update, dict) or ident(update.get("update_id")) is None:
            raise PayloadInvalid("a Telegram update is an object with an update_id")
        out = Collector()
        key = next((k for k in MESSAGE_KEYS if isinstance(update.get(k), dict)), None)
        if isinstance(update.get("callback_query"), dict):
            out.add(_callback, update, received_at, archive_key)
            out.parsed.answer = callback_answer(update["callback_query"])
        elif key is None:
            out.unknown()  # member changes, polls, ...
        else:
            out.add(_message, update, key, received_at, archive_key)
        return out.parsed


def _message(
    update: dict[str, Any], key: str, received_at: datetime, archive_key: str | None
) -> Interaction | None:
    message = update[key]
    chat = obj(message, "chat")
    chat_id = ident(chat.get("id"))
    message_id = ident(message.get("message_id"))
    sender = obj(message, "from") or obj(message, "sender_chat") or chat
    full_name = " ".join(
        s
        for s in (text(sender.get("first_name")), text(sender.get("last_name")), text(sender.get("title")))
        if s
    )
    person = author(sender.get("id"), full_name or None, sender.get("username"))
    if chat_id is None or message_id is None or person is None:
        return None
    kind = MESSAGE_KEYS[key]
    files = []
    photos = [p for p in items(message, "photo") if isinstance(p, dict)]
    if photos:  # Telegram sends every size; the last one is the largest
        files.append(attachment("photo", None, photos[-1].get("file_id")))
    for file_key in FILE_KEYS:
        if isinstance(message.get(file_key), dict):
            files.append(attachment(file_key, None, obj(message, file_key).get("file_id")))
    when = message.get("edit_date") if kind is EventKind.EDIT else message.get("date")
    parent = ident(obj(message, "reply_to_message").get("message_id"))
    context = {"chat_id": chat_id, "message_id": message_id}
    thread = ident(message.get("message_thread_id"))
    if thread:
        context["message_thread_id"] = thread
    business = ident(message.get("business_connection_id"))
    if business:
        context["business_connection_id"] = business
    return Interaction(
        platform=Platform.TELEGRAM,
        kind=kind,
        channel=CHAT_CHANNELS.get(text(chat.get("type")) or "", Channel.DIRECT),
        platform_id=f"{chat_id}:{message_id}",  # message ids are only unique within a chat
        dedupe_key=f"telegram:update:{ident(update.get('update_id'))}",
        author=person,
        conversation_id=chat_id,
        parent_id=f"{chat_id}:{parent}" if parent else None,
        text=text(message.get("text")) or text(message.get("caption")) or "",
        attachments=files,
        occurred_at=from_epoch(when) or from_epoch(message.get("date")) or received_at,
        reply_context=context,
        archive_key=archive_key,
        extra={"chat_type": text(chat.get("type")), "is_bot": obj(message, "from").get("is_bot") is True},
    )


def callback_answer(query: dict[str, Any]) -> dict[str, Any] | None:
    """answerCallbackQuery for a pressed inline button, as the webhook's answer: Telegram stops the
    button's spinner at once. A survey button is thanked (whether it counts is decided later: a repeated or
    stale one is ignored quietly)."""
    query_id = ident(query.get("id"))
    if query_id is None:
        return None
    answer: dict[str, Any] = {"method": "answerCallbackQuery", "callback_query_id": query_id}
    if is_button(query.get("data")):
        answer["text"] = "Thank you for your answer."
    return answer


def _callback(update: dict[str, Any], received_at: datetime, archive_key: str | None) -> Interaction | None:
    """A pressed inline-keyboard button (a survey's score): the customer talking in the chat of the message
    that carried the keyboard, with the button's callback_data as the quick reply."""
    query = update["callback_query"]
    message = obj(query, "message")
    chat = obj(message, "chat")
    chat_id, query_id = ident(chat.get("id")), ident(query.get("id"))
    sender = obj(query, "from")
    name = " ".join(s for s in (text(sender.get("first_name")), text(sender.get("last_name"))) if s)
    person = author(sender.get("id"), name or None, sender.get("username"))
    data = text(query.get("data"))
    if chat_id is None or query_id is None or person is None or data is None:
        return None
    context = {"chat_id": chat_id}
    if ident(message.get("message_id")):
        context["message_id"] = str(ident(message.get("message_id")))
    return Interaction(
        platform=Platform.TELEGRAM,
        kind=EventKind.MESSAGE,
        channel=CHAT_CHANNELS.get(text(chat.get("type")) or "", Channel.DIRECT),
        platform_id=f"callback:{query_id}",
        dedupe_key=f"telegram:update:{ident(update.get('update_id'))}",
        author=person,
        conversation_id=chat_id,
        text=_button_label(message, data),
        occurred_at=received_at,  # a callback query carries no time of its own
        reply_context=context,
        archive_key=archive_key,
        extra={"chat_type": text(chat.get("type")), "quick_reply": data},
    )


def _button_label(message: dict[str, Any], data: str) -> str:
    """The pressed button's label, from the keyboard of the message that carried it."""
    for row in items(obj(message, "reply_markup"), "inline_keyboard"):
        for button in row if isinstance(row, list) else []:
            if isinstance(button, dict) and button.get("callback_data") == data:
                return text(button.get("text")) or data
    return data.rsplit(":", 1)[-1]
