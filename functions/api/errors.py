"""The API's one error catalogue: every status a route can answer besides success, what it means, its body.

Routes declare their answers with `answers(...)`; the app maps each exception to its status once, from the
same table (`STATUS_OF`), so the OpenAPI document and the behaviour cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel

from shared.errors import ConfigurationError, Conflict, Forbidden, InvalidInput, NotFound, Unavailable


class Unauthenticated(Exception):
    """No authorizer claims: API Gateway should have refused the call already."""


class MalformedRequest(Exception):
    """The body cannot be read at all (not UTF-8, not JSON, nested too deeply): 400, naming what is wrong."""


class UnsupportedMediaType(Exception):
    """A body that is not JSON: the API speaks only application/json."""


class ErrorAnswer(BaseModel):
    """Every error the API answers, except a request that fails its schema (see `HTTPValidationError`)."""

    message: str


# What each status means in general; a route may say more precisely what it means there.
MEANING: dict[int, str] = {
    400: "The body cannot be read: not UTF-8, not JSON, or nested too deeply (the message says which)",
    401: "No or invalid token",
    403: "Your roles do not allow this",
    404: "No such resource",
    409: "The resource's state does not allow it",
    415: "The body is not JSON (send Content-Type: application/json)",
    422: "Invalid input: the request breaks the schema (every problem listed in `detail`) or a rule "
    "(`message`)",
    503: "A dependency failed for now or Heard is misconfigured; nothing was changed, try again",
}

STATUS_OF: dict[type[Exception], int] = {
    MalformedRequest: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    UnsupportedMediaType: 415,
    InvalidInput: 422,
    Unavailable: 503,
    ConfigurationError: 503,
}

_ERROR = {"application/json": {"model": ErrorAnswer}}
# A 422 is either Powertools' schema validation answer ({"detail": [...]}) or a domain rule ({"message"}).
_INVALID = {
    "application/json": {
        "schema": {
            "anyOf": [
                {"$ref": "#/components/schemas/HTTPValidationError"},
                {"$ref": "#/components/schemas/ErrorAnswer"},
            ]
        }
    }
}
# Every route: the token (401), a dependency (503) and its parameters (422, when it has any).
ALWAYS = (401, 503)
BODY = (400, 415, 422)  # routes that read a JSON body


def answers(
    success: int = 200,
    description: str = "Success",
    *,
    errors: tuple[int, ...] = (),
    body: bool = False,
    params: bool = False,
    empty: dict[int, str] | None = None,
    meanings: dict[int, str] | None = None,
) -> dict[int, OpenAPIResponse]:
    """The responses of one route: its success (the route's return model), then every error it can give.

    `errors` lists the route-specific statuses (403, 404, 409); `body` adds 400/415/422, `params` adds
    422; `empty` documents body-less answers such as 204; `meanings` override the catalogue's wording
    (`{404: "No such case"}`).
    """
    found: dict[int, OpenAPIResponse] = {success: {"description": description}}
    for status, text in (empty or {}).items():
        found[status] = {"description": text, "content": {}}
    statuses = set(ALWAYS) | set(errors) | (set(BODY) if body else set()) | ({422} if params else set())
    for status in sorted(statuses):
        content: Any = _INVALID if status == 422 else _ERROR
        found[status] = {"description": (meanings or {}).get(status, MEANING[status]), "content": content}
    return found
