"""`heard triage`: classify JSON lines from stdin, one JSON line out per line in.

    echo '{"text": "@acme thanks for the 3 hour delay", "platform": "x"}' | heard triage

Each input line is an object with `text` and optionally `platform`, `lang`, `followers`, `author_id`,
`handle` and `waiting_minutes`. A line that cannot be classified gives `{"line": n, "error": "..."}`
and makes the command exit with status 1 once every line has been read. For operators testing their
configuration (`--config`), and for benchmarks. `--backend model` (the default) uses the learned model
(shared/triage/learned.py), `--backend builtin` the rule-based classifier; `--backend config` whatever
the configuration's `triage_backend` says.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

DEFAULT_CONFIG = Path("config/heard.json")
_TEXT_LIMIT = 64_000  # the Interaction model's limit


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "triage",
        help="classify JSON lines from stdin ({'text': ..., 'platform'?: ..., 'lang'?: ...})",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=DEFAULT_CONFIG,
        help="company configuration (default config/heard.json)",
    )
    parser.add_argument(
        "--redact", action="store_true", help="also output the text with personal data masked"
    )
    parser.add_argument(
        "--backend",
        choices=("model", "builtin", "config"),
        default="model",
        help="learned model (default), rule-based classifier, or the config's triage_backend",
    )
    parser.set_defaults(run=run)


class _BadLine(ValueError):
    """An input line that is not a usable request."""


def _optional_str(request: dict[str, Any], key: str) -> str | None:
    value = request.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _BadLine(f"'{key}' must be a string")
    return value


def _classifier(backend: str, config: Any) -> Any:
    from shared.triage import classify, classify_builtin

    if backend == "model" or (backend == "config" and config.triage_backend == "model"):
        from shared.triage.learned import classify_learned

        return classify_learned
    if backend == "builtin" or config.triage_backend == "builtin":
        return classify_builtin
    return classify  # "comprehend" needs AWS: locally the built-in rules answer, as in intake


def _classify_line(line: str, config: Any, redact_text: bool, classify: Any) -> dict[str, Any]:
    from shared.models.interaction import Author
    from shared.triage import redact

    try:
        request = json.loads(line)
    except json.JSONDecodeError as error:
        raise _BadLine(f"not JSON: {error.msg} at column {error.colno}") from error
    if not isinstance(request, dict):
        raise _BadLine("each line must be a JSON object with a 'text' field")
    text = request.get("text")
    if not isinstance(text, str):
        raise _BadLine("'text' is required and must be a string")
    if len(text) > _TEXT_LIMIT:
        raise _BadLine(f"'text' is longer than {_TEXT_LIMIT} characters")
    platform = _optional_str(request, "platform")
    language = _optional_str(request, "lang")
    waiting = request.get("waiting_minutes", 0.0)
    if isinstance(waiting, bool) or not isinstance(waiting, int | float) or waiting < 0:
        raise _BadLine("'waiting_minutes' must be a non-negative number")
    author = None
    if any(key in request for key in ("followers", "author_id", "handle")):
        try:
            author = Author(
                id=str(request.get("author_id") or "unknown"),
                handle=request.get("handle"),
                followers=request.get("followers"),
            )
        except ValidationError as error:
            raise _BadLine(f"bad author fields: {error.errors()[0]['msg']}") from error
    triage = classify(
        text,
        platform=platform,
        language=language,
        author=author,
        config=config,
        waiting_minutes=float(waiting),
    )
    result = triage.model_dump(mode="json")
    if redact_text:
        result["redacted_text"] = redact(text)[0]
    return result


def load_config(path: Path) -> Any:
    """The validated company configuration, or SystemExit with a readable message."""
    from shared.models.config import HeardConfig

    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SystemExit(f"heard triage: cannot read config {path}: {error.strerror}") from error
    try:
        return HeardConfig.model_validate_json(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in error.errors()[:5]
        )
        raise SystemExit(f"heard triage: invalid config {path}: {problems}") from error


def triage_stream(
    source: TextIO, sink: TextIO, config: Any, *, redact_text: bool = False, backend: str = "model"
) -> int:
    """Classify every line of `source` into `sink`; 0 when all lines were good, 1 otherwise."""
    classify = _classifier(backend, config)
    status = 0
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            result = _classify_line(line, config, redact_text, classify)
        except _BadLine as error:
            result = {"line": number, "error": str(error)}
            status = 1
        sink.write(json.dumps(result, ensure_ascii=False) + "\n")
    sink.flush()
    return status


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    return triage_stream(sys.stdin, sys.stdout, config, redact_text=args.redact, backend=args.backend)
