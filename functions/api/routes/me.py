"""/api/me: who the console is talking to."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from functions.api.auth import SIGNED_IN, allow, caller
from functions.api.errors import answers
from functions.api.schemas import Me

router = Router()


@router.get("/me", summary="The signed-in user and their roles", tags=["me"], responses=answers())
@allow(SIGNED_IN)
def me() -> Me:
    agent = caller(router)
    return Me(email=agent.email, groups=sorted(agent.groups))
