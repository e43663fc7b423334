"""Built-in fakes of the platform APIs Heard replies through (Meta Graph, X API v2, Telegram Bot API).

The local stack and the tests point META_GRAPH_URL / X_API_URL / TELEGRAM_API_URL at `.base_urls`. The
fakes check what the real APIs check first (an access token, the required fields, field types), answer
in the real shapes (ids, Graph-style errors, X problem documents, Telegram `ok` envelopes), record every
request (`.sent`, or `GET /_sent`), and can be told to fail the next call (`fail_next`) or to report a
lapsed webhook subscription (`set_subscription`).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

GRAPH_VERSION = "v21.0"
FAILURES = ("rate_limit", "error")


class Refused(Exception):
    """A request the real API would refuse: (status, body) is what the fake answers."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


@dataclass
class _State:
    sent: list[dict[str, Any]] = field(default_factory=list)
    failures: dict[str, list[str]] = field(default_factory=dict)
    subscribed: dict[str, bool] = field(default_factory=lambda: {"meta": True, "x": True})
    counter: Any = field(default_factory=lambda: itertools.count(1))
    lock: threading.Lock = field(default_factory=threading.Lock)


def _graph_error(message: str, code: int = 100, status: int = 400, subcode: int | None = None) -> Refused:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "FAKEtrace",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return Refused(status, {"error": error})


def _text(body: dict[str, Any], *path: str) -> str | None:
    value: Any = body
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) and value.strip() else None


class _Platforms:
    """The request logic, independent of the HTTP plumbing."""

    def __init__(self, state: _State):
        self.state = state

    def next_id(self) -> int:
        with self.state.lock:
            return next(self.state.counter)

    # ---- Meta Graph ----

    def meta(self, method: str, path: str, body: dict[str, Any], token: str | None) -> dict[str, Any]:
        if not token:
            raise _graph_error("An access token is required to request this resource.", code=104)
        match = re.fullmatch(
            rf"/{GRAPH_VERSION}/([^/]+)/(comments|replies|messages|mentions|subscribed_apps)", path
        )
        if not match:
            raise _graph_error(f"Unknown path components: {path}", code=2500)
        object_id, edge = match.groups()
        if edge == "subscribed_apps" and method == "GET":
            ok = self.state.subscribed["meta"]
            return {
                "data": [{"id": "fake-app", "name": "Heard", "subscribed_fields": ["feed", "messages"]}]
                if ok
                else []
            }
        if method != "POST":
            raise _graph_error("Unsupported method", code=100)
        if edge in ("comments", "replies"):
            if not _text(body, "message"):
                raise _graph_error("(#100) The parameter message is required")
            return {"id": f"{object_id}_{self.next_id()}"}
        if edge == "mentions":
            if not _text(body, "media_id") or not _text(body, "message"):
                raise _graph_error("(#100) media_id and message are required")
            return {"id": f"{self.next_id()}"}
        if body.get("messaging_product") == "whatsapp":
            return self._whatsapp(body)
        return self._send_api(body)

    def _send_api(self, body: dict[str, Any]) -> dict[str, Any]:
        recipient: dict[str, Any] = body["recipient"] if isinstance(body.get("recipient"), dict) else {}
        text = _text(body, "message", "text")
        if not text:
            raise _graph_error("(#100) message.text is required")
        if len(text) > 2000:
            raise _graph_error(
                "(#100) Param message[text] must be UTF-8 encoded string of at most 2000 chars"
            )
        if _text(recipient, "comment_id"):
            return {
                "recipient_id": f"psid-for-{recipient['comment_id']}",
                "message_id": f"m_fake_{self.next_id()}",
            }
        if not _text(recipient, "id"):
            raise _graph_error("(#100) The parameter recipient is required")
        kind = body.get("messaging_type")
        if kind not in ("RESPONSE", "UPDATE", "MESSAGE_TAG"):
            raise _graph_error("(#100) messaging_type must be RESPONSE, UPDATE or MESSAGE_TAG")
        if kind == "MESSAGE_TAG" and body.get("tag") not in (
            "HUMAN_AGENT",
            "ACCOUNT_UPDATE",
            "CONFIRMED_EVENT_UPDATE",
            "POST_PURCHASE_UPDATE",
        ):
            raise _graph_error("(#100) tag is required with messaging_type MESSAGE_TAG")
        return {"recipient_id": recipient["id"], "message_id": f"m_fake_{self.next_id()}"}

    def _whatsapp(self, body: dict[str, Any]) -> dict[str, Any]:
        to = _text(body, "to")
        if not to:
            raise _graph_error("(#100) The parameter to is required.")
        if body.get("type") == "text":
            if not _text(body, "text", "body"):
                raise _graph_error("(#100) The parameter text['body'] is required.")
        elif body.get("type") == "template":
            if not _text(body, "template", "name") or not _text(body, "template", "language", "code"):
                raise _graph_error("(#100) template name and language.code are required.")
        else:
            raise _graph_error("(#100) Unsupported message type", code=131009)
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": f"wamid.FAKE{self.next_id():08d}"}],
        }

    # ---- X API v2 ----

    def x(self, method: str, path: str, body: dict[str, Any], token: str | None) -> dict[str, Any]:
        if not token:
            raise Refused(
                401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
            )
        if method == "GET" and path == "/2/webhooks":
            return {
                "data": [
                    {
                        "id": "1",
                        "url": "https://example.invalid/webhooks/x",
                        "valid": self.state.subscribed["x"],
                        "created_at": "2026-01-01T00:00:00.000Z",
                    }
                ],
                "meta": {"result_count": 1},
            }
        text = _text(body, "text")
        if method == "POST" and path == "/2/tweets":
            if not text or len(text) > 280:
                raise Refused(400, {"title": "Invalid Request", "detail": "text must be 1..280 characters"})
            reply = body.get("reply")
            if reply is not None and not _text(
                reply if isinstance(reply, dict) else {}, "in_reply_to_tweet_id"
            ):
                raise Refused(
                    400, {"title": "Invalid Request", "detail": "reply.in_reply_to_tweet_id is required"}
                )
            return {"data": {"id": str(1_900_000_000_000_000_000 + self.next_id()), "text": text}}
        match = re.fullmatch(r"/2/dm_conversations/with/([^/]+)/messages", path)
        if method == "POST" and match:
            if not text:
                raise Refused(400, {"title": "Invalid Request", "detail": "text is required"})
            return {
                "data": {
                    "dm_conversation_id": f"{match.group(1)}-self",
                    "dm_event_id": str(1_800_000_000_000_000_000 + self.next_id()),
                }
            }
        raise Refused(404, {"title": "Not Found Error", "detail": f"no route {method} {path}"})

    # ---- Telegram Bot API ----

    def telegram(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        match = re.fullmatch(r"/bot([^/]+)/sendMessage", path)
        if not match:
            raise Refused(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        chat_id = body.get("chat_id")
        if not isinstance(chat_id, int | str) or isinstance(chat_id, bool) or not str(chat_id):
            raise Refused(
                400, {"ok": False, "error_code": 400, "description": "Bad Request: chat_id is empty"}
            )
        text = _text(body, "text")
        if not text or len(text) > 4096:
            raise Refused(
                400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
            )
        return {
            "ok": True,
            "result": {
                "message_id": self.next_id(),
                "chat": {"id": chat_id},
                "text": text,
                "date": 1767225600,
            },
        }

    # ---- forced failures ----

    def failure(self, platform: str, kind: str) -> Refused:
        if platform == "meta":
            if kind == "rate_limit":
                return _graph_error("(#4) Application request limit reached", code=4, status=400)
            return _graph_error("(#100) Invalid parameter", code=100)
        if platform == "x":
            if kind == "rate_limit":
                return Refused(
                    429,
                    {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
                    {"x-rate-limit-reset": "0"},
                )
            return Refused(
                403,
                {
                    "title": "Forbidden",
                    "detail": "You are not permitted to perform this action.",
                    "status": 403,
                },
            )
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


class FakePlatforms:
    def __init__(self, server: ThreadingHTTPServer, state: _State, thread: threading.Thread):
        self._server, self._state, self._thread = server, state, thread
        host, port = server.server_address[:2]
        self.url = f"http://{host!s}:{port}"

    @property
    def base_urls(self) -> dict[str, str]:
        return {
            "meta": f"{self.url}/meta/{GRAPH_VERSION}",
            "x": f"{self.url}/x",
            "telegram": f"{self.url}/telegram",
        }

    @property
    def env(self) -> dict[str, str]:
        """The settings that point Heard's connectors at these fakes."""
        urls = self.base_urls
        return {"META_GRAPH_URL": urls["meta"], "X_API_URL": urls["x"], "TELEGRAM_API_URL": urls["telegram"]}

    @property
    def sent(self) -> list[dict[str, Any]]:
        with self._state.lock:
            return list(self._state.sent)

    def fail_next(self, platform: str, kind: str = "error") -> None:
        if platform not in ("meta", "x", "telegram") or kind not in FAILURES:
            raise ValueError(f"fail_next(platform in meta|x|telegram, kind in {FAILURES})")
        with self._state.lock:
            self._state.failures.setdefault(platform, []).append(kind)

    def set_subscription(self, platform: str, active: bool) -> None:
        with self._state.lock:
            self._state.subscribed[platform] = active

    def reset(self) -> None:
        with self._state.lock:
            self._state.sent.clear()
            self._state.failures.clear()
            self._state.subscribed.update(meta=True, x=True)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _handler_class(state: _State) -> type[BaseHTTPRequestHandler]:
    platforms = _Platforms(state)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            return

        def do_GET(self) -> None:
            if self.path.split("?", 1)[0] == "/_sent":
                with state.lock:
                    self._reply(200, list(state.sent))
                return
            self._route("GET")

        def do_POST(self) -> None:
            self._route("POST")

        def _route(self, method: str) -> None:
            path = self.path.split("?", 1)[0]
            platform, _, rest = path.lstrip("/").partition("/")
            rest = "/" + rest
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else {}
            except ValueError:
                body = None
            auth = self.headers.get("Authorization") or ""
            token = auth.removeprefix("Bearer ").strip() or None
            if token is None and "access_token=" in self.path:
                token = self.path.split("access_token=", 1)[1].split("&", 1)[0] or None
            record: dict[str, Any] = {"platform": platform, "method": method, "path": rest, "json": body}
            try:
                if platform not in ("meta", "x", "telegram"):
                    raise Refused(404, {"message": f"no fake platform {platform!r}"})
                if not isinstance(body, dict):
                    raise Refused(400, {"message": "body must be a JSON object"})
                with state.lock:
                    queued = state.failures.get(platform) or []
                    forced = queued.pop(0) if queued else None
                if forced:
                    raise platforms.failure(platform, forced)
                if platform == "meta":
                    answer = platforms.meta(method, rest, body, token)
                elif platform == "x":
                    answer = platforms.x(method, rest, body, token)
                else:
                    answer = platforms.telegram(method, rest, body)
            except Refused as refused:
                record.update(status=refused.status, error=refused.body)
                self._record(record, method)
                self._reply(refused.status, refused.body, refused.headers)
                return
            record.update(status=200 if platform != "x" or method == "GET" else 201, id=_answer_id(answer))
            self._record(record, method)
            self._reply(record["status"], answer)

        def _record(self, record: dict[str, Any], method: str) -> None:
            if method == "POST":  # health checks (GET) are not "sent" messages
                with state.lock:
                    state.sent.append(record)

        def _reply(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _answer_id(answer: dict[str, Any]) -> str | None:
    for candidate in (
        answer.get("id"),
        answer.get("message_id"),
        (answer.get("data") or {}).get("id") if isinstance(answer.get("data"), dict) else None,
        (answer.get("data") or {}).get("dm_event_id") if isinstance(answer.get("data"), dict) else None,
        (answer.get("result") or {}).get("message_id") if isinstance(answer.get("result"), dict) else None,
    ):
        if candidate is not None:
            return str(candidate)
    messages = answer.get("messages")
    if isinstance(messages, list) and messages and isinstance(messages[0], dict):
        return str(messages[0].get("id"))
    return None


def start_fake_platforms(host: str = "127.0.0.1", port: int = 0) -> FakePlatforms:
    state = _State()
    server = ThreadingHTTPServer((host, port), _handler_class(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="fake-platforms", daemon=True)
    thread.start()
    return FakePlatforms(server, state, thread)
