"""The Heard API: one resolver, a Router per resource, domain errors mapped to HTTP once (functions/api/errors).

Every request is handled in this order: who is calling and may they use this route (401/403), can the body
be read at all (400/415), does it fit the route's schema (422, Powertools' validation), then the route.
"""

from __future__ import annotations

from typing import Any, cast

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import ResponseBuilder, Route
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from functions.api import body
from functions.api.auth import allowed_roles, authorise
from functions.api.errors import STATUS_OF, Problem, Unauthenticated, invalid_request
from functions.api.routes import (
    accounts,
    analytics,
    approvals,
    attachments,
    audit,
    autoanswers,
    availability,
    cases,
    config,
    contacts,
    crises,
    escalations,
    exports,
    integrations,
    knowledge,
    lookups,
    me,
    meta,
    moderation,
    notes,
    notifications,
    presence,
    privacy,
    queues,
    reports,
    reviews,
    search,
    surveys,
    teams,
    training,
    users,
    writing,
)
from shared.errors import ConfigurationError
from shared.models.config import InvalidConfig
from shared.observability import logger


class _AuthoriseFirst(APIGatewayRestResolver):
    """Powertools validates a route's parameters and body before any middleware runs, so a caller who may
    not use a route would learn its schema (and a body that cannot be decoded would crash). Check the
    caller and the body's bytes first; exceptions go through the same exception handlers as the route's."""

    def _call_route(self, route: Route, route_arguments: dict[str, str]) -> ResponseBuilder:
        roles = allowed_roles(route.func)
        if roles is not None:  # None: Powertools' own not-found and CORS pre-flight answers
            try:
                event = cast(APIGatewayProxyEvent, self.current_event)
                authorise(event, roles)
                body.check(event)
            except tuple(STATUS_OF) as error:
                answer = self._call_exception_handler(error, route)
                if answer is None:  # pragma: no cover (every catalogued exception has a handler below)
                    raise
                return answer
        return super()._call_route(route, route_arguments)


# The console is served from another origin (CloudFront) in AWS; tokens travel in a header, not cookies,
# so any origin may read answers (CORS protects cookies, which Heard does not use).
cors = CORSConfig(allow_origin="*", allow_headers=["Authorization", "Content-Type"], max_age=600)
app = _AuthoriseFirst(enable_validation=True, cors=cors)
for module in (
    me,
    availability,
    queues,
    cases,
    approvals,
    reviews,
    escalations,
    crises,
    config,
    reports,
    analytics,
    audit,
    privacy,
    exports,
    teams,
    accounts,
    moderation,
    surveys,
    contacts,
    users,
    autoanswers,
    training,
):
    app.include_router(module.router, prefix="/api")
app.include_router(meta.router, prefix="/api")
app.include_router(knowledge.router, prefix="/api")  # approved answers, suggestions, saved replies (#11)
app.include_router(notes.router, prefix="/api")
app.include_router(notifications.router, prefix="/api")
app.include_router(search.router, prefix="/api")  # finding cases, saved views (#10)
app.include_router(presence.router, prefix="/api")  # who else has a case open (#10)
app.include_router(attachments.router, prefix="/api")  # customers' media, images on replies (#16)
app.include_router(lookups.router, prefix="/api")  # the company's own systems (#17)
app.include_router(integrations.router, prefix="/api")  # the Slack/Teams notifier (#17)
app.include_router(writing.router, prefix="/api")  # drafts, summaries, translation (#11)


def _message(error: Exception) -> str:
    if isinstance(error, ConfigurationError):
        logger.error("configuration error", extra={"error": str(error)})
        return "Heard is not configured correctly; an administrator has been told"
    if isinstance(error, Unauthenticated):
        return "Unauthorized"
    return str(error)


def _answer(error: Exception) -> Response[Any]:
    status = next(code for kind, code in STATUS_OF.items() if isinstance(error, kind))
    answer: dict[str, Any] = {"message": _message(error)}
    if isinstance(error, InvalidConfig):  # where each problem is, so a form shows it next to its field
        answer["detail"] = [
            Problem(loc=["body", *loc], type="value_error", msg=msg).model_dump()
            for loc, msg in error.problems
        ]
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=answer)


app.exception_handler(list(STATUS_OF))(_answer)


@app.not_found
def _no_route(_: Exception) -> Response[Any]:
    event = app.current_event
    return Response(
        status_code=404,
        content_type=content_types.APPLICATION_JSON,
        body={
            "message": f"No route matches {event.http_method} {event.path}: check the path and its parameters"
        },
    )


app.exception_handler(RequestValidationError)(invalid_request)
