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


def run_sealer(context: Any) -> dict[str, Any]:
    from functions.audit_seal.handler import handler

    event = {"source": "aws.events", "id": "e-seal", "detail-type": "Scheduled Event", "detail": {}}
    return handler(event, context)


def rechain_from(table: str, seq: int, actor: str) -> None:
    """A tamperer with write access to the table: rewrite record `seq` and recompute every hash after it,
    head included, so the chain's own check holds again."""
    from shared.adapters.audit_log import DynamoAuditLog

    log = DynamoAuditLog(table, client=boto3.client("dynamodb"))
    records = log.day(at_day())
    previous = next(r.hash for r in records if r.seq == seq - 1)
    ddb = boto3.client("dynamodb")
    for rec in (r for r in records if r.seq >= seq):
        changed = rec.model_copy(
            update={"prev_hash": previous, **({"actor": actor} if rec.seq == seq else {})}
        )
        changed = changed.model_copy(update={"hash": changed.digest()})
        ddb.update_item(
            TableName=table,
            Key={"pk": {"S": "AUDIT#2026-11-17"}, "sk": {"S": f"SEQ#{rec.seq:012d}"}},
            UpdateExpression="SET actor = :a, prev_hash = :p, #h = :h",
            ExpressionAttributeNames={"#h": "hash"},
            ExpressionAttributeValues={
                ":a": {"S": changed.actor},
                ":p": {"S": changed.prev_hash},
                ":h": {"S": changed.hash},
            },
        )
        previous = changed.hash
    ddb.update_item(
        TableName=table,
        Key={"pk": {"S": "AUDIT_HEAD"}, "sk": {"S": "AUDIT_HEAD"}},
        UpdateExpression="SET #h = :h",
        ExpressionAttributeNames={"#h": "hash"},
        ExpressionAttributeValues={":h": {"S": previous}},
    )


def at_day() -> Any:
    from datetime import date

    return date(2026, 11, 17)


def test_sealed_copies_catch_a_chain_rewritten_with_every_hash_recomputed(
    aws, lambda_context, at_tuesday_morning
):
    # Given audited requests, sealed by the hourly sealer (its own role: it writes the vault, never reads it)
    for role in ("supervisor", "admin", "agent"):
        api("GET", "/api/cases", query="status=queued", role=role, context=lambda_context)
    sealed = run_sealer(lambda_context)
    assert sealed["records"] >= 3 and sealed["seals"] == 1 and sealed["problem"] is None
    assert run_sealer(lambda_context)["records"] == 0  # nothing new: nothing sealed twice
    bucket, s3 = aws.resolve["audit"], boto3.client("s3")
    versions = s3.list_object_versions(Bucket=bucket)["Versions"]
    assert len(versions) == 1
    head = s3.head_object(Bucket=bucket, Key=versions[0]["Key"])
    assert head["ObjectLockMode"] == "COMPLIANCE"
    # and the sealed copy cannot be deleted, even by the operator
    with pytest.raises(s3.exceptions.ClientError, match="AccessDenied"):
        s3.delete_object(Bucket=bucket, Key=versions[0]["Key"], VersionId=versions[0]["VersionId"])
    status, check = api("GET", "/api/audit/verify", role="auditor", query=DAY, context=lambda_context)
    assert check["ok"] and check["sealed"]["sealed_records"] == sealed["through"], check
    # When someone who can write the table rewrites record 2 and recomputes every hash after it
    rechain_from(aws.resolve["cases"], 2, "nobody@heard.local")
    # Then the chain alone would hold, but the check compares it with the sealed copies and fails at 2
    status, check = api("GET", "/api/audit/verify", role="auditor", query=DAY, context=lambda_context)
    assert status == 200 and not check["ok"] and check["broken_at"] == 2
    assert "sealed copy" in check["problem"] and check["sealed"]["ok"] is False
    # and the sealer refuses to seal on top of a chain that no longer follows its last seal
    api("GET", "/api/cases", query="status=queued", role="supervisor", context=lambda_context)
    refused = run_sealer(lambda_context)
    assert refused["records"] == 0 and "does not follow the last sealed record" in refused["problem"]
