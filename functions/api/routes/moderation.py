"""/api/cases/{case_id}/moderation: hide or unhide a comment, delete one the brand sent, block or unblock
the customer, where the platform allows (issue #16). The platform is called at once; the case's timeline
records the action and its undo."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel, ConfigDict, Field

from functions.api.auth import WRITERS, allow, caller
from functions.api.errors import answers
from functions.api.schemas import CaseAnswer, CaseId, CaseView
from shared.platforms.moderation import ModerationAction
from shared.usecases import moderation
from shared.usecases.deps import default_deps

router = Router()


class ModerationBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Annotated[ModerationAction, Field(description="hide, unhide, delete, block or unblock")]
    message_id: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=512,
            description="The comment (default: the customer's latest); for delete, a comment we sent",
        ),
    ] = None


@router.post(
    "/cases/<case_id>/moderation",
    summary="Moderate on the platform: hide/unhide a comment, delete ours, block/unblock the customer",
    tags=["cases"],
    responses=answers(
        errors=(403, 404, 409, 503),
        body=True,
        params=True,
        meanings={
            403: "Only the case's owner or a supervisor (anyone while nobody owns it)",
            404: "No such case",
            409: "The platform refused, or the case changed meanwhile",
            422: "The platform does not allow this here, or the comment is not this case's",
            503: "The platform asks us to slow down or is unavailable: try again shortly",
        },
    ),
)
@allow(WRITERS)
def moderate(case_id: CaseId, body: ModerationBody) -> CaseAnswer:
    case = moderation.act(default_deps(), caller(router), case_id, body.action, body.message_id)
    return CaseAnswer(case=CaseView.of(case))
