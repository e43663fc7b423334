"""/api/config: the company's configuration, read by supervisors, replaced by admins (R7)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from functions.api.auth import SUPERVISORS, require
from functions.api.schemas import ConfigAnswer
from shared.usecases import configuration
from shared.usecases.deps import default_deps

router = Router()
ERRORS: dict[int, OpenAPIResponse] = {
    401: {"description": "No or invalid token"},
    403: {"description": "The role may not do this"},
    422: {"description": "Invalid configuration (every problem listed)"},
}
ADMINS = frozenset({"admin"})


@router.get(
    "/config",
    summary="The configuration in force",
    tags=["config"],
    responses={401: ERRORS[401], 403: ERRORS[403]},
)
def get_config() -> ConfigAnswer:
    require(router, SUPERVISORS)
    return ConfigAnswer(config=configuration.current(default_deps()).model_dump(mode="json"))


@router.put(
    "/config",
    summary="Replace the configuration (validated; the last good one stays on error)",
    tags=["config"],
    responses={401: ERRORS[401], 403: ERRORS[403], 422: ERRORS[422]},
)
def put_config(
    body: Annotated[dict[str, Any], Body(description="A whole configuration document")],
) -> ConfigAnswer:
    agent = require(router, ADMINS)
    return ConfigAnswer(config=configuration.replace(default_deps(), agent, body).model_dump(mode="json"))
