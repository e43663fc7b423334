"""The HTTP server around the built-in fakes of the platform APIs Heard replies through.

Each platform's fake lives in its own package (`shared/platforms/<name>/fake.py`, named by its spec);
this server mounts every registered one at `/<name>` and derives the URL settings from the specs, so the
local stack and the tests point e.g. META_GRAPH_URL / X_API_URL / TELEGRAM_API_URL at `.base_urls`
through `.env`. The fakes check what the real APIs check first, answer in the real shapes, record every
request (`.sent`, or `GET /_sent`), and can be told to fail the next call (`fail_next`) or to report a
lapsed webhook subscription (`set_subscription`).
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from infra.local.fake_http import QuietHandler, serve
from shared.platforms import specs
from shared.platforms.fakes import FAILURES, FakeApi, FakeContext, Refused, media_png

SUBSCRIBABLE = ("meta", "x")  # platforms whose fake reports a webhook subscription state


def _fakes() -> dict[str, FakeApi]:
    return {spec.name: spec.load(spec.fake)() for spec in specs() if spec.fake}


def _urls(fakes: dict[str, FakeApi]) -> dict[str, str]:
    """Setting name -> spec, for every platform with both a fake and an API URL setting."""
    return {spec.api_url.env: spec.name for spec in specs() if spec.api_url and spec.name in fakes}


@dataclass
class _State:
    sent: list[dict[str, Any]] = field(default_factory=list)
    failures: dict[str, list[str]] = field(default_factory=dict)
    subscribed: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(SUBSCRIBABLE, True))
    counter: Any = field(default_factory=lambda: itertools.count(1))
    lock: threading.Lock = field(default_factory=threading.Lock)


class FakePlatforms:
    def __init__(
        self, server: ThreadingHTTPServer, state: _State, thread: threading.Thread, fakes: dict[str, FakeApi]
    ):
        self._server, self._state, self._thread, self._fakes = server, state, thread, fakes
        host, port = server.server_address[:2]
        self.url = f"http://{host!s}:{port}"

    @property
    def base_urls(self) -> dict[str, str]:
        return {name: f"{self.url}/{name}{fake.prefix}" for name, fake in self._fakes.items()}

    @property
    def env(self) -> dict[str, str]:
        """The settings that point Heard's connectors at these fakes."""
        urls = self.base_urls
        return {env: urls[name] for env, name in _urls(self._fakes).items()}

    @property
    def sent(self) -> list[dict[str, Any]]:
        with self._state.lock:
            return list(self._state.sent)

    def fail_next(self, platform: str, kind: str = "error") -> None:
        if platform not in self._fakes or kind not in FAILURES:
            raise ValueError(f"fail_next(platform in {'|'.join(self._fakes)}, kind in {FAILURES})")
        with self._state.lock:
            self._state.failures.setdefault(platform, []).append(kind)

    def set_subscription(self, platform: str, active: bool) -> None:
        with self._state.lock:
            self._state.subscribed[platform] = active

    def reset(self) -> None:
        with self._state.lock:
            self._state.sent.clear()
            self._state.failures.clear()
            self._state.subscribed.update(dict.fromkeys(SUBSCRIBABLE, True))

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _handler_class(state: _State, fakes: dict[str, FakeApi]) -> type[BaseHTTPRequestHandler]:
    def next_id() -> int:
        with state.lock:
            return int(next(state.counter))

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            if self.path.split("?", 1)[0] == "/_sent":
                with state.lock:
                    self._reply(200, list(state.sent))
                return
            self._route("GET")

        def do_POST(self) -> None:
            self._route("POST")

        def do_PUT(self) -> None:  # X hides replies with PUT
            self._route("PUT")

        def do_DELETE(self) -> None:  # Meta deletes comments and unblocks people with DELETE
            self._route("DELETE")

        def _route(self, method: str) -> None:
            path = self.path.split("?", 1)[0]
            platform, _, rest = path.lstrip("/").partition("/")
            rest = "/" + rest
            if method == "GET" and "/_media/" in rest:  # the platforms' media CDN: customers' attachments
                self._media()
                return
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
            # Which credentials were used (several accounts per platform, issue #16): the token's end only.
            record["token_suffix"] = token[-6:] if token else None
            try:
                fake = fakes.get(platform)
                if fake is None:
                    raise Refused(404, {"message": f"no fake platform {platform!r}"})
                if not isinstance(body, dict):
                    raise Refused(400, {"message": "body must be a JSON object"})
                missing = [h for h in getattr(fake, "required_headers", ()) if not self.headers.get(h)]
                if missing:  # e.g. LinkedIn's version headers: the real API refuses a call without them
                    raise Refused(400, {"message": f"missing header {', '.join(missing)}"})
                with state.lock:
                    queued = state.failures.get(platform) or []
                    forced = queued.pop(0) if queued else None
                if forced:
                    raise fake.failure(forced)
                address = self.server.server_address
                host, port = (address[0], address[1]) if isinstance(address, tuple) else (address, 0)
                ctx = FakeContext(
                    next_id,
                    lambda: state.subscribed.get(platform, True),
                    f"http://{host!s}:{port}/{platform}",
                )
                answer = fake.handle(ctx, method, rest, body, token)
            except Refused as refused:
                record.update(status=refused.status, error=refused.body)
                self._record(record, method)
                self._reply(refused.status, refused.body, refused.headers)
                return
            record.update(status=fake.created_status if method == "POST" else 200, id=_answer_id(answer))
            self._record(record, method)
            self._reply(record["status"], answer)

        def _record(self, record: dict[str, Any], method: str) -> None:
            if method != "GET":  # health checks (GET) are not "sent" messages; moderation calls are
                with state.lock:
                    state.sent.append(record)

        def _media(self) -> None:
            data = media_png()
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

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
    state, fakes = _State(), _fakes()
    server, thread = serve(_handler_class(state, fakes), host, port, "fake-platforms")
    return FakePlatforms(server, state, thread, fakes)
