"""/api/queues: team work queues and claiming the most urgent case."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path

from functions.api.auth import SIGNED_IN, WRITERS, allow, caller
from functions.api.errors import answers
from functions.api.schemas import CaseAnswer, CaseView, QueueList, QueueView
from shared.usecases import casework
from shared.usecases.deps import default_deps

router = Router()


@router.get(
    "/queues", summary="Work queues by team, with depth per priority", tags=["queues"], responses=answers()
)
@allow(SIGNED_IN)
def list_queues() -> QueueList:
    return QueueList(items=[QueueView.model_validate(q) for q in casework.queues(default_deps())])


@router.post(
    "/queues/<team>/next",
    summary="Claim the most urgent waiting case of a team (204 when the queue is empty)",
    tags=["queues"],
    responses=answers(
        200,
        "Claimed: the case is yours",
        errors=(403, 404, 409),
        params=True,
        empty={204: "The queue is empty"},
        meanings={
            403: "Only agents, trainees, supervisors and admins claim cases",
            404: "No such team",
            409: "At capacity: finish a case first",
        },
    ),
)
@allow(WRITERS)
def claim_next(team: Annotated[str, Path(pattern=r"^[a-z][a-z0-9-]{0,39}$")]) -> Response[CaseAnswer | None]:
    agent = caller(router)
    case = casework.claim_next(default_deps(), agent, team)
    if case is None:
        return Response(status_code=204)
    return Response(
        status_code=200, content_type=content_types.APPLICATION_JSON, body=CaseAnswer(case=CaseView.of(case))
    )
