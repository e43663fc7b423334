"""/api/config: the company's configuration, read by supervisors, replaced by admins (R7)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from functions.api.auth import ADMINS, SUPERVISORS, allow, caller
from functions.api.errors import answers
from functions.api.schemas import ConfigAnswer
from shared.usecases import configuration
from shared.usecases.deps import default_deps

router = Router()


@router.get(
    "/config",
    summary="The configuration in force",
    tags=["config"],
    responses=answers(errors=(403,), meanings={403: "Supervisors and admins only"}),
)
@allow(SUPERVISORS)
def get_config() -> ConfigAnswer:
    return ConfigAnswer(config=configuration.current(default_deps()).model_dump(mode="json"))


@router.put(
    "/config",
    summary="Replace the configuration (validated; the last good one stays on error)",
    tags=["config"],
    description="Send the document as read from GET (with its `revision`): a document read before the "
    "stored one was last saved is refused with 409, naming what changed meanwhile.",
    responses=answers(
        errors=(403, 409),
        body=True,
        meanings={
            403: "Admins only",
            409: "The document is stale: someone saved the configuration since it was read",
            422: "Invalid configuration (every problem listed)",
        },
    ),
)
@allow(ADMINS)
def put_config(
    body: Annotated[dict[str, Any], Body(description="A whole configuration document")],
) -> ConfigAnswer:
    agent = caller(router)
    return ConfigAnswer(config=configuration.replace(default_deps(), agent, body).model_dump(mode="json"))
