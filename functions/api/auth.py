"""Who is calling and whether they may: the Cognito authorizer's claims, turned into an Agent with roles
(Cognito groups). Each route declares who may call it with `@allow(...)`; the app checks that before it
reads the route's parameters or body, so a caller who may not use a route learns nothing about its input."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar, cast

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from functions.api.errors import Unauthenticated
from shared.errors import Forbidden
from shared.models.roles import (  # noqa: F401 (WRITERS, SUPERVISORS, REVIEWERS re-exported to routes)
    ADMINS,
    REVIEWERS,
    ROLES,
    SUPERVISORS,
    WRITERS,
)
from shared.usecases.casework import Agent

F = TypeVar("F", bound=Callable[..., Any])
SIGNED_IN: frozenset[str] = frozenset()  # any signed-in user, whatever their roles
_ROLES_ATTRIBUTE = "heard_allowed_roles"


def _groups(value: Any) -> frozenset[str]:
    # API Gateway REST passes claims as strings; a list of groups may arrive as "[a b]", "a,b" or a list.
    if isinstance(value, list):
        return frozenset(str(v) for v in value)
    if not value:
        return frozenset()
    return frozenset(g for g in re.split(r"[\s,\[\]]+", str(value)) if g)


def allow(roles: frozenset[str]) -> Callable[[F], F]:
    """Who may call the route (`SIGNED_IN`: anyone with a valid token). Put it under `@router.<method>`."""

    def mark(route: F) -> F:
        setattr(route, _ROLES_ATTRIBUTE, roles)
        return route

    return mark


def allowed_roles(route: Callable[..., Any]) -> frozenset[str] | None:
    """The roles a route allows, or None when it declares none (Powertools' not-found and CORS answers)."""
    return getattr(route, _ROLES_ATTRIBUTE, None)


def agent_of(event: APIGatewayProxyEvent) -> Agent:
    context = event.request_context
    claims = (context.authorizer.claims if context.authorizer else None) or {}
    email = claims.get("email") or claims.get("cognito:username")
    if not email:
        raise Unauthenticated()
    return Agent(email=str(email).lower(), groups=_groups(claims.get("cognito:groups")) & frozenset(ROLES))


def authorise(event: APIGatewayProxyEvent, roles: frozenset[str]) -> Agent:
    agent = agent_of(event)
    if roles and not agent.groups & roles:
        raise Forbidden(f"this needs one of the roles {sorted(roles)}")
    return agent


def caller(router: Router) -> Agent:
    """The signed-in caller of the route being served (already authorised by the app)."""
    return agent_of(cast(APIGatewayProxyEvent, router.current_event))  # the REST resolver's event type
