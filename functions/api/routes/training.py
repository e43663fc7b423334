"""/api/training: procedure changes and the check agents pass before replying under them (R26)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path

from functions.api.auth import SUPERVISORS, WRITERS, allow, caller
from functions.api.errors import answers
from functions.api.schemas import (
    AttemptRequest,
    AttemptView,
    ChangeView,
    PublishChangeRequest,
    TrainingStatusView,
    TrainingView,
)
from shared.usecases import training
from shared.usecases.deps import default_deps

router = Router()
Version = Annotated[int, Path(ge=1, le=1_000_000, description="The procedure change's version")]


@router.post(
    "/training/changes",
    summary="Publish a procedure change with its check: every agent must pass it before replying directly",
    tags=["training"],
    responses=answers(
        201, "Published", errors=(403, 409), body=True, meanings={403: "Supervisors and admins only"}
    ),
)
@allow(SUPERVISORS)
def publish_change(body: PublishChangeRequest) -> Response[ChangeView]:
    agent = caller(router)
    change = training.publish(default_deps(), agent, body.kind, body.title, body.summary, body.questions)
    return Response(
        status_code=201,
        content_type=content_types.APPLICATION_JSON,
        body=ChangeView.model_validate(change.model_dump()),
    )


@router.get(
    "/training",
    summary="The procedure change in force (without answers) and whether you have passed its check",
    tags=["training"],
    responses=answers(errors=(403,)),
)
@allow(WRITERS)
def my_training() -> TrainingView:
    return TrainingView.model_validate(training.for_agent(default_deps(), caller(router)))


@router.post(
    "/training/<version>/attempts",
    summary="Answer the check; passing it lets your replies go out directly again",
    tags=["training"],
    responses=answers(errors=(403, 404), body=True, params=True, meanings={404: "Not the change in force"}),
)
@allow(WRITERS)
def attempt_check(version: Version, body: AttemptRequest) -> AttemptView:
    return AttemptView.model_validate(training.attempt(default_deps(), caller(router), version, body.answers))


@router.get(
    "/training/status",
    summary="Who has passed the check of the change in force",
    tags=["training"],
    responses=answers(
        errors=(403, 409), meanings={403: "Supervisors and admins only", 409: "Nothing published"}
    ),
)
@allow(SUPERVISORS)
def training_status() -> TrainingStatusView:
    return TrainingStatusView.model_validate(training.status(default_deps()))
