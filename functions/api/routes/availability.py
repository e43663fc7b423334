"""/api/me/availability: away or not, and who is the backup (R8)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from functions.api.auth import WRITERS, require
from functions.api.schemas import AvailabilityRequest, AvailabilityView
from shared.usecases import availability
from shared.usecases.deps import default_deps

router = Router()
ERRORS: dict[int, OpenAPIResponse] = {
    401: {"description": "No or invalid token"},
    403: {"description": "The role may not do this"},
    422: {"description": "Invalid input"},
}


@router.get(
    "/me/availability",
    summary="Whether you are marked away, and your backup",
    tags=["me"],
    responses={401: ERRORS[401], 403: ERRORS[403]},
)
def get_availability() -> AvailabilityView:
    agent = require(router, WRITERS)
    return AvailabilityView.model_validate(availability.get(default_deps(), agent).model_dump(mode="json"))


@router.put(
    "/me/availability",
    summary="Mark yourself away (your customers go to your backup) or back",
    tags=["me"],
    responses={401: ERRORS[401], 403: ERRORS[403], 422: ERRORS[422]},
)
def put_availability(body: AvailabilityRequest) -> AvailabilityView:
    agent = require(router, WRITERS)
    saved = availability.set_availability(default_deps(), agent, body.away, body.backup)
    return AvailabilityView.model_validate(saved.model_dump(mode="json"))
