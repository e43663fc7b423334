"""The one decorator stack never lets the tracer capture a handler's response or error (#14): both can
hold customers' words, and X-Ray keeps them outside Heard's retention and erasure."""

from __future__ import annotations

from typing import Any

from shared import observability


class RecordingTracer:
    def __init__(self) -> None:
        self.options: dict[str, Any] = {}

    def capture_lambda_handler(self, handler: Any, **options: Any) -> Any:
        self.options = options
        return handler


def test_the_handler_stack_captures_neither_responses_nor_errors(monkeypatch) -> None:
    tracer = RecordingTracer()
    monkeypatch.setattr(observability, "_tracer", tracer)

    @observability.lambda_handler(None)
    def handler(event: dict, context: Any) -> dict:
        return {"text": "my card is 4111 1111 1111 1111"}

    assert tracer.options == {"capture_response": False, "capture_error": False}
