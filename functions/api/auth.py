"""Who is calling: the Cognito authorizer's claims, turned into an Agent with roles (Cognito groups)."""

from __future__ import annotations

import re
from typing import Any, cast

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from shared.errors import Forbidden
from shared.models.roles import (  # noqa: F401 (WRITERS, SUPERVISORS re-exported to routes)
    ROLES,
    SUPERVISORS,
    WRITERS,
)
from shared.usecases.casework import Agent


class Unauthenticated(Exception):
    """No authorizer claims: API Gateway should have refused the call already."""


def _groups(value: Any) -> frozenset[str]:
    # API Gateway REST passes claims as strings; a list of groups may arrive as "[a b]", "a,b" or a list.
    if isinstance(value, list):
        return frozenset(str(v) for v in value)
    if not value:
        return frozenset()
    return frozenset(g for g in re.split(r"[\s,\[\]]+", str(value)) if g)


def current_agent(router: Router) -> Agent:
    event = cast(APIGatewayProxyEvent, router.current_event)  # the REST resolver's event type
    context = event.request_context
    claims = (context.authorizer.claims if context.authorizer else None) or {}
    email = claims.get("email") or claims.get("cognito:username")
    if not email:
        raise Unauthenticated()
    return Agent(email=str(email).lower(), groups=_groups(claims.get("cognito:groups")) & frozenset(ROLES))


def require(router: Router, allowed: frozenset[str]) -> Agent:
    agent = current_agent(router)
    if not agent.groups & allowed:
        raise Forbidden(f"this needs one of the roles {sorted(allowed)}")
    return agent
