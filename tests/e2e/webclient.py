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


# ---- helpers shared by the platform and crisis end-to-end tests --------------------------------------


def deliver(stack: Any, platform: str, payload: Any, *, headers: Mapping[str, str] | None = None) -> Answer:
    """POST `payload` to /webhooks/<platform>, signed as that platform signs it (unless `headers` is given)."""
    from datetime import UTC, datetime

    from tests.fixtures.webhooks.signing import signed_headers

    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    sent = {"Content-Type": "application/json"}
    sent.update(headers if headers is not None else signed_headers(platform, body, datetime.now(UTC)))
    return call(stack.base_url, "POST", f"/webhooks/{platform}", body=body, headers=sent)


def cases_of_customer(
    stack: Any, token: str, customer_id: str, status: str | None = None
) -> list[dict[str, Any]]:
    """The cases (of one status, or queued + assigned + resolved) whose customer has this id."""
    found: dict[str, dict[str, Any]] = {}
    for wanted in [status] if status else ["queued", "assigned", "resolved"]:
        answer = call(stack.base_url, "GET", f"/api/cases?status={wanted}&limit=200", token=token)
        assert answer.status == 200, answer.body
        for case in answer.json()["items"]:
            if case["customer"]["id"] == customer_id:
                found[case["case_id"]] = case
    return list(found.values())


def case_detail(stack: Any, token: str, case_id: str) -> dict[str, Any]:
    """GET /api/cases/{id}: {"case": ..., "timeline": [...]}."""
    answer = call(stack.base_url, "GET", f"/api/cases/{case_id}", token=token)
    assert answer.status == 200, answer.body
    detail: dict[str, Any] = answer.json()
    return detail


def reply_entry(stack: Any, token: str, case_id: str, entry_id: str) -> dict[str, Any] | None:
    """One reply's timeline entry, as the console shows it (its data carries the delivery state)."""
    timeline = case_detail(stack, token, case_id)["timeline"]
    return next((e for e in timeline if e["entry_id"] == entry_id), None)


def sent_to_fakes(stack: Any, needle: str) -> list[dict[str, Any]]:
    """The requests the fake platforms received (GET /fake/sent) whose JSON body contains `needle`."""
    answer = call(stack.base_url, "GET", "/fake/sent")
    assert answer.status == 200, answer.body
    return [r for r in answer.json()["items"] if needle in json.dumps(r.get("json"))]


def resolve_case(stack: Any, token: str, case_id: str) -> None:
    """Resolve a case (so its owner keeps capacity for the other tests sharing the stack)."""
    answer = call(stack.base_url, "POST", f"/api/cases/{case_id}/resolve", token=token, json_body={})
    assert answer.status == 200, answer.body
