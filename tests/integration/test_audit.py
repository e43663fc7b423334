"""The audit trail through the real API handler under moto (#14): who read a case, who changed the
configuration, who was refused; searchable and exportable by admins and auditors only; a hash chain that
holds, and breaks where one record is altered."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import boto3
import pytest

from infra.local.events import apigw_event
from tests.integration.test_case_lifecycle import api, comment, deliver

DAY = "start=2026-11-17&end=2026-11-17"


def audit_records(context: Any, query: str = "", role: str = "auditor") -> list[dict[str, Any]]:
    status, page = api("GET", "/api/audit", role=role, query=f"{DAY}&{query}", context=context)
    assert status == 200, page
    return page["items"]


def raw(method: str, path: str, *, role: str, query: str = "", context: Any = None) -> dict[str, Any]:
    from functions.api.handler import handler

    claims = {"email": f"{role}@heard.local", "cognito:groups": role, "sub": f"sub-{role}"}
    event = apigw_event(
        method=method,
        raw_path=path,
        query=query,
        headers=[("User-Agent", "pytest")],
        body=b"",
        resource="/api/{proxy+}",
        path_parameters={"proxy": path.removeprefix("/api/")},
        source_ip="203.0.113.9",
        claims=claims,
    )
    return handler(event, context)


def test_a_supervisor_reading_a_case_and_an_admin_changing_the_configuration_are_recorded(
    aws, lambda_context, at_tuesday_morning
):
    # Given a case
    deliver([comment()], aws, lambda_context)
    case_id = api("GET", "/api/cases", query="status=queued", role="supervisor", context=lambda_context)[1][
        "items"
    ][0]["case_id"]
    # When a supervisor opens it and an admin replaces the configuration
    assert raw("GET", f"/api/cases/{case_id}", role="supervisor", context=lambda_context)["statusCode"] == 200
    status, config = api("GET", "/api/config", role="admin", context=lambda_context)
    assert api("PUT", "/api/config", role="admin", body=config["config"], context=lambda_context)[0] == 200
    # Then the auditor finds both: who, what, when and from where
    reads = audit_records(lambda_context, f"action=case.read&target={case_id}")
    assert [(r["actor"], r["roles"], r["outcome"], r["source_ip"], r["user_agent"]) for r in reads] == [
        ("supervisor@heard.local", ["supervisor"], 200, "203.0.113.9", "pytest")
    ]
    assert reads[0]["at"].startswith("2026-11-17T10:01")
    changes = audit_records(lambda_context, "action=config")
    assert [(r["action"], r["actor"]) for r in changes] == [
        ("config.change", "admin@heard.local"),
        ("config.read", "admin@heard.local"),
    ]
    # and the admin can search too, by who did it
    assert {
        r["action"] for r in audit_records(lambda_context, "actor=supervisor@heard.local", role="admin")
    } >= {"case.read", "case.list"}


def test_refusals_are_recorded(aws, lambda_context, at_tuesday_morning):
    # When an agent tries the configuration and a request arrives without a signed-in user
    assert api("PUT", "/api/config", role="agent", body={}, context=lambda_context)[0] == 403
    assert api("GET", "/api/cases", role=None, context=lambda_context)[0] == 401
    # Then both refusals are on the trail
    denied = {(r["action"], r["actor"], r["target"]) for r in audit_records(lambda_context, "action=access")}
    assert denied == {("access.denied", "agent@heard.local", "/config")}
    assert [r["actor"] for r in audit_records(lambda_context, "action=signin.failed")] == ["anonymous"]


@pytest.mark.parametrize("role", ["agent", "trainee", "reviewer", "supervisor"])
def test_only_admins_and_auditors_may_read_the_trail(aws, lambda_context, at_tuesday_morning, role):
    for path in ("/api/audit", "/api/audit/verify", "/api/audit/export"):
        assert api("GET", path, role=role, context=lambda_context)[0] == 403


def test_an_auditor_may_change_nothing(aws, lambda_context, at_tuesday_morning):
    deliver([comment()], aws, lambda_context)
    assert api("POST", "/api/queues/care/next", role="auditor", context=lambda_context)[0] == 403
    assert api("PUT", "/api/config", role="auditor", body={}, context=lambda_context)[0] == 403
    assert api("POST", "/api/reports", role="auditor", body={}, context=lambda_context)[0] == 403


def test_the_chain_verifies_and_breaks_where_one_record_is_altered(aws, lambda_context, at_tuesday_morning):
    # Given a few audited requests
    deliver([comment()], aws, lambda_context)
    for role in ("supervisor", "admin", "agent"):
        api("GET", "/api/cases", query="status=queued", role=role, context=lambda_context)
    status, check = api("GET", "/api/audit/verify", role="auditor", query=DAY, context=lambda_context)
    assert status == 200 and check["ok"] and check["checked"] >= 3 and check["broken_at"] is None
    # When someone with write access to the table rewrites who read the cases in record 2
    table, ddb = aws.resolve["cases"], boto3.client("dynamodb")
    ddb.update_item(
        TableName=table,
        Key={"pk": {"S": "AUDIT#2026-11-17"}, "sk": {"S": "SEQ#000000000002"}},
        UpdateExpression="SET actor = :someone",
        ExpressionAttributeValues={":someone": {"S": "nobody@heard.local"}},
    )
    # Then the check fails at that record
    status, check = api("GET", "/api/audit/verify", role="auditor", query=DAY, context=lambda_context)
    assert status == 200 and not check["ok"] and check["broken_at"] == 2 and "altered" in check["problem"]
    # and a removed record is a gap the check names
    ddb.delete_item(TableName=table, Key={"pk": {"S": "AUDIT#2026-11-17"}, "sk": {"S": "SEQ#000000000002"}})
    status, check = api("GET", "/api/audit/verify", role="admin", query=DAY, context=lambda_context)
    assert not check["ok"] and check["broken_at"] == 3 and "missing" in check["problem"]


def test_the_export_is_csv_with_hashes_and_is_itself_recorded(aws, lambda_context, at_tuesday_morning):
    api("GET", "/api/cases", query="status=queued", role="supervisor", context=lambda_context)
    answer = raw("GET", "/api/audit/export", role="auditor", query=DAY, context=lambda_context)
    assert answer["statusCode"] == 200
    assert answer["multiValueHeaders"]["Content-Type"][0].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer["body"])))
    assert rows[0]["action"] == "case.list" and len(rows[0]["hash"]) == 64
    assert [r["action"] for r in audit_records(lambda_context, "action=audit.export")] == ["audit.export"]


def test_a_period_longer_than_a_month_is_refused(aws, lambda_context, at_tuesday_morning):
    status, answer = api(
        "GET", "/api/audit", role="auditor", query="start=2026-01-01&end=2026-11-17", context=lambda_context
    )
    assert status == 422 and "31 days" in json.dumps(answer)


def test_a_read_that_cannot_be_recorded_is_not_answered(aws, lambda_context, at_tuesday_morning, monkeypatch):
    from shared.errors import Unavailable
    from shared.usecases import audit

    deliver([comment()], aws, lambda_context)

    def broken(*_: Any, **__: Any) -> None:
        raise Unavailable("down")

    monkeypatch.setattr(audit, "record", broken)
    status, answer = api(
        "GET", "/api/cases", query="status=queued", role="supervisor", context=lambda_context
    )
    assert status == 503 and "audit trail" in answer["message"]


def _routes() -> list[tuple[str, str, frozenset[str]]]:
    from functions.api.app import app
    from functions.api.auth import allowed_roles

    found = []
    for route in app._static_routes + app._dynamic_routes:
        roles = allowed_roles(route.func)
        if roles is not None and route.method != "OPTIONS":
            path = re.sub(r"<[^>]+>", "abcd1234", route.path)
            found.append((route.method, path, roles))
    return found


def test_the_auditor_may_use_the_audit_trail_and_nothing_else_on_every_route(
    aws, lambda_context, at_tuesday_morning
):
    # Given every route of the API and the roles it allows
    routes = _routes()
    assert len(routes) >= 28
    for method, path, roles in routes:
        # When an auditor calls it (with a body where one is expected)
        if path.endswith("/export"):  # CSV, not JSON
            status, answer = raw(method, path, role="auditor", context=lambda_context)["statusCode"], None
        else:
            body = {} if method in ("POST", "PUT") else None
            status, answer = api(method, path, role="auditor", body=body, context=lambda_context)
        # Then only the audit trail and the routes open to anyone signed in answer; every other one is 403
        if "auditor" in roles or not roles:
            assert status != 403, (method, path, answer)
        else:
            assert status == 403, (method, path, status)
    assert {p for m, p, r in routes if "auditor" in r} == {
        "/api/audit",
        "/api/audit/verify",
        "/api/audit/export",
    }
