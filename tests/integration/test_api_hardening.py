"""What a fuzzer found in the API (issue #7, items 3 and 7): bodies that cannot be read gave 502, an agent
learnt supervisor routes' schemas from 422 details, and one report dated year 735 broke Reports for all.
Now: authorise first, bad bodies are 400 naming what is wrong, dates outside 2000-2200 are refused."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from functions.api.app import app
from functions.api.auth import allowed_roles
from infra.local.events import apigw_event
from tests.fixtures.lambda_context import fake_context
from tests.integration.test_case_lifecycle import api


def send(
    method: str, path: str, body: bytes, *, role: str = "supervisor", content_type: str = "application/json"
) -> tuple[int, dict[str, Any]]:
    """Send raw bytes, as API Gateway passes them (base64, so invalid UTF-8 arrives as sent)."""
    from functions.api.handler import handler

    event = apigw_event(
        method=method,
        raw_path=path,
        query="",
        headers=[("Content-Type", content_type)],
        body=body,
        resource="/api/{proxy+}",
        path_parameters={"proxy": path.removeprefix("/api/")},
        source_ip="127.0.0.1",
        claims={"email": f"{role}@heard.local", "cognito:groups": role, "sub": f"sub-{role}"},
    )
    answer = handler(event, fake_context())
    return answer["statusCode"], json.loads(answer["body"]) if answer.get("body") else {}


BODY_ROUTES = [
    ("POST", "/api/crises"),
    ("PUT", "/api/config"),
    ("POST", "/api/reports"),
    ("PUT", "/api/me/availability"),
    ("POST", "/api/cases/abcd1234/replies"),
    ("POST", "/api/reviews/abcd1234"),
]
MALFORMED = {
    "invalid UTF-8": (b'{"name": "\xff\xfe"}', "not UTF-8"),
    "arrays nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, "nests 100000 levels"),
    "objects nested 5,000 deep": (b'{"a":' * 5000 + b"1" + b"}" * 5000, "nests 5000 levels"),
    "not JSON": (b"{'single': 'quotes'}", "not valid JSON"),
    "a number too long to read": (b'{"a": ' + b"9" * 5000 + b"}", "not valid JSON"),
    "NaN": (b'{"a": NaN}', "NaN is not a JSON value"),
    "half a character": (b'{"text": "\\ud83d"}', "half a character"),
}


@pytest.mark.parametrize("method,path", BODY_ROUTES)
@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_body_that_cannot_be_read_is_a_400_naming_the_problem(method, path, kind):
    body, says = MALFORMED[kind]
    role = "admin"  # may use every route, so the body is what is judged
    status, answer = send(method, path, body, role=role)
    assert status == 400, (status, answer)
    assert says in answer["message"]


def test_a_body_that_is_not_json_is_a_415():
    status, answer = send("POST", "/api/crises", b"name=x", content_type="application/x-www-form-urlencoded")
    assert status == 415 and "must be JSON" in answer["message"]


@pytest.mark.parametrize(
    "method,path,role",
    [
        ("POST", "/api/crises", "agent"),
        ("PUT", "/api/config", "supervisor"),
        ("POST", "/api/reports", "agent"),
        ("POST", "/api/reviews/abcd1234", "agent"),
        ("POST", "/api/cases/abcd1234/replies/abcd1234/reject", "trainee"),
        ("PUT", "/api/me/availability", "reviewer"),
    ],
)
def test_a_caller_who_may_not_use_a_route_gets_403_before_any_validation(method, path, role):
    # Given a body that breaks the route's schema, and one that cannot even be read
    for body in (b'{"unexpected": 1}', b"\xff" + b"[" * 1000):
        status, answer = send(method, path, body, role=role)
        # Then the caller learns only that they may not: no schema details
        assert status == 403, (status, answer)
        assert "detail" not in answer and "roles" in answer["message"]


def test_a_caller_who_may_use_a_route_still_gets_the_schema_details():
    status, answer = send("POST", "/api/crises", b'{"unexpected": 1}', role="supervisor")
    assert status == 422 and {tuple(d["loc"]) for d in answer["detail"]} >= {("body", "unexpected")}


def test_every_api_route_declares_who_may_call_it():
    routes = [r for r in app._static_routes + app._dynamic_routes]
    assert len(routes) >= 25
    undeclared = [f"{r.method} {r.path}" for r in routes if allowed_roles(r.func) is None]
    assert undeclared == []


@pytest.mark.parametrize(
    "period",
    [
        {"start": "0735-01-01T00:00:00Z", "end": "0735-01-02T00:00:00Z"},
        {"start": "1999-12-31T00:00:00Z", "end": "2000-01-01T00:00:00Z"},
        {"end": "9999-12-31T23:59:59Z"},
        {"start": "2026-11-16T00:00:00", "end": "2026-11-17T00:00:00Z"},
    ],
)
def test_a_report_period_outside_the_sane_range_is_refused_and_reports_keep_working(
    aws, lambda_context, at_tuesday_morning, period
):
    status, answer = api("POST", "/api/reports", role="supervisor", body=period, context=lambda_context)
    assert status == 422, (status, answer)
    # and Reports still work for everyone
    status, _ = api("POST", "/api/reports", role="supervisor", body={}, context=lambda_context)
    assert status == 202
    status, listing = api("GET", "/api/reports", role="supervisor", context=lambda_context)
    assert status == 200 and len(listing["items"]) == 1


def test_base64_that_is_not_base64_is_a_400():
    from functions.api.handler import handler

    event = apigw_event(
        method="POST",
        raw_path="/api/crises",
        query="",
        headers=[("Content-Type", "application/json")],
        body=b"{}",
        resource="/api/{proxy+}",
        path_parameters={"proxy": "crises"},
        source_ip="127.0.0.1",
        claims={"email": "admin@heard.local", "cognito:groups": "admin", "sub": "s"},
    )
    event["body"] = "not base64 at all!" + base64.b64encode(b"{}").decode()
    answer = handler(event, fake_context())
    assert answer["statusCode"] == 400 and "base64" in answer["body"]
