"""/api/cases: list, open, reply, resolve, follow-ups."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from functions.api.auth import SIGNED_IN, WRITERS, allow, caller
from functions.api.errors import answers
from functions.api.schemas import (
    CaseAnswer,
    CaseDetail,
    CaseId,
    CaseList,
    CaseView,
    FollowUpDoneRequest,
    ReopenRequest,
    ReplyAnswer,
    ReplyRequest,
    ResolveRequest,
    TimelineEntryView,
)
from shared.errors import InvalidInput
from shared.models.case import CaseStatus
from shared.usecases import casework, collision
from shared.usecases.deps import default_deps

router = Router()
CASEWORK = {
    403: "Only agents, trainees, supervisors and admins work on cases",
    404: "No such case",
    409: "The case's state does not allow it",
}


@router.get(
    "/cases",
    summary="List cases",
    tags=["cases"],
    responses=answers(params=True),
)
@allow(SIGNED_IN)
def list_cases(
    status: Annotated[CaseStatus | None, Query(description="queued, assigned or resolved")] = None,
    owner: Annotated[str | None, Query(max_length=320, description="'me' or an agent's email")] = None,
    team: Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9-]{0,39}$")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
) -> CaseList:
    agent = caller(router)
    cases, next_cursor = casework.list_cases(
        default_deps(), agent, status=status, owner=owner, team=team, limit=limit, cursor=cursor
    )
    return CaseList(items=[CaseView.of(c) for c in cases], next_cursor=next_cursor)


@router.get(
    "/cases/<case_id>",
    summary="A case with its full timeline",
    tags=["cases"],
    responses=answers(errors=(404,), params=True, meanings={404: "No such case"}),
)
@allow(SIGNED_IN)
def get_case(case_id: CaseId) -> CaseDetail:
    reader = caller(router)
    deps = default_deps()
    case, timeline = casework.get_case(deps, case_id, reader)
    return CaseDetail(
        case=CaseView.of(case),
        timeline=[TimelineEntryView.of(e) for e in timeline],
        reopens_until=casework.reopens_until(deps, case),
        contact_line=deps.config.get().brand(case.brand).contact_line,
    )


@router.post(
    "/cases/<case_id>/replies",
    summary="Reply to the customer (queued for sending; a trainee's reply waits for approval); 409 when a "
    "colleague answered after `seen_until`",
    tags=["cases"],
    responses=answers(
        202,
        "Recorded and queued for sending, or awaiting approval",
        errors=(403, 404, 409),
        body=True,
        meanings=CASEWORK,
    ),
)
@allow(WRITERS)
def reply(case_id: CaseId, body: ReplyRequest) -> Response[ReplyAnswer]:
    agent = caller(router)
    header = router.current_event.headers.get("idempotency-key") or router.current_event.headers.get(
        "Idempotency-Key"
    )
    if header is not None and body.idempotency_key is not None and header != body.idempotency_key:
        raise InvalidInput("the Idempotency-Key header and the body's idempotency_key differ")
    if body.seen_until is not None:  # collision: a colleague may have answered since the agent looked
        collision.ensure_not_answered_meanwhile(default_deps(), agent, case_id, body.seen_until)
    entry = casework.post_reply(
        default_deps(),
        agent,
        case_id,
        body.text,
        private=body.private,
        idempotency_key=body.idempotency_key or header,
        invite_private=body.invite_private,
        attachment=body.attachment,
    )
    return Response(
        status_code=202,
        content_type=content_types.APPLICATION_JSON,
        body=ReplyAnswer(reply=TimelineEntryView.of(entry)),
    )


@router.post(
    "/cases/<case_id>/resolve",
    summary="Resolve with a reason; complaints get follow-ups (not spam)",
    tags=["cases"],
    responses=answers(errors=(403, 404, 409), body=True, meanings=CASEWORK),
)
@allow(WRITERS)
def resolve(case_id: CaseId, body: ResolveRequest | None = None) -> CaseAnswer:
    agent = caller(router)
    if body is None:
        case = casework.resolve(default_deps(), agent, case_id)
    else:
        case = casework.resolve(default_deps(), agent, case_id, note=body.note, reason=body.reason)
    return CaseAnswer(case=CaseView.of(case))


@router.post(
    "/cases/<case_id>/reopen",
    summary="Reopen a resolved case for its owner",
    tags=["cases"],
    responses=answers(errors=(403, 404, 409), body=True, meanings=CASEWORK),
)
@allow(WRITERS)
def reopen(case_id: CaseId, body: ReopenRequest | None = None) -> CaseAnswer:
    case = casework.reopen(default_deps(), caller(router), case_id, note=body.note if body else "")
    return CaseAnswer(case=CaseView.of(case))


@router.post(
    "/cases/<case_id>/followups/<label>/done",
    summary="Mark a follow-up done",
    tags=["cases"],
    responses=answers(errors=(403, 404, 409), body=True, meanings=CASEWORK),
)
@allow(WRITERS)
def follow_up_done(
    case_id: CaseId,
    label: Annotated[str, Path(pattern=r"^[0-9a-z ]{1,20}$")],
    body: FollowUpDoneRequest | None = None,
) -> CaseAnswer:
    agent = caller(router)
    case = casework.complete_follow_up(default_deps(), agent, case_id, label, note=body.note if body else "")
    return CaseAnswer(case=CaseView.of(case))
