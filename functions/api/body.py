"""Reading a request body safely, before Powertools parses it: bytes that are not UTF-8, text that is not
JSON and JSON nested deeper than any Heard document are refused with a 400 naming what is wrong (they used to
escape as exceptions, i.e. 502 from API Gateway)."""

from __future__ import annotations

import base64
import binascii
import json
import re

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from functions.api.errors import MalformedRequest, UnsupportedMediaType

# The configuration document, the deepest body Heard takes, nests 7 levels; 32 leaves room and stays far
# from the JSON parser's recursion limit.
MAX_DEPTH = 32
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


def check(event: APIGatewayProxyEvent) -> None:
    """Raise MalformedRequest / UnsupportedMediaType unless the body is absent or readable JSON."""
    raw = event.body
    if not raw:
        return
    text = _text(raw, bool(event.is_base64_encoded))
    content_type = (event.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type and content_type != "application/json":
        raise UnsupportedMediaType(
            f"the body must be JSON (Content-Type: application/json), not {content_type}"
        )
    depth = _depth(text)
    if depth > MAX_DEPTH:
        raise MalformedRequest(f"the body nests {depth} levels deep; at most {MAX_DEPTH} are allowed")
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except ValueError as error:  # JSONDecodeError, and numbers too long to convert
        raise MalformedRequest(f"the body is not valid JSON: {error}") from error
    try:  # "\\ud83d" alone is valid JSON but no text: it could never be stored or sent
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise MalformedRequest("the body holds half a character (a lone surrogate escape)") from error


def _text(raw: str, is_base64: bool) -> str:
    if not is_base64:
        return raw
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as error:
        raise MalformedRequest("the body is marked base64 but is not") from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedRequest(f"the body is not UTF-8 text (byte {error.start} is invalid)") from error


def _depth(text: str) -> int:
    """The deepest nesting of arrays and objects, ignoring brackets inside strings (regular expressions, so
    linear and fast even for a body of megabytes)."""
    deepest = depth = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _refuse_constant(name: str) -> None:
    raise MalformedRequest(f"the body is not valid JSON: {name} is not a JSON value")
