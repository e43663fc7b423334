"""Least privilege: each function's role mentions only the resources its wiring `uses` name."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.wiring import WORK_QUEUES, Access, heard
from tests.infra.conftest import Synthesised, refs

pytestmark = pytest.mark.infra
WIRING = heard()


def statements(synth: Synthesised, function_id: str) -> list[dict[str, Any]]:
    """Every statement of every policy attached to the function's role (inline and overflow)."""
    role = synth.logical_id(synth.stack.functions.functions[function_id].role)
    found = []
    for policy in (
        *synth.of_type("AWS::IAM::Policy").values(),
        *synth.of_type("AWS::IAM::ManagedPolicy").values(),
    ):
        if role in refs(policy["Properties"].get("Roles", [])):
            found.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return found


def actions_on(stmts: list[dict[str, Any]], logical_id: str) -> set[str]:
    out: set[str] = set()
    for s in stmts:
        if logical_id in refs(s.get("Resource", [])):
            out.update([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    return out


def used_logical_ids(synth: Synthesised, function_id: str) -> set[str]:
    stack = synth.stack
    by_id = {
        **stack.storage.tables,
        **stack.storage.buckets,
        **stack.messaging.queues,
        **stack.messaging.topics,
        **stack.messaging.buses,
        **stack.config.secrets,
        **stack.config.parameters,
        **stack.functions.scheduler_roles,
        "user-pool": stack.auth.user_pool,
    }
    spec = WIRING.function(function_id)
    ids: set[str] = set()
    for use in spec.uses:
        if use.resource in by_id:
            ids.add(synth.logical_id(by_id[use.resource]))
        elif use.resource == WORK_QUEUES or use.resource in {
            f.id for f in WIRING.secret_families
        }:  # granted by name prefix: arn:...:<stack name>-work-*
            ids.add("AWS::StackName")
        if use.access is Access.SCHEDULE:  # the schedules' ARN names the group (by Ref)
            ids.add(synth.logical_id(stack.functions.schedule_groups[use.resource]))
    failures = stack.functions.failure_queues.get(f"{function_id}-invocations")
    if failures is not None:  # its asynchronous invocations' failure destination
        ids.add(synth.logical_id(failures))
    if spec.queue:  # the queue trigger implies consuming from that queue
        ids.add(synth.logical_id(stack.messaging.queues[spec.queue.queue]))
    if spec.stream:  # the stream trigger implies reading that table's stream
        ids.add(synth.logical_id(stack.storage.tables[spec.stream.table]))
    function = stack.functions.functions[function_id]
    log_group = next(c for c in stack.functions.node.children if c.node.id == f"{function.node.id}Logs")
    return ids | {synth.logical_id(stack.security.key), synth.logical_id(log_group)}


@pytest.mark.parametrize("spec", WIRING.functions, ids=lambda f: f.id)
def test_a_functions_policy_only_mentions_resources_it_uses(synth: Synthesised, spec) -> None:
    # Given the function's wiring `uses` / When we collect every resource its role's policies mention
    # (a NotResource statement, SMS to phone numbers, names no resource)
    mentioned = set().union(*(refs(s.get("Resource", [])) for s in statements(synth, spec.id)))
    # Then each one is a resource it uses (or its own log group, or the data key)
    assert mentioned <= used_logical_ids(synth, spec.id)


def test_only_the_api_manages_users_and_only_on_its_pool(synth: Synthesised) -> None:
    pool = synth.logical_id(synth.stack.auth.user_pool)
    for spec in WIRING.functions:
        granted = actions_on(statements(synth, spec.id), pool)
        if spec.id == "api":
            assert "cognito-idp:AdminCreateUser" in granted and "cognito-idp:AdminDisableUser" in granted
        else:
            assert granted == set(), spec.id
    cognito = [s for s in statements(synth, "api") if "cognito-idp" in json.dumps(s["Action"])]
    assert all(s["Resource"] != "*" for s in cognito)


def test_the_webhook_cannot_touch_the_cases_table(synth: Synthesised) -> None:
    cases = synth.logical_id(synth.stack.storage.tables["cases"])
    assert actions_on(statements(synth, "webhook"), cases) == set()


def test_reports_may_record_the_report_it_writes(synth: Synthesised) -> None:
    # Given reports reads the cases and records each report in the cases table (GET /api/reports lists it)
    granted = actions_on(statements(synth, "reports"), synth.logical_id(synth.stack.storage.tables["cases"]))
    # Then it may query and put (the role check in tests/integration/test_roles.py runs the handler)
    assert {"dynamodb:Query", "dynamodb:GetItem", "dynamodb:PutItem"} <= granted


def lane_statements(synth: Synthesised, function_id: str) -> list[dict[str, Any]]:
    return [s for s in statements(synth, function_id) if "-work-*" in json.dumps(s.get("Resource", []))]


@pytest.mark.parametrize("spec", WIRING.functions, ids=lambda f: f.id)
def test_only_functions_using_the_work_lanes_may_touch_them(synth: Synthesised, spec) -> None:
    uses_lanes = any(u.resource == WORK_QUEUES for u in spec.uses)
    assert bool(lane_statements(synth, spec.id)) is uses_lanes
    lanes = {"Fn::Join": ["", ["arn:aws:sqs:eu-west-1:000000000000:", {"Ref": "AWS::StackName"}, "-work-*"]]}
    for s in lane_statements(synth, spec.id):  # scoped to this stack's lane names, however many teams
        resources = s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]
        assert lanes in resources


def test_bucket_access_is_exactly_the_object_actions_the_wiring_asks_for(synth: Synthesised) -> None:
    expected = {
        Access.READ: {"s3:GetObject"},
        Access.WRITE: {"s3:PutObject"},
        Access.READ_WRITE: {"s3:GetObject", "s3:PutObject"},
        # Erasure: delete every version, list a key's versions; never read or write.
        Access.ERASE: {"s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ListBucketVersions"},
        # Compaction: read a day's files, write the merged one, delete the batches merged.
        Access.REWRITE: {"s3:GetObject", "s3:PutObject", "s3:DeleteObject"},
    }
    for spec in WIRING.functions:
        wanted: dict[str, set[str]] = {}  # a function may use a bucket twice (the api: read/write, erase)
        for use in spec.uses:
            if use.resource in synth.stack.storage.buckets:
                # Readers of a listed bucket (the analytics store) also list a day's keys.
                listed = any(b.listed for b in WIRING.buckets if b.id == use.resource)
                listing = {"s3:ListBucket"} if listed and use.access is not Access.WRITE else set()
                wanted.setdefault(use.resource, set()).update(expected[use.access] | listing)
        for resource, actions in wanted.items():
            bucket = synth.logical_id(synth.stack.storage.buckets[resource])
            assert actions_on(statements(synth, spec.id), bucket) == actions, (spec.id, resource)


def test_queue_access_matches_send_and_consume(synth: Synthesised) -> None:
    # Given triage and sla SEND to the work lanes and the api also CONSUMEs them
    def lane_actions(function_id: str) -> set[str]:
        return {a for s in lane_statements(synth, function_id) for a in s["Action"]}

    triage, api = lane_actions("triage"), lane_actions("api")
    assert "sqs:SendMessage" in lane_actions("sla")
    # Then triage can only send, the api can send and receive/delete
    assert "sqs:SendMessage" in triage and "sqs:ReceiveMessage" not in triage
    assert {"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"} <= api


def test_only_the_parameter_writer_may_put_the_config(synth: Synthesised) -> None:
    parameter = synth.logical_id(synth.stack.config.parameters["config"])
    for spec in WIRING.functions:
        writes = "ssm:PutParameter" in actions_on(statements(synth, spec.id), parameter)
        assert writes is any(u.resource == "config" and u.access is Access.READ_WRITE for u in spec.uses), (
            spec.id
        )


def test_scheduling_is_limited_to_the_group_and_passing_the_scheduler_role(synth: Synthesised) -> None:
    # Given the followups schedule group
    group = synth.stack.resolve(synth.stack.functions.schedule_group_names["followups"])
    role = synth.logical_id(synth.stack.functions.scheduler_roles["followups"])
    for spec in WIRING.functions:
        stmts = statements(synth, spec.id)
        scheduling = [
            s
            for s in stmts
            if any(
                str(a).startswith("scheduler:")
                for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
            )
        ]
        may_schedule = any(u.access is Access.SCHEDULE for u in spec.uses)
        # Then only the api creates/deletes/gets schedules, in that group, and may pass only that role
        assert bool(scheduling) is may_schedule, spec.id
        for s in scheduling:
            assert sorted(s["Action"]) == [
                "scheduler:CreateSchedule",
                "scheduler:DeleteSchedule",
                "scheduler:GetSchedule",
            ]
            assert json.dumps(group) in json.dumps(s["Resource"])
        if may_schedule:
            assert actions_on(stmts, role) == {"iam:PassRole"}


def test_the_scheduler_role_can_only_invoke_the_target_function(synth: Synthesised) -> None:
    role = synth.logical_id(synth.stack.functions.scheduler_roles["followups"])
    target = synth.logical_id(synth.stack.functions.functions["followups"])
    stmts = [
        s
        for p in synth.of_type("AWS::IAM::Policy").values()
        if role in refs(p["Properties"]["Roles"])
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]
    assert [(s["Action"], refs(s["Resource"])) for s in stmts] == [("lambda:InvokeFunction", {target})]
    trust = synth.resources[role]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}


@pytest.mark.parametrize("function_id", ["api", "sla"])
def test_email_and_sms_to_people_are_scoped_to_one_identity_and_to_phone_numbers(
    synth: Synthesised, function_id: str
) -> None:
    # Given the functions that reach people by email and SMS (issue #12)
    stmts = statements(synth, function_id)
    # Then email may go only from Heard's SES identity (the address or its domain)
    [email] = [s for s in stmts if s.get("Action") == "ses:SendEmail"]
    identities = json.dumps(email["Resource"])
    assert "identity/heard@example.com" in identities and "identity/example.com" in identities
    assert '"*"' not in identities
    # And SMS publishing cannot reach any SNS topic or endpoint (phone numbers have no ARN)
    [sms] = [s for s in stmts if s.get("NotResource")]
    assert sms["Action"] == "sns:Publish" and sms["NotResource"] == "arn:*:sns:*:*:*"


def test_functions_that_do_not_reach_people_cannot_send_email_or_sms(synth: Synthesised) -> None:
    for function_id in ("webhook", "triage", "dispatcher", "followups", "spikes"):
        stmts = statements(synth, function_id)
        assert not [s for s in stmts if s.get("Action") == "ses:SendEmail" or s.get("NotResource")]


def test_scheduled_reports_are_emailed_from_heards_identity_and_never_by_sms(synth: Synthesised) -> None:
    # Given the reports function, which emails the daily, weekly and monthly reports (issue #13)
    stmts = statements(synth, "reports")
    # Then it may email only from Heard's SES identity, and may not send SMS
    [email] = [s for s in stmts if s.get("Action") == "ses:SendEmail"]
    assert "identity/heard@example.com" in json.dumps(email["Resource"])
    assert not [s for s in stmts if s.get("NotResource")]


def test_the_weekly_and_monthly_report_rules_name_their_cadence(synth: Synthesised) -> None:
    rules = [r["Properties"] for r in synth.resources.values() if r["Type"] == "AWS::Events::Rule"]
    inputs = {
        json.loads(t["Input"])["input"]: r["ScheduleExpression"]
        for r in rules
        for t in r["Targets"]
        if "Input" in t
    }
    assert inputs == {
        "daily": "cron(0 6 * * ? *)",
        "weekly": "cron(0 6 ? * MON *)",
        "monthly": "cron(0 6 1 * ? *)",
    }
