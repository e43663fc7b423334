"""What the console's browser tests share: Chromium's location and flags, signing a webhook, the API
and sign-in helpers. The fixtures (one browser per session, pages) are in conftest.py."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import string
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
META_SECRET = b"heard-local-meta-secret"  # the local stack's documented default
WAIT_MS = 15_000  # the longest any element may take to appear (the API runs on moto, not AWS)


# ---- helpers -----------------------------------------------------------------------------------------


def _marker() -> str:
    # Letters only, so no personal-data redaction (numbers, emails) can touch it in the case summary.
    return "".join(random.choices(string.ascii_lowercase, k=10))


def _post_meta_comment(base_url: str, text: str, marker: str) -> int:
    now = int(time.time())
    body = json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": "555000111",
                    "time": now,
                    "changes": [
                        {
                            "field": "feed",
                            "value": {
                                "item": "comment",
                                "verb": "add",
                                "comment_id": f"9001_{marker}",
                                "post_id": "555000111_9001",
                                "parent_id": "555000111_9001",
                                "from": {"id": f"browser-{marker}", "name": "Dana Browser"},
                                "created_time": now,
                                "message": text,
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()
    signature = "sha256=" + hmac.new(META_SECRET, body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(
        f"{base_url}/webhooks/meta",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


def _json(
    url: str,
    *,
    token: str | None = None,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    all_headers = dict(headers or {})
    if token:
        all_headers["Authorization"] = token
    data = None if body is None else json.dumps(body).encode()
    if data is not None:
        all_headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, headers=all_headers, method="POST" if data else "GET")
    with urllib.request.urlopen(request, timeout=10) as response:
        raw = response.read()
        return json.loads(raw) if raw else None


def _id_token(base_url: str, email: str, password: str) -> str:
    """Sign in the way the console does (Cognito USER_PASSWORD_AUTH at the configured endpoint)."""
    config = _json(f"{base_url}/config.json")
    answer = _json(
        config["cognitoEndpoint"],
        body={
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": config["clientId"],
            "AuthParameters": {"USERNAME": email, "PASSWORD": password},
        },
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
        },
    )
    return str(answer["AuthenticationResult"]["IdToken"])


def _wait_for_queued_case(base_url: str, token: str, marker: str, timeout: float = 20.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        items = _json(f"{base_url}/api/cases?status=queued&limit=100", token=token)["items"]
        found = [c for c in items if marker in c.get("summary", "")]
        if found:
            return dict(found[0])
        if time.monotonic() > deadline:
            raise AssertionError(f"no queued case with {marker!r} after {timeout}s; queued: {len(items)}")
        time.sleep(0.25)


def _call(base_url: str, method: str, path: str, token: str, body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Authorization": token, **({"Content-Type": "application/json"} if data else {})}
    request = urllib.request.Request(f"{base_url}/api{path}", data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        raw = response.read()
        return json.loads(raw) if raw else None


def _restore_config(base_url: str, token: str, before: dict[str, Any]) -> None:
    """Put a configuration read earlier back, over whatever was saved since (as its next revision)."""
    revision = _call(base_url, "GET", "/config", token)["config"]["revision"]
    _call(base_url, "PUT", "/config", token, {**before, "revision": revision})


def _sign_in(page: Any, email: str, password: str) -> None:
    from playwright.sync_api import expect

    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in to Heard")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#user-email")).to_have_text(email)


# ---- tests -------------------------------------------------------------------------------------------
