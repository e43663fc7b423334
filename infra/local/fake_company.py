"""A fake of the company's own order system, for the local stack and the tests (issue #17).

It answers Heard's signed lookups as a company's HTTPS endpoint would (docs/integrations.md): it checks the
`X-Heard-Signature` over timestamp + body with the local secret and refuses a stale timestamp (401), then
answers from demo data: order A-10042 is out for delivery, any other order number of the usual shape is
in transit, one ending in 404 is unknown, an email or phone finds a demo customer with two orders. It
records each request it accepted or refused (`.received`, or `GET /_received`), and can be told to fail
(`fail_next`) or to answer slowly (`delay_seconds`) to exercise the adapter's timeout and breaker.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from infra.local.fake_http import QuietHandler, serve
from shared.rules.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify

LOCAL_COMPANY_SECRET = "heard-local-company-secret"  # the local stack's COMPANY_HMAC_SECRET
PATH = "/lookup"


def _order(number: str, status: str, days: int, carrier: str = "Parcelforce") -> dict[str, Any]:
    today = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    return {
        "order_number": number,
        "status": status,
        "placed_at": (today - timedelta(days=5)).isoformat(),
        "expected_at": (today + timedelta(days=days)).isoformat(),
        "carrier": carrier,
        "tracking_url": f"https://tracking.example.com/{number}",
        "summary": "1 item: K2 kettle",
        # What a real system also sends and Heard must not keep: dropped by the adapter's validation.
        "delivery_address": "1 Example Street, London",
    }


def answer(kind: str, value: str) -> dict[str, Any]:
    if kind == "order":
        number = value.upper()
        if number.endswith("404"):
            return {"found": False}
        if number == "A-10042":
            return {"found": True, "orders": [_order(number, "Out for delivery", 0)]}
        return {"found": True, "orders": [_order(number, "In transit", 2)]}
    orders = [_order("A-10042", "Out for delivery", 0), _order("A-09977", "Delivered", -20)]
    return {"found": True, "customer_name": "Jo Demo", "orders": orders}


@dataclass
class _State:
    received: list[dict[str, Any]] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    delay_seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class FakeCompany:
    def __init__(self, server: ThreadingHTTPServer, state: _State, thread: threading.Thread):
        self._server, self._state, self._thread = server, state, thread
        host, port = server.server_address[:2]
        self.url = f"http://{host!s}:{port}{PATH}"

    @property
    def received(self) -> list[dict[str, Any]]:
        with self._state.lock:
            return list(self._state.received)

    def fail_next(self, status: int = 500, times: int = 1) -> None:
        with self._state.lock:
            self._state.failures.extend([status] * times)

    def delay(self, seconds: float) -> None:
        with self._state.lock:
            self._state.delay_seconds = seconds

    def reset(self) -> None:
        with self._state.lock:
            self._state.received.clear()
            self._state.failures.clear()
            self._state.delay_seconds = 0.0

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _decide(state: _State, path: str, signed: bool, raw: bytes) -> tuple[int, dict[str, Any]]:
    try:
        asked = json.loads(raw)
    except ValueError:
        asked = None
    with state.lock:
        forced = state.failures.pop(0) if state.failures else None
        state.received.append({"path": path, "signed": signed, "json": asked})
    if path != PATH:
        return 404, {"message": "not found"}
    if not signed:
        return 401, {"message": "bad signature or stale timestamp"}
    if forced:
        return forced, {"message": "the order system is down"}
    if not isinstance(asked, dict) or asked.get("kind") not in ("order", "email", "phone"):
        return 400, {"message": "kind and value are required"}
    return 200, answer(str(asked["kind"]), str(asked.get("value") or ""))


def _handler_class(state: _State, secret: str) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:
            if self.path.split("?", 1)[0] == "/_received":
                with state.lock:
                    self._reply(200, list(state.received))
                return
            self._reply(404, {"message": "not found"})

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, body = self._answer(raw)
            with state.lock:
                delay = state.delay_seconds
            if delay:
                time.sleep(delay)
            self._reply(status, body)

        def _answer(self, raw: bytes) -> tuple[int, dict[str, Any]]:
            timestamp = self.headers.get(TIMESTAMP_HEADER) or ""
            signed = verify(secret, timestamp, raw, self.headers.get(SIGNATURE_HEADER) or "", time.time())
            return _decide(state, self.path, signed, raw)

        def _reply(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def start_fake_company(
    host: str = "127.0.0.1", port: int = 0, secret: str = LOCAL_COMPANY_SECRET
) -> FakeCompany:
    state = _State()
    server, thread = serve(_handler_class(state, secret), host, port, "fake-company")
    return FakeCompany(server, state, thread)
