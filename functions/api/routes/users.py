"""/api/users: admins invite people, set their role, teams and probation end, and disable them."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router

from functions.api.auth import ADMINS, allow, caller
from functions.api.errors import answers
from functions.api.routes.teams import PersonEmail
from functions.api.schemas import InviteRequest, UserChange, UserList, UserView
from shared.usecases import users
from shared.usecases.deps import default_deps

router = Router()


@router.get(
    "/users",
    summary="Every account of the user pool with its role, teams, skills and probation end",
    tags=["users"],
    responses=answers(errors=(403,), meanings={403: "Admins only"}),
)
@allow(ADMINS)
def list_users() -> UserList:
    return UserList(items=[UserView.model_validate(u) for u in users.directory(default_deps())])


@router.post(
    "/users/<email>",
    summary="Invite a person: create their account (the pool emails a temporary password) in a role and teams",
    tags=["users"],
    responses=answers(
        201,
        "Invited",
        errors=(403, 409),
        body=True,
        params=True,
        meanings={403: "Admins only", 409: "An account for this email exists already"},
    ),
)
@allow(ADMINS)
def invite_user(email: PersonEmail, body: InviteRequest) -> Response[UserView]:
    agent = caller(router)
    found = users.invite(
        default_deps(), agent, email, body.role, body.teams, body.skills, body.probation_until
    )
    return Response(
        status_code=201, content_type=content_types.APPLICATION_JSON, body=UserView.model_validate(found)
    )


@router.patch(
    "/users/<email>",
    summary="Change a person's role, teams, skills, probation end, or disable/enable their account",
    tags=["users"],
    responses=answers(
        errors=(403, 404),
        body=True,
        params=True,
        meanings={403: "Admins only", 404: "No account for this email"},
    ),
)
@allow(ADMINS)
def change_user(email: PersonEmail, body: UserChange) -> UserView:
    agent = caller(router)
    # Only the fields given change; null means "end it" for the probation date only.
    given = body.model_dump(include=body.model_fields_set)
    changes = {k: v for k, v in given.items() if v is not None or k == "probation_until"}
    return UserView.model_validate(users.change(default_deps(), agent, email, changes))
