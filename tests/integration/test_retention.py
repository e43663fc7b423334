"""Retention of cases (issue #14, R27): the daily retention function, under moto with its own environment
and role, deletes a case resolved longer ago than `retention.cases_days` with its timeline, pointers and
history line, keeps a case still open, and stops its cursor at the day that still holds one."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import boto3

from tests.integration.test_approvals_reviews import AGENT, SUPERVISOR, as_, join_care
from tests.integration.test_case_lifecycle import comment, deliver


def run_retention(context: Any) -> dict[str, Any]:
    from functions.retention.handler import handler

    event = {"source": "aws.events", "id": "e-1", "detail-type": "Scheduled Event", "detail": {}}
    return handler(event, context)


def table_text(aws: Any) -> str:
    """Every item but the audit trail's (kept for its own, longer, retention: it names cases, not people)."""
    from infra.local.expiry import expire_items
    from shared import clock

    # Items past their TTL (unanswered questions after 30 days, ...) are gone in DynamoDB long before a
    # case's retention ends; moto keeps them, so expire them as the local runner does.
    ddb = boto3.client("dynamodb")
    expire_items(ddb, aws.resolve["cases"], "expires_at", clock.now())
    items = ddb.scan(TableName=aws.resolve["cases"])["Items"]
    return json.dumps([i for i in items if i.get("type", {}).get("S") not in ("audit", "audit_head")])


def test_a_case_kept_past_its_retention_is_deleted_and_an_open_one_is_kept(
    aws, lambda_context, at_tuesday_morning
):
    join_care(lambda_context, AGENT)
    # Given two cases opened the same day: one resolved, one still open
    deliver([comment(platform_id="c-old", author_id="cust-old", text="gone soon")], aws, lambda_context)
    deliver([comment(platform_id="c-open", author_id="cust-open", text="still open")], aws, lambda_context)
    first = as_(AGENT, "POST", "/api/queues/care/next", lambda_context)[1]["case"]["case_id"]
    resolved = as_(AGENT, "POST", f"/api/cases/{first}/resolve", lambda_context, {"reason": "solved"})
    assert resolved[0] == 200
    # and a sweep that has covered every earlier day (a deployment's cursor)
    opened = at_tuesday_morning["now"].date()
    boto3.client("dynamodb").put_item(
        TableName=aws.resolve["cases"],
        Item={"pk": {"S": "RETENTION"}, "sk": {"S": "CASES"}, "next_day": {"S": opened.isoformat()}},
    )
    # When the retention function runs before the period is over, Then it deletes nothing
    at_tuesday_morning["now"] += timedelta(days=1094)
    assert run_retention(lambda_context)["deleted"] == 0
    # When it runs once the resolved case is older than the retention (1095 days by default)
    at_tuesday_morning["now"] += timedelta(days=2)
    swept = run_retention(lambda_context)
    # Then the resolved case is gone with its timeline, pointers and history line; the open one stays
    assert swept["deleted"] == 1 and swept["kept"] == 1 and swept["cursor"] == opened.isoformat()
    assert as_(SUPERVISOR, "GET", f"/api/cases/{first}", lambda_context)[0] == 404
    assert first not in table_text(aws)
    status, queued = as_(SUPERVISOR, "GET", "/api/cases?status=queued", lambda_context)
    assert status == 200 and len(queued["items"]) == 1
