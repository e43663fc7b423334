"""Traces never carry customers' data (#14): every deployed function tells Powertools' Tracer not to
capture responses or errors."""

from __future__ import annotations

import pytest

from infra.wiring import heard
from tests.infra.conftest import Synthesised


@pytest.mark.parametrize("spec", heard().functions, ids=lambda f: f.id)
def test_no_function_traces_responses_or_errors(synth: Synthesised, spec) -> None:
    function = synth.stack.functions.functions[spec.id]
    variables = synth.resources[synth.logical_id(function)]["Properties"]["Environment"]["Variables"]
    assert variables["POWERTOOLS_TRACER_CAPTURE_RESPONSE"] == "false"
    assert variables["POWERTOOLS_TRACER_CAPTURE_ERROR"] == "false"
