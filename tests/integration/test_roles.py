"""Functions run with exactly what they are granted: the two features that were broken in AWS while every
offline test was green, and the role check that found them (issue 8)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest

from infra.deployed import LOCAL_ACCOUNT, LOCAL_DATA_KEY, synthesise
from infra.iam_check import Account, CallChecker
from infra.wiring import WORK_QUEUES, Access, Use, Wiring, heard
from tests.integration.test_case_lifecycle import api, comment, deliver


def scheduled_event() -> dict[str, Any]:
    return {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}}


def test_an_overdue_queued_case_reaches_its_teams_urgent_lane(aws, lambda_context, at_tuesday_morning):
    from functions.sla.handler import handler as sla

    # Given a complaint that nobody claimed for 75 minutes
    deliver([comment()], aws, lambda_context)
    at_tuesday_morning["now"] += timedelta(minutes=75)
    # When the SLA monitor runs (as deployed: its own environment and role)
    assert sla(scheduled_event(), lambda_context) == {"breached": 1, "skipped": 0}
    # Then the next claim from the team's queue gets it from the most urgent lane
    status, claimed = api("POST", "/api/queues/care/next", context=lambda_context)
    assert status == 200 and claimed["case"]["priority"] == 1 and claimed["case"]["sla_breached"] is True


def test_the_daily_report_is_recorded_and_listed(aws, lambda_context, at_tuesday_morning):
    from functions.reports.handler import handler as reports

    deliver([comment()], aws, lambda_context)
    # When the daily schedule runs the reports function
    answer = reports(scheduled_event(), lambda_context)
    # Then the report is listed for supervisors
    status, listing = api("GET", "/api/reports", role="supervisor", context=lambda_context)
    assert status == 200 and [r["id"] for r in listing["items"]] == answer["reports"]


def wiring_before_the_fix(wiring: Wiring) -> Wiring:
    """The wiring as it was: sla without the work lanes, reports with read-only access to the cases."""

    def uses(function_id: str, given: tuple[Use, ...]) -> tuple[Use, ...]:
        if function_id == "sla":
            return tuple(u for u in given if u.resource != WORK_QUEUES)
        if function_id == "reports":
            return tuple(Use(u.resource, Access.READ) if u.resource == "cases" else u for u in given)
        return given

    return dataclasses.replace(
        wiring, functions=tuple(dataclasses.replace(f, uses=uses(f.id, f.uses)) for f in wiring.functions)
    )


@pytest.fixture(scope="module")
def roles_before_the_fix() -> Any:
    pytest.importorskip("aws_cdk")
    return synthesise(wiring_before_the_fix(heard()))


def test_the_role_check_catches_both_bugs_with_the_roles_as_they_were(
    aws, lambda_context, at_tuesday_morning, role_check: list[CallChecker], roles_before_the_fix: Any
):
    from functions.reports.handler import handler as reports
    from functions.sla.handler import handler as sla

    checker = role_check[0]
    account = Account(region="eu-west-1", account=LOCAL_ACCOUNT, data_key_arn=LOCAL_DATA_KEY)
    deliver([comment()], aws, lambda_context)
    at_tuesday_morning["now"] += timedelta(minutes=75)
    # Given the roles synthesised from the wiring before the fix (the environments are today's)
    fixed = checker.policies
    checker.policies = roles_before_the_fix.policies(aws.resolve, account)
    try:
        # When both functions run, each call is refused as AWS would refuse it
        with pytest.raises(Exception, match="AccessDenied"):
            sla(scheduled_event(), lambda_context)
        with pytest.raises(Exception, match="AccessDenied"):
            reports(scheduled_event(), lambda_context)
    finally:
        checker.policies = fixed
        _, denials = checker.reset()
    # Then the check names function, action and resource of both bugs
    found = {(d.function, d.request.action, d.request.resource) for d in denials}
    lane = f"arn:aws:sqs:eu-west-1:{LOCAL_ACCOUNT}:heard-local-work-care-p1"
    cases = f"arn:aws:dynamodb:eu-west-1:{LOCAL_ACCOUNT}:table/heard-local-cases"
    assert ("sla", "sqs:SendMessage", lane) in found
    assert ("reports", "dynamodb:PutItem", cases) in found


def test_each_function_sees_only_the_resources_it_is_wired_to(aws):
    from infra.local.invoke import FunctionEnvironments

    environments = FunctionEnvironments(heard(), aws.resolve)
    webhook = environments.for_function("webhook")
    reports = environments.for_function("reports")
    # The union of every function's variables is in this process (test code uses it) ...
    assert "HEARD_CASES_TABLE" in __import__("os").environ
    # ... but the webhook gets no table and the reports no queue, lanes or platform credentials
    assert "HEARD_CASES_TABLE" not in webhook and "HEARD_INGEST_QUEUE_URL" in webhook
    assert not {"HEARD_INGEST_QUEUE_URL", "HEARD_WORK_QUEUE_URL_PREFIX", "META_APP_SECRET"} & set(reports)
    assert reports["HEARD_REPORTS_BUCKET"] == aws.resolve["reports"]


def test_switching_triage_to_comprehend_needs_a_stack_deployed_with_it(
    aws, lambda_context, at_tuesday_morning
):
    import json

    from infra.wiring import CONFIG_FILE, comprehend_granted

    # Given a stack deployed with the built-in triage (triage's role has no Comprehend)
    assert comprehend_granted(heard()) is False
    document = json.loads(CONFIG_FILE.read_text(encoding="utf-8"))
    document["triage_backend"] = "comprehend"
    # When an admin switches the running configuration to Comprehend
    status, answer = api("PUT", "/api/config", role="admin", body=document, context=lambda_context)
    # Then it is refused, naming the deploy setting, and the configuration in force is unchanged
    assert status == 422
    assert '"triage_backend": "comprehend" in config/heard.json' in answer["message"]
    assert "redeploy" in answer["message"]
    _, current = api("GET", "/api/config", role="admin", context=lambda_context)
    assert current["config"]["triage_backend"] == "model"  # unchanged: the configured backend
