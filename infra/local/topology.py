"""What the local runner serves, polls and fires, derived from the same functions the runner uses.

`tests/infra/test_wiring_agreement.py` compares this with the synthesised CDK template, so the local
stack and the deployed one cannot drift apart without a failing test.
"""

from __future__ import annotations

import json
from typing import Any

from infra.local.frontdoor import build_routes
from infra.local.pollers import queue_bindings
from infra.local.rules import rule_bindings
from infra.local.streams import stream_bindings
from infra.local.ticker import schedule_bindings
from infra.wiring import Wiring, heard


def describe(wiring: Wiring | None = None) -> dict[str, Any]:
    w = wiring or heard()
    return {
        "routes": sorted((r.method, r.path, r.function_id) for r in build_routes(w)),
        "queues": sorted((b.queue_id, b.function_id) for b in queue_bindings(w)),
        "schedules": sorted((b.expression, b.function_id) for b in schedule_bindings(w)),
        "streams": sorted((b.table_id, b.function_id) for b in stream_bindings(w)),
        "rules": sorted(
            (b.bus_id, json.dumps(json.loads(b.pattern), sort_keys=True), b.function_id)
            for b in rule_bindings(w)
        ),
    }
