"""The company's own Lambda function (issue #17): the api and triage may invoke it only when the configuration names
it, and then only that ARN; the role check maps an Invoke to lambda:InvokeFunction on the function."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infra.iam_check import Account, Policy, requests_for
from infra.wiring import CONFIG_FILE, wiring_for

ARN = "arn:aws:lambda:eu-west-1:210987654321:function:orders-lookup"


def invoke_statements(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        s
        for d in documents
        for s in d["Statement"]
        if "lambda:InvokeFunction" in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
    ]


def test_the_api_may_invoke_the_configured_function_only(tmp_path: Path) -> None:
    pytest.importorskip("aws_cdk")
    from infra.deployed import synthesise

    config = json.loads(CONFIG_FILE.read_text(encoding="utf-8"))
    config["company_system"] = {"kind": "lambda", "function_arn": ARN}
    (tmp_path / "heard.json").write_text(json.dumps(config), encoding="utf-8")
    deployed = synthesise(wiring_for(tmp_path / "heard.json"))  # cdk-nag runs on this synth too
    granted = invoke_statements(deployed.role_documents("api"))
    assert [s["Resource"] for s in granted] == [ARN]
    # triage too: a "where is my order" automatic answer tells the order's status
    assert [s["Resource"] for s in invoke_statements(deployed.role_documents("triage"))] == [ARN]
    for other in ("dispatcher", "broadcaster", "webhook"):
        assert invoke_statements(deployed.role_documents(other)) == []
    # and the checker, given that policy, allows this function and nothing else
    policy = Policy.from_documents([{"Version": "2012-10-17", "Statement": granted}])
    acc = Account(region="eu-west-1", account="123456789012")
    (request,) = requests_for(acc, "lambda", "Invoke", {"FunctionName": ARN})
    assert request.action == "lambda:InvokeFunction" and policy.allows(request)
    (elsewhere,) = requests_for(acc, "lambda", "Invoke", {"FunctionName": ARN.replace("orders", "payroll")})
    assert not policy.allows(elsewhere)


def test_without_a_configured_function_nobody_may_invoke_one() -> None:
    from infra.wiring import heard

    assert all(u.resource != "company-function" for f in heard().functions for u in f.uses)
