"""A tiny HTTP client for the end-to-end tests (urllib only: what a platform or the console sends)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def call(
    base_url: str,
    method: str,
    path: str,
    *,
    token: str | None = None,
    json_body: Any = None,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> Answer:
    sent_headers = dict(headers or {})
    if json_body is not None:
        body = json.dumps(json_body).encode()
        sent_headers.setdefault("Content-Type", "application/json")
    if token is not None:
        sent_headers["Authorization"] = token
    request = urllib.request.Request(base_url + path, data=body, headers=sent_headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read())


def wait_for(probe: Callable[[], T | None], timeout: float = 15.0, interval: float = 0.2) -> T | None:
    """Poll `probe` until it returns something truthy, or None after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)
