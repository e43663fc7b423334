"""cfn-lint on the synthesised template (next to cdk-nag, which runs during synth)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.infra.conftest import Synthesised

pytestmark = pytest.mark.infra

# W3005: DependsOn already implied by a Ref/GetAtt. CDK writes such redundant DependsOn itself.
IGNORED = ["W3005"]


def test_cfn_lint_finds_nothing_in_the_template(synth: Synthesised, tmp_path: Path) -> None:
    cfnlint_api = pytest.importorskip("cfnlint.api")
    template = tmp_path / "Heard.template.json"
    template.write_text(
        json.dumps({**synth.template.to_json(), "Resources": synth.resources}), encoding="utf-8"
    )
    matches = cfnlint_api.lint_file(
        template, config=cfnlint_api.ManualArgs(ignore_checks=IGNORED, regions=["eu-west-1"])
    )
    assert [str(m) for m in matches] == []
