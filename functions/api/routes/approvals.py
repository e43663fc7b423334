"""/api/approvals and /api/cases/{id}/replies/{reply_id}/approve|reject: probation for trainees (R12)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from functions.api.auth import SUPERVISORS, require
from functions.api.schemas import (
    CaseId,
    CaseView,
    DecisionAnswer,
    PendingApprovalList,
    PendingApprovalView,
    PendingCaseView,
    RejectRequest,
    TimelineEntryView,
)
from shared.usecases import approvals
from shared.usecases.approvals import Decision
from shared.usecases.deps import default_deps

router = Router()
ERRORS: dict[int, OpenAPIResponse] = {
    401: {"description": "No or invalid token"},
    403: {"description": "Only supervisors and admins approve"},
    404: {"description": "No such case or reply"},
    409: {
        "description": "The reply is not awaiting approval (decided already) or the case does not allow it"
    },
}
ReplyId = Annotated[str, Path(pattern=r"^[a-z0-9]{4,40}$", description="The reply's timeline entry id")]


@router.get(
    "/approvals",
    summary="Trainees' replies awaiting approval, oldest first, with their case's summary",
    tags=["approvals"],
    responses={401: ERRORS[401], 403: ERRORS[403]},
)
def pending(limit: Annotated[int, Query(ge=1, le=100)] = 50) -> PendingApprovalList:
    supervisor = require(router, SUPERVISORS)
    return PendingApprovalList(
        items=[
            PendingApprovalView(
                case_id=p.case_id,
                reply_id=p.reply_id,
                author=p.author,
                text=p.text,
                at=p.at,
                case=PendingCaseView.model_validate(p.case),
            )
            for p in approvals.pending(default_deps(), supervisor, limit)
        ]
    )


def _answer(decision: Decision) -> DecisionAnswer:
    return DecisionAnswer(
        case=CaseView.of(decision.case),
        reply=TimelineEntryView.of(decision.reply),
        decision=TimelineEntryView.of(decision.entry),
    )


@router.post(
    "/cases/<case_id>/replies/<reply_id>/approve",
    summary="Approve a trainee's reply: it goes on the outbox like an agent's",
    tags=["approvals"],
    responses=ERRORS,
)
def approve(case_id: CaseId, reply_id: ReplyId) -> DecisionAnswer:
    supervisor = require(router, SUPERVISORS)
    return _answer(approvals.approve(default_deps(), supervisor, case_id, reply_id))


@router.post(
    "/cases/<case_id>/replies/<reply_id>/reject",
    summary="Send a trainee's reply back with feedback (never sent to the customer)",
    tags=["approvals"],
    responses={**ERRORS, 422: {"description": "Feedback missing or too long"}},
)
def reject(case_id: CaseId, reply_id: ReplyId, body: RejectRequest) -> DecisionAnswer:
    supervisor = require(router, SUPERVISORS)
    return _answer(approvals.reject(default_deps(), supervisor, case_id, reply_id, body.feedback))
