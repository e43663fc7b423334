"""The deployed wiring and the local runner's wiring are the same wiring: routes, queue triggers,
schedules and rules on Heard's buses in the synthesised template match `infra/wiring.py`, and match `infra.local.topology.describe()`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.wiring import heard
from tests.infra.conftest import Synthesised, refs
from tests.infra.test_api import methods

pytestmark = pytest.mark.infra
WIRING = heard()


def template_view(synth: Synthesised) -> dict[str, list[tuple[str, str, str]] | list[tuple[str, str]]]:
    """The template read back into the topology contract: function ids and queue ids, not logical ids."""
    functions = {synth.logical_id(fn): fid for fid, fn in synth.stack.functions.functions.items()}
    queues = {synth.logical_id(q): qid for qid, q in synth.stack.messaging.queues.items()}
    tables = {synth.logical_id(t): tid for tid, t in synth.stack.storage.tables.items()}

    def target_function(expression: Any) -> str:
        (function,) = refs(expression) & set(functions)
        return functions[function]

    routes = sorted(
        (m, path, target_function(p["Integration"]["Uri"]))
        for m, path, p in methods(synth)
        if p["Integration"]["Type"] == "AWS_PROXY"
    )
    sources = [
        (
            next(iter(refs(p["Properties"]["EventSourceArn"]))),
            functions[next(iter(refs(p["Properties"]["FunctionName"])))],
        )
        for p in synth.of_type("AWS::Lambda::EventSourceMapping").values()
    ]
    mappings = sorted((queues[source], fid) for source, fid in sources if source in queues)
    streams = sorted((tables[source], fid) for source, fid in sources if source in tables)
    rules = synth.of_type("AWS::Events::Rule").values()
    schedules = sorted(
        (r["Properties"]["ScheduleExpression"], target_function(t["Arn"]))
        for r in rules
        if "ScheduleExpression" in r["Properties"]
        for t in r["Properties"]["Targets"]
    )
    buses = {synth.logical_id(b): bid for bid, b in synth.stack.messaging.buses.items()}
    on_buses = sorted(
        (
            buses[next(iter(refs(r["Properties"]["EventBusName"])))],
            json.dumps(r["Properties"]["EventPattern"], sort_keys=True),
            target_function(t["Arn"]),
        )
        for r in rules
        if "EventPattern" in r["Properties"]
        for t in r["Properties"]["Targets"]
    )
    return {
        "routes": routes,
        "queues": mappings,
        "schedules": schedules,
        "streams": streams,
        "rules": on_buses,
    }


def wiring_view() -> dict[str, list]:
    return {
        "routes": sorted((r.method, r.path, f.id) for f in WIRING.functions for r in f.routes),
        "queues": sorted((f.queue.queue, f.id) for f in WIRING.functions if f.queue),
        "schedules": sorted((s.expression, f.id) for f in WIRING.functions for s in f.schedules),
        "streams": sorted((f.stream.table, f.id) for f in WIRING.functions if f.stream),
        "rules": sorted(
            (r.bus, json.dumps(r.event_pattern, sort_keys=True), f.id)
            for f in WIRING.functions
            for r in f.rules
        ),
    }


def test_the_template_wires_exactly_what_the_wiring_describes(synth: Synthesised) -> None:
    # Given the synthesised template / When read back as routes, queue triggers and schedules
    # Then it is the wiring, nothing more and nothing less
    assert template_view(synth) == wiring_view()


def test_the_local_runner_wires_exactly_what_is_deployed(synth: Synthesised) -> None:
    # Given the local runner's own account of what it serves, polls and fires
    topology = pytest.importorskip("infra.local.topology")
    local = {k: sorted(tuple(item) for item in v) for k, v in topology.describe().items()}
    # Then it matches the deployed template item for item
    assert local == template_view(synth)
