"""Nothing fails silently, and two Heard stacks can share an account (issue 8)."""

from __future__ import annotations

import json

import pytest

from infra.wiring import heard
from tests.infra.conftest import Synthesised, refs

pytestmark = pytest.mark.infra
WIRING = heard()


def test_every_asynchronously_invoked_function_has_a_failure_destination(synth: Synthesised) -> None:
    asynchronous = {f.id for f in WIRING.functions if f.schedules} | {
        g.target_function for g in WIRING.schedule_groups
    }
    configs = synth.of_type("AWS::Lambda::EventInvokeConfig")
    covered = {}
    for fid in asynchronous:
        function = synth.logical_id(synth.stack.functions.functions[fid])
        for config in configs.values():
            if function in refs(config["Properties"]["FunctionName"]):
                covered[fid] = config["Properties"]["DestinationConfig"]["OnFailure"]["Destination"]
    assert covered.keys() == asynchronous
    queues = {synth.logical_id(q) for q in synth.stack.functions.failure_queues.values()}
    assert all(refs(destination) <= queues for destination in covered.values())
    # and the rules send what they cannot deliver to the same queue
    for rule in synth.of_type("AWS::Events::Rule").values():
        for target in rule["Properties"]["Targets"]:
            assert refs(target["DeadLetterConfig"]["Arn"]) <= queues


def test_every_function_and_every_dead_letter_queue_has_an_alarm(synth: Synthesised) -> None:
    alarms = synth.of_type("AWS::CloudWatch::Alarm").values()
    alarmed = set().union(*(refs(a["Properties"]) for a in alarms))
    for function in synth.stack.functions.functions.values():
        assert synth.logical_id(function) in alarmed
    for queue in [
        *synth.stack.messaging.dead_letter_queues.values(),
        *synth.stack.functions.failure_queues.values(),
    ]:
        assert synth.logical_id(queue) in json.dumps([a["Properties"] for a in alarms])


def test_a_silent_subscription_check_is_an_alarm(synth: Synthesised) -> None:
    lapsed = [
        a["Properties"]
        for a in synth.of_type("AWS::CloudWatch::Alarm").values()
        if "SubscriptionLapsed" in json.dumps(a["Properties"].get("Metrics", []))
    ]
    assert [a["TreatMissingData"] for a in lapsed] == ["breaching"]


def test_dead_letter_queues_keep_messages_longer_than_their_sources(synth: Synthesised) -> None:
    for queue_id, dlq in synth.stack.messaging.dead_letter_queues.items():
        source = synth.resources[synth.logical_id(synth.stack.messaging.queues[queue_id])]["Properties"]
        dead = synth.resources[synth.logical_id(dlq)]["Properties"]
        assert dead["MessageRetentionPeriod"] > source["MessageRetentionPeriod"], queue_id


def test_services_use_the_key_only_for_this_account(synth: Synthesised) -> None:
    key = synth.resources[synth.logical_id(synth.stack.security.key)]["Properties"]["KeyPolicy"]
    for statement in key["Statement"]:
        if "Service" in statement.get("Principal", {}):
            assert statement["Condition"]["StringEquals"]["aws:SourceAccount"] == "000000000000"


def test_no_account_wide_name_is_fixed_at_synth_time(synth: Synthesised) -> None:
    def name_of(kind: str, path: list[str]) -> list[object]:
        found = []
        for resource in synth.of_type(kind).values():
            value: object = resource["Properties"]
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            found.append(value)
        return found

    assert name_of("AWS::Scheduler::ScheduleGroup", ["Name"]) == [None]
    for value in name_of(
        "AWS::CloudFront::OriginAccessControl", ["OriginAccessControlConfig", "Name"]
    ) + name_of("AWS::CloudFront::ResponseHeadersPolicy", ["ResponseHeadersPolicyConfig", "Name"]):
        assert "AWS::StackName" in json.dumps(value) and "AWS::Region" in json.dumps(value)


def test_deleting_the_stack_keeps_the_account_level_api_gateway_logging_role(synth: Synthesised) -> None:
    for kind in ("AWS::ApiGateway::Account",):
        for resource in synth.of_type(kind).values():
            assert resource.get("DeletionPolicy") == "Retain"
    account = next(iter(synth.of_type("AWS::ApiGateway::Account").values()))
    (role,) = refs(account["Properties"]["CloudWatchRoleArn"])
    assert synth.resources[role].get("DeletionPolicy") == "Retain"
