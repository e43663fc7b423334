"""cdk-nag AwsSolutions: no unacknowledged finding, and every acknowledgement is scoped and explained."""

from __future__ import annotations

import pytest
from aws_cdk import Stack, Validations
from cdk_nag import AwsSolutionsChecks

from tests.infra.conftest import Synthesised

pytestmark = pytest.mark.infra


def test_synth_with_aws_solutions_checks_succeeds(synth: Synthesised) -> None:
    # Given the app built like `npx cdk synth` (cdk-nag attached) / Then synth raised no validation failure
    assert synth.synth_error is None, synth.synth_error


def test_synth_reports_no_finding_at_all(synth: Synthesised) -> None:
    # Given the validation report synth wrote (cdk-nag packs and CDK's own construct annotations)
    violations = [
        f"{v['severity']} {v['ruleName']} {[c['constructPath'] for c in v['violatingConstructs']]}"
        for plugin in synth.validation_report.get("pluginReports", [])
        for v in plugin.get("violations", [])
    ]
    # Then there is no unacknowledged error or warning in it
    assert violations == []


def test_no_unacknowledged_error_or_warning(synth: Synthesised) -> None:
    # When the AwsSolutions pack checks the whole tree directly
    report = AwsSolutionsChecks().validate_scope(synth.app)
    findings = [
        f"{v.severity} {v.rule_name} {r.construct_path}"
        for v in report.violations
        for r in v.violating_resources
    ]
    # Then nothing is left: not even warnings
    assert findings == []
    assert report.success


def test_every_acknowledgement_is_scoped_to_a_resource_and_gives_a_reason(synth: Synthesised) -> None:
    # Given every cdk-nag acknowledgement in the tree
    acknowledged = [
        (construct, rule, reason)
        for construct in synth.app.node.find_all()
        for entry in construct.node.metadata
        if entry.type == Validations.ACKNOWLEDGED_RULES_METADATA_KEY
        for rule, reason in entry.data.items()
        if "AwsSolutions-" in rule
    ]
    assert acknowledged
    for construct, rule, reason in acknowledged:
        # Then none is stack- or app-wide, and each says why in a sentence
        assert not isinstance(construct, Stack) and construct.node.scope is not None, rule
        assert len(reason.split()) >= 5, (construct.node.path, rule)
