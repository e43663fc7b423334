"""The API's one error catalogue: every status a route can answer besides success, what it means, its body.

Routes declare their answers with `answers(...)`; the app maps each exception to its status once, from the
same table (`STATUS_OF`), so the OpenAPI document and the behaviour cannot drift apart.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel, Field

from shared.errors import ConfigurationError, Conflict, Forbidden, InvalidInput, NotFound, Unavailable


class Unauthenticated(Exception):
    """No authorizer claims: API Gateway should have refused the call already."""


class MalformedRequest(Exception):
    """The body cannot be read at all (not UTF-8, not JSON, nested too deeply): 400, naming what is wrong."""


class UnsupportedMediaType(Exception):
    """A body that is not JSON: the API speaks only application/json."""


class Problem(BaseModel):
    loc: Annotated[list[str | int], Field(description='Where: ["body", "start"], ["query", "limit"], ...')]
    type: Annotated[str, Field(description="What, as pydantic names it: missing, string_too_long, ...")]
    msg: Annotated[
        str | None, Field(description="Said for people, only where Heard wrote the rule (value_error)")
    ] = None


class ErrorAnswer(BaseModel):
    """Every error the API answers, except a request that breaks its schema (`ValidationAnswer`)."""

    message: str
    detail: Annotated[
        list[Problem] | None,
        Field(
            description="A configuration's problems, each where it is in the document (forms show it there)"
        ),
    ] = None


class ValidationAnswer(BaseModel):
    """A request that breaks the route's schema: every problem, without echoing the input."""

    statusCode: int = 422  # noqa: N815 (Powertools' own name for it, kept so clients see one shape)
    detail: list[Problem]


def invalid_request(error: RequestValidationError) -> Response[Any]:
    """The 422 of a request that breaks its schema: every problem listed in `detail` (any Heard app)."""
    return Response(
        status_code=422,
        content_type=content_types.APPLICATION_JSON,
        body=ValidationAnswer(detail=problems(list(error.errors()))).model_dump(
            mode="json", exclude_none=True
        ),
    )


def problems(errors: list[dict[str, Any]]) -> list[Problem]:
    """Powertools hides pydantic's messages (they may name Python internals); Heard's own validators'
    messages (value_error: "give a time zone", "must be between ...") are kept: they name what is wrong."""
    return [
        Problem(
            loc=list(e["loc"]),
            type=e["type"],
            msg=str(e.get("msg") or "").removeprefix("Value error, ") or None
            if e["type"] == "value_error"
            else None,
        )
        for e in errors
    ]


# What each status means in general; a route may say more precisely what it means there.
MEANING: dict[int, str] = {
    400: "The body cannot be read: not UTF-8, not JSON, or nested too deeply (the message says which)",
    401: "No or invalid token",
    403: "Your roles do not allow this",
    404: "No such resource, or no route matches the path (a path parameter holds characters it cannot)",
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
# A 422 is either a schema validation answer ({"detail": [...]}) or a domain rule's ({"message"}).
_INVALID = {"application/json": {"model": ValidationAnswer | ErrorAnswer}}
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
    404 (no route matches such a path) and 422; `empty` documents body-less answers such as 204; `meanings` override the catalogue's wording
    (`{404: "No such case"}`).
    """
    found: dict[int, OpenAPIResponse] = {success: {"description": description}}
    if success == 204:  # No Content: no body, whatever the handler's return annotation says
        found[success]["content"] = {}
    for status, text in (empty or {}).items():
        found[status] = {"description": text, "content": {}}
    # A path parameter holding characters no route can match (API Gateway decodes them) finds no route: 404.
    statuses = set(ALWAYS) | set(errors) | (set(BODY) if body else set()) | ({404, 422} if params else set())
    for status in sorted(statuses):
        content: Any = _INVALID if status == 422 else _ERROR
        found[status] = {"description": (meanings or {}).get(status, MEANING[status]), "content": content}
    return found


def file_answers(description: str, *media_types: str) -> dict[int, OpenAPIResponse]:
    """The success of a route that answers a file (an export) in one of these media types."""
    return {200: {"description": description, "content": {t: {} for t in media_types}}}
