"""/api/cases/{id}/escalate and /api/escalation-contacts (R9, R22)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from functions.api.auth import SIGNED_IN, WRITERS, allow, caller
from functions.api.errors import answers
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


@router.post(
    "/cases/<case_id>/escalate",
    summary="Escalate to a contact (notified) or a team (requeued)",
    tags=["cases"],
    responses=answers(
        errors=(403, 404, 409),
        body=True,
        meanings={
            403: "Only agents, trainees, supervisors and admins escalate",
            404: "No such case",
            409: "The case's state does not allow it",
            422: "Invalid input: unknown contact or team, or both/neither given",
        },
    ),
)
@allow(WRITERS)
def escalate(case_id: CaseId, body: EscalateRequest) -> EscalationAnswer:
    agent = caller(router)
    case, entry = escalation.escalate(
        default_deps(),
        agent,
        case_id,
        contact=body.contact,
        team=body.team,
        reason=body.reason,
        urgent=body.urgent,
    )
    return EscalationAnswer(case=CaseView.of(case), escalation=TimelineEntryView.of(entry))


@router.get(
    "/escalation-contacts",
    summary="The escalation directory",
    tags=["escalation"],
    responses=answers(),
)
@allow(SIGNED_IN)
def contacts() -> EscalationContactList:
    return EscalationContactList(
        items=[
            EscalationContactView.model_validate(c.model_dump(mode="json"))
            for c in escalation.directory(default_deps())
        ]
    )
