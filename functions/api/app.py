"""The Heard API: one resolver, a Router per resource, domain errors mapped to HTTP once."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response, content_types

from functions.api.auth import Unauthenticated
from functions.api.routes import (
    approvals,
    availability,
    cases,
    config,
    crises,
    escalations,
    me,
    meta,
    queues,
    reports,
    reviews,
)
from shared.errors import ConfigurationError, Conflict, Forbidden, InvalidInput, NotFound, Unavailable
from shared.observability import logger

# The console is served from another origin (CloudFront) in AWS; tokens travel in a header, not cookies,
# so any origin may read answers (CORS protects cookies, which Heard does not use).
cors = CORSConfig(allow_origin="*", allow_headers=["Authorization", "Content-Type"], max_age=600)
app = APIGatewayRestResolver(enable_validation=True, cors=cors)
for module in (me, availability, queues, cases, approvals, reviews, escalations, crises, config, reports):
    app.include_router(module.router, prefix="/api")
app.include_router(meta.router, prefix="/api")


def _error(status: int, message: str) -> Response:
    return Response(
        status_code=status, content_type=content_types.APPLICATION_JSON, body={"message": message}
    )


@app.exception_handler(Unauthenticated)
def _unauthenticated(_: Unauthenticated) -> Response:
    return _error(401, "Unauthorized")


@app.exception_handler(Forbidden)
def _forbidden(error: Forbidden) -> Response:
    return _error(403, str(error))


@app.exception_handler(NotFound)
def _not_found(error: NotFound) -> Response:
    return _error(404, str(error))


@app.exception_handler(Conflict)
def _conflict(error: Conflict) -> Response:
    return _error(409, str(error))


@app.exception_handler(InvalidInput)
def _invalid(error: InvalidInput) -> Response:
    return _error(422, str(error))


@app.exception_handler(Unavailable)
def _unavailable(error: Unavailable) -> Response:
    return _error(503, str(error))


@app.exception_handler(ConfigurationError)
def _misconfigured(error: ConfigurationError) -> Response:
    logger.error("configuration error", extra={"error": str(error)})
    return _error(503, "Heard is not configured correctly; an administrator has been told")
