"""Telegram files by id: `getFile` gives a file path, fetched from `/file/bot<token>/<path>`."""

from __future__ import annotations

import json
from typing import Any

from shared.errors import PlatformError
from shared.platforms.media import Media, download
from shared.platforms.outbound import Transport, require_token


def fetch(file_id: str, creds: Any, api: str, transport: Transport, local: bool) -> Media:
    bot = require_token(creds.telegram_bot_token, "TELEGRAM_BOT_TOKEN")
    body = json.dumps({"file_id": file_id}).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    answer = transport("POST", f"{api}/bot{bot}/getFile", headers=headers, body=body)
    data = answer.json()
    result = data.get("result") if isinstance(data, dict) else None
    path = result.get("file_path") if isinstance(result, dict) else None
    if answer.status != 200 or not isinstance(path, str) or not path:
        raise PlatformError(f"Telegram gave no file for this attachment (HTTP {answer.status})")
    return download(transport, f"{api}/file/bot{bot}/{path}", {}, local=local)
