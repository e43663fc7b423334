"""A fake Slack/Teams incoming webhook, for the local stack and the tests (issue #17).

It accepts JSON POSTs on any path under `/hooks/` as the chat tools do (200 "ok"), and keeps each one
(`.received`; `GET /_received`; the local stack shows them at `/fake/chat`). A path under `/fail/` answers
500, as a chat tool that is down, and `fail_next` makes the next posts fail, to exercise the notifier's
retries and dead-letter queue. `make run` logs its address: paste `<address>/hooks/demo` in the console.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from infra.local.fake_http import QuietHandler, serve

MAX_BODY = 64 * 1024


@dataclass
class _State:
    received: list[dict[str, Any]] = field(default_factory=list)
    fail_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class FakeChat:
    server: ThreadingHTTPServer
    state: _State
    thread: threading.Thread

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def received(self) -> list[dict[str, Any]]:
        with self.state.lock:
            return list(self.state.received)

    def fail(self, times: int) -> None:
        with self.state.lock:
            self.state.fail_next = times

    def clear(self) -> None:
        with self.state.lock:
            self.state.received.clear()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def _decide(state: _State, path: str, raw: bytes) -> int:
    try:
        body = json.loads(raw or b"null")
    except ValueError:
        return 400
    with state.lock:
        if not path.startswith(("/hooks/", "/fail/")) or not isinstance(body, dict):
            return 400
        if path.startswith("/fail/") or state.fail_next > 0:
            state.fail_next = max(0, state.fail_next - 1)
            return 500
        at = datetime.now(UTC).isoformat()
        state.received.append({"path": path, "at": at, "json": body})
    return 200


def _handler_class(state: _State) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:
            if self.path.split("?", 1)[0] == "/_received":
                with state.lock:
                    self._reply(200, json.dumps({"items": state.received}).encode())
                return
            self._reply(404, b'{"message":"not found"}')

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._reply(413, b"too large")
                return
            status = _decide(state, self.path.split("?", 1)[0], self.rfile.read(length))
            self._reply(status, b"ok" if status == 200 else b"error")

        def _reply(self, status: int, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if data[:1] in (b"{", b"[") else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def start_fake_chat(host: str = "127.0.0.1", port: int = 0) -> FakeChat:
    state = _State()
    server, thread = serve(_handler_class(state), host, port, "fake-chat")
    return FakeChat(server, state, thread)
