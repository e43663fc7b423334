"""The HTTP front door: API Gateway's part on one machine.

Every `HttpRoute` of the wiring becomes a REST (v1) proxy event for its function; Cognito routes have
their id token verified first, as the authorizer would. Alongside: `/health`, `/config.json` for the
console, `/cognito` (a same-origin proxy to the embedded Cognito for sign-in), `/files/...` (presigned
report download links, passed to the embedded S3), `/fake/sent` (what the fake platforms received),
`/fake/mail` (what SES and SNS sent) and the console's static files.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import mimetypes
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from infra.local.auth import CognitoVerifier, Unauthorized
from infra.local.events import apigw_claims, apigw_event
from infra.local.invoke import HandlerUnavailable, Invoker
from infra.wiring import Auth, Wiring

log = logging.getLogger("heard.local")

MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# The sign-in calls the console may make without AWS credentials; admin calls are not proxied.
COGNITO_PUBLIC_TARGETS = frozenset(
    {
        "InitiateAuth",
        "RespondToAuthChallenge",
        "GetUser",
        "GlobalSignOut",
        "RevokeToken",
        "ChangePassword",
    }
)
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass(frozen=True)
class Route:
    method: str  # GET, POST, ... or ANY
    path: str  # API Gateway resource path template
    function_id: str
    auth: Auth
    pattern: re.Pattern[str]

    @property
    def specificity(self) -> tuple[int, int, int]:
        # API Gateway prefers literal segments over {param} over {proxy+}; a method over ANY.
        segments = [s for s in self.path.split("/") if s]
        literals = sum(1 for s in segments if not s.startswith("{"))
        greedy = 1 if self.path.endswith("+}") else 0
        return (-literals, greedy, 1 if self.method == "ANY" else 0)


def compile_template(template: str) -> re.Pattern[str]:
    """`/webhooks/{platform}` -> one segment per parameter; `{proxy+}` -> one or more segments."""
    parts = []
    for segment in template.strip("/").split("/"):
        greedy = re.fullmatch(r"\{(\w+)\+\}", segment)
        single = re.fullmatch(r"\{(\w+)\}", segment)
        if greedy:
            parts.append(f"(?P<{greedy.group(1)}>.+)")
        elif single:
            parts.append(f"(?P<{single.group(1)}>[^/]+)")
        else:
            parts.append(re.escape(segment))
    return re.compile("^/" + "/".join(parts) + "$")


def build_routes(wiring: Wiring) -> list[Route]:
    """Every route of the wiring, most specific first (the order a request is matched in)."""
    routes = [
        Route(r.method.upper(), r.path, fn.id, r.auth, compile_template(r.path))
        for fn in wiring.functions
        for r in fn.routes
    ]
    return sorted(routes, key=lambda r: (r.specificity, r.path, r.method))


def match_route(routes: list[Route], method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    for route in routes:
        if route.method not in (method, "ANY"):
            continue
        found = route.pattern.match(path)
        if found:
            return route, found.groupdict()
    return None


@dataclass
class FrontDoorDeps:
    wiring: Wiring
    invoker: Invoker
    ready: threading.Event
    verifier: Callable[[], CognitoVerifier | None]
    config: Callable[[], dict[str, Any]]
    moto_url: Callable[[], str]
    fake_sent: Callable[[], Any]
    console_dir: Path | None
    # A public page (the crisis status pages, as CloudFront serves them in AWS): its bytes, or None
    public_page: Callable[[str], bytes | None] = lambda path: None
    # What SES and SNS sent (moto keeps it): {"emails": [...], "sms": [...]}
    sent_mail: Callable[[], dict[str, Any]] = lambda: {"emails": [], "sms": []}
    # What the fake chat webhook received (issue #17): {"url": ..., "items": [...]}
    fake_chat: Callable[[], dict[str, Any]] = lambda: {"url": None, "items": []}


PUBLIC_PAGE = re.compile(r"^/status/[0-9a-z]{1,64}\.html$")
PUBLIC_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

# Connections waiting to be accepted. socketserver's default of 5 reset 6-10% of connections at 50
# concurrent clients; the kernel caps this at net.core.somaxconn (4096 on current Linux).
LISTEN_BACKLOG = 1024
DRAIN_SECONDS = 10.0


class _Server(ThreadingHTTPServer):
    request_queue_size = LISTEN_BACKLOG
    daemon_threads = True


class FrontDoor:
    def __init__(self, deps: FrontDoorDeps, host: str = "127.0.0.1", port: int = 0) -> None:
        self.deps = deps
        self.routes = build_routes(deps.wiring)
        self._prefixes = {"/" + r.path.strip("/").split("/")[0] for r in self.routes}
        handler = type("BoundRequestHandler", (_RequestHandler,), {"door": self})
        self._server = _Server((host, port), handler)
        self._thread: threading.Thread | None = None
        self._active = 0
        self._idle = threading.Condition()
        self._closed = False

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name="heard-frontdoor",
            daemon=True,
        )
        self._thread.start()

    def stop(self, drain_seconds: float = DRAIN_SECONDS) -> bool:
        """Stop accepting connections, then wait for the requests being handled; False if some were cut off.

        Requests already read are answered; a request arriving on a kept-alive connection meanwhile gets
        503 (the stack is no longer ready) and the connection is closed."""
        if not self._closed:
            self._closed = True
            self._server.shutdown()
            self._server.server_close()  # the listening socket: new connections are refused
            if self._thread:
                self._thread.join(timeout=5)
        deadline = time.monotonic() + drain_seconds
        with self._idle:
            while self._active:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    log.warning(
                        "front door stopped with requests in flight", extra={"requests": self._active}
                    )
                    return False
                self._idle.wait(remaining)
        return True

    def _enter(self) -> None:
        with self._idle:
            self._active += 1

    def _leave(self) -> None:
        with self._idle:
            self._active -= 1
            if not self._active:
                self._idle.notify_all()

    def is_api_path(self, path: str) -> bool:
        return any(path == p or path.startswith(p + "/") for p in self._prefixes)


class _RequestHandler(BaseHTTPRequestHandler):
    door: FrontDoor
    protocol_version = "HTTP/1.1"
    server_version = "HeardLocal"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (BaseHTTPRequestHandler's name)
        pass  # one structured line per request is logged in _dispatch instead

    # every method goes through one dispatcher
    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_OPTIONS(self) -> None:
        self._dispatch("OPTIONS")

    # ---- plumbing ------------------------------------------------------------------------------------

    def _dispatch(self, method: str) -> None:
        started = time.monotonic()
        status = 500
        self.door._enter()
        try:
            status = self._route(method)
        finally:
            self.door._leave()
            # API and webhook calls are worth a line each; health checks and console files are not.
            level = logging.INFO if self.door.is_api_path(urlsplit(self.path).path) else logging.DEBUG
            log.log(
                level,
                "http request",
                extra={
                    "method": method,
                    "path": self.path,
                    "status": status,
                    "ms": round((time.monotonic() - started) * 1000),
                },
            )

    def _read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            size = int(length)
        except ValueError:
            return None
        if size < 0 or size > MAX_BODY_BYTES:
            return None
        return self.rfile.read(size)

    def _send(
        self,
        status: int,
        body: bytes,
        headers: list[tuple[str, str]] | None = None,
        content_type: str | None = "application/json",
    ) -> int:
        self.send_response(status)
        names = {name.lower() for name, _ in headers or []}
        if content_type and "content-type" not in names:
            self.send_header("Content-Type", content_type)
        for name, value in headers or []:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return status

    def _public(self, path: str) -> int:
        """A public status page from its bucket, with the headers CloudFront adds in AWS."""
        page = self.door.deps.public_page(path) if PUBLIC_PAGE.match(path) else None
        if page is None:
            return self._json(404, {"message": "Not Found"})
        headers = [
            ("Cache-Control", "public, max-age=30"),
            ("Content-Security-Policy", PUBLIC_CSP),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "no-referrer"),
        ]
        return self._send(200, page, headers, content_type="text/html; charset=utf-8")

    def _fake(self, path: str) -> int:
        """What the fake platforms received (`/fake/sent`) and what SES and SNS sent (`/fake/mail`)."""
        from infra.local import sent_mail

        if path == "/fake/sent":
            return self._json(200, {"items": self.door.deps.fake_sent()})
        if path == "/fake/chat":  # what the fake Slack/Teams webhook received
            return self._json(200, self.door.deps.fake_chat(), [("Cache-Control", "no-store")])
        if path not in ("/fake/mail", "/fake/mail.json"):
            return self._json(404, {"message": "Not Found"})
        data = self.door.deps.sent_mail()
        if path.endswith(".json"):
            return self._json(200, data, [("Cache-Control", "no-store")])
        headers = [("Cache-Control", "no-store"), ("Content-Security-Policy", sent_mail.PAGE_CSP)]
        return self._send(200, sent_mail.page(data), headers, content_type="text/html; charset=utf-8")

    def _json(self, status: int, payload: Any, headers: list[tuple[str, str]] | None = None) -> int:
        return self._send(status, json.dumps(payload, default=str).encode(), headers)

    def _route(self, method: str) -> int:
        parts = urlsplit(self.path)
        path = parts.path or "/"
        body = self._read_body()
        if body is None:
            self.close_connection = True
            return self._json(413, {"message": "Request Too Long"})
        door = self.door
        if path == "/health" and method in ("GET", "HEAD"):
            if door.deps.ready.is_set():
                return self._json(200, {"status": "ok"})
            return self._json(503, {"status": "stopping" if door._closed else "starting"})
        if path == "/config.json" and method in ("GET", "HEAD"):
            return self._json(200, door.deps.config(), [("Cache-Control", "no-store")])
        if path == "/cognito" and method == "POST":
            return self._cognito(body)
        if path.startswith("/fake/") and method in ("GET", "HEAD"):
            return self._fake(path)
        if path.startswith(("/status/", "/files/")) and method in ("GET", "HEAD"):
            return self._public(path) if path.startswith("/status/") else self._file(path, parts.query)
        matched = match_route(door.routes, method, path)
        if matched and not door.deps.ready.is_set():
            # Starting (resources not created yet) or stopping: nothing is accepted, the sender retries.
            self.close_connection = True
            return self._json(503, {"message": "Heard is starting or stopping"}, [("Retry-After", "5")])
        if matched:
            return self._invoke(method, parts.path, parts.query, body, *matched)
        if door.is_api_path(path):
            # API Gateway REST's answer for a resource/method it does not have.
            return self._json(403, {"message": "Missing Authentication Token"})
        if method in ("GET", "HEAD"):
            return self._static(path)
        return self._json(404, {"message": "Not Found"})

    def _invoke(
        self, method: str, raw_path: str, query: str, body: bytes, route: Route, params: dict[str, str]
    ) -> int:
        claims = None
        if route.auth == Auth.COGNITO:
            verifier = self.door.deps.verifier()
            try:
                if verifier is None:
                    raise Unauthorized("the user pool is not ready")
                claims = apigw_claims(verifier.verify(self.headers.get("Authorization")))
            except Unauthorized as error:
                log.info("request unauthorized", extra={"path": raw_path, "reason": str(error)})
                return self._json(401, {"message": "Unauthorized"})
        event = apigw_event(
            method=method,
            raw_path=raw_path,
            query=query,
            headers=list(self.headers.items()),
            body=body,
            resource=route.path,
            path_parameters={k: unquote(v) for k, v in params.items()},
            source_ip=self.client_address[0],
            claims=claims,
        )
        try:
            result = self.door.deps.invoker.invoke(route.function_id, event)
        except HandlerUnavailable as error:
            log.error("handler unavailable", extra={"function": route.function_id, "error": str(error)})
            return self._json(502, {"message": "Internal server error"})
        except Exception:  # noqa: BLE001 (any handler failure is a Lambda function error: 502, logged)
            log.exception("handler failed", extra={"function": route.function_id, "path": raw_path})
            return self._json(502, {"message": "Internal server error"})
        return self._proxy_response(route, result)

    def _proxy_response(self, route: Route, result: Any) -> int:
        # API Gateway answers 502 when a proxy integration returns something malformed.
        if not isinstance(result, dict) or not isinstance(result.get("statusCode"), int):
            log.error("malformed proxy response", extra={"function": route.function_id})
            return self._json(502, {"message": "Internal server error"})
        headers: list[tuple[str, str]] = []
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers.extend((name, str(v)) for v in values)
        seen = {name.lower() for name, _ in headers}
        headers.extend((n, str(v)) for n, v in (result.get("headers") or {}).items() if n.lower() not in seen)
        raw = result.get("body") or ""
        try:
            payload = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode()
        except (binascii.Error, ValueError):
            log.error("malformed proxy response", extra={"function": route.function_id})
            return self._json(502, {"message": "Internal server error"})
        return self._send(result["statusCode"], payload, headers, content_type="application/json")

    def _file(self, path: str, query: str) -> int:
        """A presigned S3 link (report downloads) passed to the embedded S3, as S3 itself answers it in
        AWS; a request without a signature is refused."""
        if "Signature=" not in query:  # SigV2 (Signature=) or SigV4 (X-Amz-Signature=)
            return self._json(403, {"message": "a signed link is required"})
        target = self.door.deps.moto_url() + path[len("/files") :] + "?" + query
        request = urllib.request.Request(target, method=self.command)  # noqa: S310 (the embedded moto server)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                status, payload, headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, payload, headers = error.code, error.read(), error.headers
        kept = [(n, v) for n, v in headers.items() if n.lower() in ("content-type", "content-disposition")]
        return self._send(status, payload, kept, content_type=None)

    def _cognito(self, body: bytes) -> int:
        target = self.headers.get("X-Amz-Target", "")
        service, _, operation = target.partition(".")
        if service != "AWSCognitoIdentityProviderService" or operation not in COGNITO_PUBLIC_TARGETS:
            return self._json(
                400,
                {
                    "__type": "InvalidParameterException",
                    "message": f"operation not available locally: {target or 'none'}",
                },
            )
        request = urllib.request.Request(  # noqa: S310 (the embedded moto server)
            self.door.deps.moto_url() + "/",
            data=body,
            method="POST",
            headers={
                "X-Amz-Target": target,
                "Content-Type": self.headers.get("Content-Type", "application/x-amz-json-1.1"),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                status, payload, ctype = (
                    response.status,
                    response.read(),
                    response.headers.get("Content-Type"),
                )
        except urllib.error.HTTPError as error:
            status, payload, ctype = error.code, error.read(), error.headers.get("Content-Type")
        return self._send(status, payload, content_type=ctype or "application/x-amz-json-1.1")

    def _static(self, path: str) -> int:
        root = self.door.deps.console_dir
        if root is None or not root.is_dir():
            return self._json(404, {"message": "Not Found"})
        relative = unquote(path).lstrip("/") or "index.html"
        base = root.resolve()
        target = (base / relative).resolve()
        if not target.is_relative_to(base):  # no way out of console/
            return self._json(404, {"message": "Not Found"})
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return self._json(404, {"message": "Not Found"})
        ctype = CONTENT_TYPES.get(target.suffix.lower()) or mimetypes.guess_type(target.name)[0]
        return self._send(
            200,
            target.read_bytes(),
            [("Cache-Control", "no-cache")],
            content_type=ctype or "application/octet-stream",
        )
