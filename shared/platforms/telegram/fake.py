"""A local fake of the Telegram Bot API's sendMessage (with inline keyboards), sendPhoto, getFile and
answerCallbackQuery (the bot token travels in the path)."""

from __future__ import annotations

import re
from typing import Any

from shared.platforms.fakes import FakeContext, Refused, text_at


def _bad(description: str) -> Refused:
    return Refused(400, {"ok": False, "error_code": 400, "description": f"Bad Request: {description}"})


def _check_keyboard(markup: Any) -> None:
    """An inline keyboard: rows of buttons, each with a text and callback_data of 1-64 bytes."""
    if markup is None:
        return
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise _bad('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays')
    for button in (b for row in rows for b in row):
        data = button.get("callback_data") if isinstance(button, dict) else None
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
            raise _bad("BUTTON_DATA_INVALID")
        if not text_at(button, "text"):
            raise _bad("text buttons are unallowed in the inline keyboard")


class FakeTelegram:
    prefix = ""
    created_status = 200

    def handle(
        self, ctx: FakeContext, method: str, path: str, body: dict[str, Any], token: str | None
    ) -> dict[str, Any]:
        match = re.fullmatch(r"/bot([^/]+)/(sendMessage|sendPhoto|getFile|answerCallbackQuery)", path)
        if not match:
            raise Refused(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        if match.group(2) == "answerCallbackQuery":
            if not text_at(body, "callback_query_id"):
                raise _bad("query id is invalid")
            return {"ok": True, "result": True}
        _check_keyboard(body.get("reply_markup"))
        if match and match.group(2) == "getFile":  # a customer's file: where to download it
            file_id = text_at(body, "file_id") or "unknown"
            return {"ok": True, "result": {"file_id": file_id, "file_path": f"_media/{file_id[:40]}.png"}}
        chat_id = body.get("chat_id")
        if not isinstance(chat_id, int | str) or isinstance(chat_id, bool) or not str(chat_id):
            raise Refused(
                400, {"ok": False, "error_code": 400, "description": "Bad Request: chat_id is empty"}
            )
        if match.group(2) == "sendPhoto":
            return self._photo(ctx, chat_id, body)
        text = text_at(body, "text")
        if not text or len(text) > 4096:
            raise Refused(
                400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
            )
        return {
            "ok": True,
            "result": {
                "message_id": ctx.next_id(),
                "chat": {"id": chat_id},
                "text": text,
                "date": 1767225600,
            },
        }

    def _photo(self, ctx: FakeContext, chat_id: Any, body: dict[str, Any]) -> dict[str, Any]:
        photo, caption = text_at(body, "photo"), body.get("caption")
        if not photo:
            raise Refused(
                400, {"ok": False, "error_code": 400, "description": "Bad Request: there is no photo"}
            )
        if isinstance(caption, str) and len(caption) > 1024:
            raise Refused(
                400,
                {"ok": False, "error_code": 400, "description": "Bad Request: message caption is too long"},
            )
        result = {"message_id": ctx.next_id(), "chat": {"id": chat_id}, "photo": [{"file_id": "fake-photo"}]}
        return {"ok": True, "result": {**result, "caption": caption, "date": 1767225600}}

    def failure(self, kind: str) -> Refused:
        if kind == "rate_limit":
            return Refused(
                429,
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 7",
                    "parameters": {"retry_after": 7},
                },
            )
        return Refused(400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
