"""One of each (issue #9, item 4): one decorator stack on every handler, one metrics namespace, one error
catalogue for the routes, one Lambda context fake."""

from __future__ import annotations

import re
from pathlib import Path

from functions.api.app import app
from functions.api.errors import MEANING, STATUS_OF

ROOT = Path(__file__).resolve().parents[3]
HANDLERS = sorted((ROOT / "functions").glob("*/handler.py"))


def test_every_handler_wears_the_one_decorator_stack():
    assert len(HANDLERS) >= 9
    for path in HANDLERS:
        text = path.read_text("utf-8")
        assert re.search(r"^@lambda_handler\(.*\)\ndef handler\(", text, re.MULTILINE), path
        for decorator in ("inject_lambda_context", "log_metrics", "capture_lambda_handler"):
            assert decorator not in text, f"{path.parent.name} decorates by hand ({decorator})"


def test_the_metrics_namespace_is_written_once():
    written = [
        path.relative_to(ROOT)
        for folder in ("shared", "functions", "infra")
        for path in (ROOT / folder).rglob("*.py")
        if re.search(r"""(namespace|NAMESPACE)\s*[=:(]\s*["']Heard["']""", path.read_text("utf-8"))
    ]
    assert written == [Path("shared/observability.py")]


def test_no_route_module_keeps_its_own_error_map():
    for path in (ROOT / "functions" / "api" / "routes").glob("*.py"):
        text = path.read_text("utf-8")
        assert "OpenAPIResponse" not in text and '"description": "No or invalid token"' not in text, path


def test_every_catalogued_status_has_a_meaning_and_every_route_documents_401_and_503():
    assert set(STATUS_OF.values()) <= set(MEANING)
    for route in app._static_routes + app._dynamic_routes:
        assert {401, 503} <= set(route.responses or {}), f"{route.method} {route.path}"


def test_one_lambda_context_fake():
    copies = [
        path.relative_to(ROOT)
        for path in (ROOT / "tests").rglob("*.py")
        if "def get_remaining_time" + "_in_millis" in path.read_text("utf-8")
    ]
    assert copies == []  # tests use tests/fixtures/lambda_context.py (the local runner's own context)


def test_every_documented_error_has_an_error_schema():
    import json

    from functions.api.openapi import document

    paths = document()["paths"]
    for path, item in paths.items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert any(code.startswith("2") for code in codes), f"{method} {path} documents no success"
            for code, answer in operation["responses"].items():
                if not code.startswith("2"):
                    schema = json.dumps(answer.get("content", {}))
                    assert "ErrorAnswer" in schema or "ValidationAnswer" in schema, f"{method} {path} {code}"


def test_a_204_documents_no_body():
    from functions.api.openapi import document

    for path, item in document()["paths"].items():
        for method, operation in item.items():
            no_content = operation["responses"].get("204")
            if no_content is not None:
                assert no_content.get("content") == {}, f"{method} {path} documents a body for 204"
