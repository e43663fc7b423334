"""What the local stack's fake HTTP services (platforms, the company's systems, the chat webhook) share:
a handler that keeps test output quiet, and a threading server on a daemon thread."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class QuietHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (BaseHTTPRequestHandler's name)
        return


def serve(
    handler: type[BaseHTTPRequestHandler], host: str, port: int, name: str
) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """`handler` served on host:port (0: a free port) by a daemon thread named `name`, started."""
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    return server, thread
