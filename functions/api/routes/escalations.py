"""/api/cases/{id}/escalate and /api/escalation-contacts (R9, R22)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from functions.api.auth import WRITERS, current_agent, require
from functions.api.schemas import (
    CaseId,
    CaseView,
    EscalateRequest,
    EscalationAnswer,
    EscalationContactList,
    EscalationContactView,
    TimelineEntryView,
)
from shared.usecases import escalation
from shared.usecases.deps import default_deps

router = Router()
ERRORS: dict[int, OpenAPIResponse] = {
    401: {"description": "No or invalid token"},
    403: {"description": "The role may not do this"},
    404: {"description": "No such case"},
    422: {"description": "Unknown contact or team, or both/neither given"},
}


@router.post(
    "/cases/<case_id>/escalate",
    summary="Escalate to a contact (notified) or a team (requeued)",
    tags=["cases"],
    responses={401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404], 422: ERRORS[422]},
)
def escalate(case_id: CaseId, body: EscalateRequest) -> EscalationAnswer:
    agent = require(router, WRITERS)
    case, entry = escalation.escalate(
        default_deps(), agent, case_id, contact=body.contact, team=body.team, reason=body.reason
    )
    return EscalationAnswer(case=CaseView.of(case), escalation=TimelineEntryView.of(entry))


@router.get(
    "/escalation-contacts",
    summary="The escalation directory",
    tags=["escalation"],
    responses={401: ERRORS[401]},
)
def contacts() -> EscalationContactList:
    current_agent(router)
    return EscalationContactList(
        items=[
            EscalationContactView.model_validate(c.model_dump(mode="json"))
            for c in escalation.directory(default_deps())
        ]
    )
