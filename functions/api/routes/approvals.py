"""/api/approvals and /api/cases/{id}/replies/{reply_id}/approve|reject: probation for trainees (R12)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from functions.api.auth import SUPERVISORS, allow, caller
from functions.api.errors import answers
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
DECIDING = {
    403: "Only supervisors and admins approve",
    404: "No such case or reply",
    409: "The reply is not awaiting approval (decided already) or the case does not allow it",
}
ReplyId = Annotated[str, Path(pattern=r"^[a-z0-9]{4,40}$", description="The reply's timeline entry id")]


@router.get(
    "/approvals",
    summary="Trainees' replies awaiting approval, oldest first, with their case's summary",
    tags=["approvals"],
    responses=answers(errors=(403,), params=True),
)
@allow(SUPERVISORS)
def pending(limit: Annotated[int, Query(ge=1, le=100)] = 50) -> PendingApprovalList:
    supervisor = caller(router)
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
    responses=answers(errors=(403, 404, 409), params=True, meanings=DECIDING),
)
@allow(SUPERVISORS)
def approve(case_id: CaseId, reply_id: ReplyId) -> DecisionAnswer:
    supervisor = caller(router)
    return _answer(approvals.approve(default_deps(), supervisor, case_id, reply_id))


@router.post(
    "/cases/<case_id>/replies/<reply_id>/reject",
    summary="Send a trainee's reply back with feedback (never sent to the customer)",
    tags=["approvals"],
    responses=answers(errors=(403, 404, 409), body=True, meanings=DECIDING),
)
@allow(SUPERVISORS)
def reject(case_id: CaseId, reply_id: ReplyId, body: RejectRequest) -> DecisionAnswer:
    supervisor = caller(router)
    return _answer(approvals.reject(default_deps(), supervisor, case_id, reply_id, body.feedback))
