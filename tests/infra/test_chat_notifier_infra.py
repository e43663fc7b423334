"""The chat notifier in the template (issue #17): a rule on Heard's bus with the wiring's pattern invokes
notify-chat with retries and a dead-letter queue; the function's role reads only its own secret (the api's
may also put a new value in it, nothing more), and no other function may read it."""

from __future__ import annotations

from typing import Any

import pytest

from infra.wiring import CHAT_RULE_PATTERN
from tests.infra.conftest import Synthesised, refs

pytestmark = pytest.mark.infra


def _statements(synth: Synthesised, function_id: str) -> list[dict[str, Any]]:
    role = synth.stack.functions.functions[function_id].role
    role_id = synth.logical_id(role)
    found = []
    for resource in synth.of_type("AWS::IAM::Policy").values():
        if {"Ref": role_id} in resource["Properties"]["Roles"]:
            found += resource["Properties"]["PolicyDocument"]["Statement"]
    return found


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return actions if isinstance(actions, list) else [actions]


def _on_secret(synth: Synthesised, function_id: str) -> list[str]:
    secret = synth.logical_id(synth.stack.config.secrets["chat-webhook"])
    return sorted(
        a for s in _statements(synth, function_id) if secret in refs(s.get("Resource")) for a in _actions(s)
    )


def test_a_rule_on_the_bus_invokes_the_notifier_with_retries_and_a_dead_letter_queue(synth: Synthesised):
    function = synth.logical_id(synth.stack.functions.functions["notify-chat"])
    bus = synth.logical_id(synth.stack.messaging.buses["events"])
    (rule,) = [
        r["Properties"]
        for r in synth.of_type("AWS::Events::Rule").values()
        if "EventPattern" in r["Properties"] and function in refs(r["Properties"]["Targets"])
    ]
    assert rule["EventPattern"] == CHAT_RULE_PATTERN and bus in refs(rule["EventBusName"])
    (target,) = rule["Targets"]
    assert target["RetryPolicy"] == {"MaximumRetryAttempts": 4, "MaximumEventAgeInSeconds": 7200}
    dlq = synth.logical_id(synth.stack.functions.failure_queues["notify-chat-invocations"])
    assert dlq in refs(target["DeadLetterConfig"]["Arn"])
    # and EventBridge may put what it cannot deliver into that queue
    policies = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in synth.of_type("AWS::SQS::QueuePolicy").values()
        if dlq in refs(p["Properties"]["Queues"])
    ]
    assert any(s.get("Principal", {}).get("Service") == "events.amazonaws.com" for st in policies for s in st)


def test_the_notifier_reads_only_its_secret_and_the_api_may_also_replace_its_value(synth: Synthesised):
    assert _on_secret(synth, "notify-chat") == [
        "secretsmanager:DescribeSecret",
        "secretsmanager:GetSecretValue",
    ]
    assert _on_secret(synth, "api") == [
        "secretsmanager:DescribeSecret",
        "secretsmanager:GetSecretValue",
        "secretsmanager:PutSecretValue",
    ]
    for other in ("webhook", "triage", "dispatcher", "sla", "events"):
        assert _on_secret(synth, other) == []


def test_the_notifier_touches_nothing_but_its_secret_config_idempotency_table_and_dlq(synth: Synthesised):
    allowed = {
        synth.logical_id(synth.stack.config.secrets["chat-webhook"]),
        synth.logical_id(synth.stack.config.parameters["config"]),
        synth.logical_id(synth.stack.storage.tables["idempotency"]),
        synth.logical_id(synth.stack.security.key),
        # its own failure queue (Lambda's on-failure destination for the asynchronous invocations)
        synth.logical_id(synth.stack.functions.failure_queues["notify-chat-invocations"]),
    }
    for statement in _statements(synth, "notify-chat"):
        if statement["Resource"] == "*":  # X-Ray only
            assert all(a.startswith("xray:") for a in _actions(statement))
            continue
        named = {r for r in refs(statement["Resource"]) if not r.startswith("AWS::")}  # not partition, region
        own_logs = {r for r in named if r.startswith("FunctionsNotifyChatLogs")}  # its own log group
        assert named - own_logs <= allowed, statement
