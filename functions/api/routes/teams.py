"""/api/teams and /api/people/{email}: who is in which team, with which skills (R7)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path

from functions.api.auth import SUPERVISORS, allow, caller
from functions.api.errors import answers
from functions.api.schemas import PersonRequest, PersonView, TeamList, TeamView
from shared.usecases import teams
from shared.usecases.deps import default_deps

router = Router()

PersonEmail = Annotated[
    str, Path(pattern=r"^[^@\s/]{1,64}@[^@\s/]{1,255}$", max_length=320, description="The person's email")
]


@router.get(
    "/teams",
    summary="Teams with their members and skills",
    tags=["teams"],
    responses=answers(errors=(403,), meanings={403: "Supervisors and admins only"}),
)
@allow(SUPERVISORS)
def list_teams() -> TeamList:
    return TeamList(items=[TeamView.model_validate(t) for t in teams.roster(default_deps())])


@router.put(
    "/people/<email>",
    summary="Set the teams a person belongs to and their skills (moves them between teams)",
    tags=["teams"],
    responses=answers(
        errors=(403,),
        body=True,
        params=True,
        meanings={403: "Supervisors and admins only", 422: "Invalid input: unknown team, bad skill or email"},
    ),
)
@allow(SUPERVISORS)
def put_person(email: PersonEmail, body: PersonRequest) -> PersonView:
    agent = caller(router)
    answer = teams.set_person(default_deps(), agent, email, body.teams, body.skills)
    return PersonView.model_validate(answer)
