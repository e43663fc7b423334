"""/api/me/availability: away or not, and who is the backup (R8)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from functions.api.auth import WRITERS, allow, caller
from functions.api.errors import answers
from functions.api.schemas import AvailabilityRequest, AvailabilityView
from shared.usecases import availability
from shared.usecases.deps import default_deps

router = Router()


@router.get(
    "/me/availability",
    summary="Whether you are marked away, and your backup",
    tags=["me"],
    responses=answers(
        errors=(403,), meanings={403: "Only agents, trainees, supervisors and admins have availability"}
    ),
)
@allow(WRITERS)
def get_availability() -> AvailabilityView:
    agent = caller(router)
    return AvailabilityView.model_validate(availability.get(default_deps(), agent).model_dump(mode="json"))


@router.put(
    "/me/availability",
    summary="Mark yourself away (your customers go to your backup) or back",
    tags=["me"],
    responses=answers(
        errors=(403,),
        body=True,
        meanings={
            403: "Only agents, trainees, supervisors and admins set their availability",
            422: "Invalid input, or the backup is not an active agent",
        },
    ),
)
@allow(WRITERS)
def put_availability(body: AvailabilityRequest) -> AvailabilityView:
    agent = caller(router)
    saved = availability.set_availability(default_deps(), agent, body.away, body.backup)
    return AvailabilityView.model_validate(saved.model_dump(mode="json"))
