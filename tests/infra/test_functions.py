"""Every wiring function becomes a Lambda with Heard's defaults and only the configuration it needs."""

from __future__ import annotations

import pytest

from infra.lambda_factory import base_environment
from infra.wiring import environment_for, heard
from tests.infra.conftest import Synthesised, refs

pytestmark = pytest.mark.infra
WIRING = heard()


class _Echo(dict):
    """A resolver answering every resource id with itself: enough to learn which variables are set."""

    def __missing__(self, key: str) -> str:
        return key


def _function(synth: Synthesised, function_id: str) -> dict:
    return synth.resources[synth.logical_id(synth.stack.functions.functions[function_id])]["Properties"]


@pytest.mark.parametrize("spec", WIRING.functions, ids=lambda f: f.id)
def test_every_function_runs_python_3_12_plus_on_arm64_with_tracing_and_json_logs(
    synth: Synthesised, spec
) -> None:
    # Given the synthesised stack / When we look at the wiring function's Lambda
    props = _function(synth, spec.id)
    # Then it has Heard's defaults and the wiring's handler, memory and timeout
    assert props["Architectures"] == ["arm64"]
    major, minor = props["Runtime"].removeprefix("python").split(".")
    assert (int(major), int(minor)) >= (3, 12)
    assert props["TracingConfig"] == {"Mode": "Active"}
    assert props["LoggingConfig"]["LogFormat"] == "JSON"
    assert props["Handler"] == spec.handler
    assert (props["MemorySize"], props["Timeout"]) == (spec.memory_mb, spec.timeout_seconds)
    assert "ReservedConcurrentExecutions" not in props


@pytest.mark.parametrize("spec", WIRING.functions, ids=lambda f: f.id)
def test_every_function_gets_exactly_the_variables_of_the_resources_it_uses(synth: Synthesised, spec) -> None:
    # Given the wiring's view of what this function may use
    expected = set(base_environment(spec)) | set(environment_for(WIRING, spec, _Echo()))
    # When we read the deployed environment
    variables = _function(synth, spec.id)["Environment"]["Variables"]
    # Then there is nothing more and nothing less, and Powertools knows who is speaking
    assert set(variables) == expected
    assert variables["POWERTOOLS_SERVICE_NAME"] == f"heard-{spec.id}"
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == "Heard"
    assert variables["HEARD_ENV"] == "aws"


def test_resource_variables_point_at_the_resources_of_the_same_name(synth: Synthesised) -> None:
    # Given the cases table and the triage function that uses it
    cases = synth.logical_id(synth.stack.storage.tables["cases"])
    # When we read triage's HEARD_CASES_TABLE
    variables = _function(synth, "triage")["Environment"]["Variables"]
    # Then it names that table, and every lane's URL is the prefix plus the lane's name after the stack's
    assert refs(variables["HEARD_CASES_TABLE"]) == {cases}
    assert variables["HEARD_WORK_TEAMS"] == ",".join(WIRING.teams)
    prefix = variables["HEARD_WORK_QUEUE_URL_PREFIX"]
    assert prefix == {
        "Fn::Join": [
            "",
            [
                "https://sqs.eu-west-1.",
                {"Ref": "AWS::URLSuffix"},
                "/000000000000/",
                {"Ref": "AWS::StackName"},
                "-work-",
            ],
        ]
    }
    for q in WIRING.work_queues:
        name = synth.resources[synth.logical_id(synth.stack.messaging.queues[q.id])]["Properties"][
            "QueueName"
        ]
        assert name == {"Fn::Join": ["", [{"Ref": "AWS::StackName"}, f"-{q.id}"]]}


def test_the_api_can_schedule_followups_with_the_target_and_role_it_is_given(synth: Synthesised) -> None:
    # Given the follow-ups schedule group
    functions = synth.stack.functions
    # When we read the api's scheduling variables
    variables = _function(synth, "api")["Environment"]["Variables"]
    # Then the target is the followups function and the role is the scheduler's role
    assert refs(variables["HEARD_FOLLOWUP_TARGET_ARN"]) == {
        synth.logical_id(functions.functions["followups"])
    }
    assert refs(variables["HEARD_SCHEDULER_ROLE_ARN"]) == {
        synth.logical_id(functions.scheduler_roles["followups"])
    }


def test_each_function_logs_to_its_own_log_group_kept_for_a_month(synth: Synthesised) -> None:
    # Given every function / When we follow its log group / Then it is retained 30 days
    for spec in WIRING.functions:
        group = refs(_function(synth, spec.id)["LoggingConfig"]["LogGroup"])
        assert len(group) == 1
        assert synth.resources[group.pop()]["Properties"]["RetentionInDays"] == 30
