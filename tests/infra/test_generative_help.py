"""Generative writing help (issue #11) is granted only when deployed with it: by default no role holds a
bedrock: or translate: action and no function is told of a model; with `-c generativeHelp=<model>` the api
alone may invoke that one model (through its cross-region inference profile) and Amazon Translate, is told
the model, and cdk-nag passes with each wildcard acknowledged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App

from infra.app import build
from infra.wiring import ROOT, generative_model, heard
from tests.infra.conftest import Synthesised

MODEL = "eu.anthropic.claude-3-haiku-20240307-v1:0"


def statements(resources: dict[str, Any], prefixes: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
    """The statements with an action starting with one of `prefixes`, by the roles they are attached to."""
    found: dict[str, list[dict[str, Any]]] = {}
    for resource in resources.values():
        if resource["Type"] != "AWS::IAM::Policy":
            continue
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if any(a.startswith(prefixes) for a in actions):
                for role in resource["Properties"]["Roles"]:
                    found.setdefault(role["Ref"], []).append(statement)
    return found


def told_of_a_model(resources: dict[str, Any]) -> dict[str, str]:
    """Role logical id -> the model id, for every function given HEARD_GENERATIVE_MODEL."""
    return {
        f["Properties"]["Role"]["Fn::GetAtt"][0]: f["Properties"]["Environment"]["Variables"][
            "HEARD_GENERATIVE_MODEL"
        ]
        for f in resources.values()
        if f["Type"] == "AWS::Lambda::Function"
        and "HEARD_GENERATIVE_MODEL" in f["Properties"].get("Environment", {}).get("Variables", {})
    }


def api_role(resources: dict[str, Any]) -> str:
    (role,) = [
        f["Properties"]["Role"]["Fn::GetAtt"][0]
        for f in resources.values()
        if f["Type"] == "AWS::Lambda::Function"
        and f["Properties"].get("Handler") == "functions.api.handler.handler"
    ]
    return str(role)


@pytest.fixture(scope="module")
def with_help(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Synthesised as `npx cdk synth -c generativeHelp=<model>` does, cdk-nag on."""
    context = json.loads((ROOT / "cdk.json").read_text(encoding="utf-8"))["context"]
    outdir: Path = tmp_path_factory.mktemp("cdk.out.generative")
    app = App(context={**context, "heard:bundle": "sources", "generativeHelp": MODEL}, outdir=str(outdir))
    app, stack = build(app)
    app.synth()  # raises while a cdk-nag finding is unacknowledged
    return dict(json.loads((outdir / f"{stack.artifact_id}.template.json").read_text())["Resources"])


def test_by_default_nobody_may_call_bedrock_or_translate(synth: Synthesised):
    assert statements(synth.resources, ("bedrock:", "translate:")) == {}
    assert told_of_a_model(synth.resources) == {}
    assert all(u.resource not in ("generative-model", "translate") for f in heard().functions for u in f.uses)


def test_deployed_with_it_only_the_api_may_invoke_that_model_and_translate(with_help: dict[str, Any]):
    granted = statements(with_help, ("bedrock:", "translate:"))
    role = api_role(with_help)
    assert list(granted) == [role]
    # (CDK merges statements on the same resources: Translate's "*" shares one with X-Ray's)
    by_action = {
        a: s["Resource"]
        for s in granted[role]
        for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
        if a.startswith(("bedrock:", "translate:"))
    }
    assert by_action == {
        "bedrock:InvokeModel": [
            f"arn:aws:bedrock:*:*:inference-profile/{MODEL}",
            "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
        ],
        "translate:TranslateText": "*",
    }
    assert told_of_a_model(with_help) == {role: MODEL}


def test_the_context_flag_must_be_a_model_id():
    assert generative_model(None) is None and generative_model("") is None
    assert generative_model("amazon.nova-lite-v1:0") == "amazon.nova-lite-v1:0"
    for wrong in ("true", "yes", "claude", "arn:aws:iam::1:role/x"):
        with pytest.raises(ValueError, match="generativeHelp"):
            generative_model(wrong)
    plain = heard("amazon.nova-lite-v1:0")
    (service,) = [s for s in plain.services if s.id == "generative-model"]
    assert service.resources == ("arn:aws:bedrock:*::foundation-model/amazon.nova-lite-v1:0",)
