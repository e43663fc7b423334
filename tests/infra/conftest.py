"""One synthesised Heard app for the whole infra suite (synth takes seconds; every test reads the result).

The app is built exactly as `npx cdk synth` builds it (`infra.app.build`, cdk.json's context and feature
flags, cdk-nag attached) except that the Lambda bundle skips third-party packages (`heard:bundle=sources`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

cdk = pytest.importorskip("aws_cdk")
from aws_cdk import App, Stack  # noqa: E402
from aws_cdk.assertions import Template  # noqa: E402

from infra.app import build  # noqa: E402
from infra.stack import HeardStack  # noqa: E402
from infra.wiring import ROOT  # noqa: E402


@dataclass
class Synthesised:
    app: App
    stack: HeardStack
    template: Template
    resources: dict[str, dict[str, Any]]
    synth_error: str | None
    validation_report: dict[str, Any]  # what synth's validation printed: cdk-nag and construct annotations

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.resources.items() if v["Type"] == resource_type}

    def logical_id(self, construct: Any) -> str:
        return logical_id(self.stack, construct)


def logical_id(stack: Stack, construct: Any) -> str:
    return stack.resolve(stack.get_logical_id(construct.node.default_child))


def refs(value: Any) -> set[str]:
    """Every logical id a CloudFormation expression points at (Ref / Fn::GetAtt), however deeply nested."""
    found: set[str] = set()
    if isinstance(value, dict):
        if "Ref" in value and isinstance(value["Ref"], str):
            found.add(value["Ref"])
        if "Fn::GetAtt" in value:
            found.add(value["Fn::GetAtt"][0])
        for item in value.values():
            found |= refs(item)
    elif isinstance(value, list):
        for item in value:
            found |= refs(item)
    return found


@pytest.fixture(scope="session")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesised]:
    context = json.loads((ROOT / "cdk.json").read_text(encoding="utf-8"))["context"]
    outdir: Path = tmp_path_factory.mktemp("cdk.out")
    app, stack = build(App(context={**context, "heard:bundle": "sources"}, outdir=str(outdir)))
    error = None
    try:
        app.synth()
    except RuntimeError as exc:  # cdk-nag errors fail synth; the template is written before validation
        error = str(exc)
    report_file = outdir / "validation-report.json"  # written when anything (even a warning) was found
    report = json.loads(report_file.read_text(encoding="utf-8")) if report_file.exists() else {}
    data = json.loads((outdir / f"{stack.artifact_id}.template.json").read_text(encoding="utf-8"))
    yield Synthesised(
        app=app,
        stack=stack,
        template=Template.from_json(data),
        resources=data["Resources"],
        synth_error=error,
        validation_report=report,
    )
