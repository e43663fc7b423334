"""/api/crises: declare a crisis, update its holding statement, end it; spike suggestions (R6, R15)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from functions.api.auth import SIGNED_IN, SUPERVISORS, allow, caller
from functions.api.errors import answers
from functions.api.schemas import (
    CrisisAnswer,
    CrisisList,
    CrisisView,
    DeclareCrisisRequest,
    EndCrisisRequest,
    HoldingStatementBody,
    SuggestionList,
    SuggestionView,
    UpdateCrisisRequest,
    UpdateProgressList,
    UpdateProgressView,
)
from shared.models.crisis import HoldingStatement
from shared.usecases import broadcast, crisis, spikes
from shared.usecases.deps import default_deps

router = Router()
MEANINGS = {
    403: "Supervisors and admins only",
    404: "No such crisis",
    409: "The crisis has ended",
}
CrisisId = Annotated[str, Path(pattern=r"^k[0-9a-z]{10,40}$", description="Crisis id")]


def _statement(body: HoldingStatementBody) -> HoldingStatement:
    return HoldingStatement.model_validate(body.model_dump())


@router.get(
    "/crises/suggestions",
    summary="Spikes that suggest declaring a crisis, newest first",
    tags=["crises"],
    responses=answers(errors=(403,), params=True, meanings=MEANINGS),
)
@allow(SUPERVISORS)
def suggestions(limit: Annotated[int, Query(ge=1, le=200)] = 50) -> SuggestionList:
    return SuggestionList(
        items=[
            SuggestionView.model_validate(s.model_dump(mode="json"))
            for s in spikes.suggestions(default_deps(), limit)
        ]
    )


@router.get(
    "/crises",
    summary="Active crises, then recent ones",
    tags=["crises"],
    responses=answers(params=True),
)
@allow(SIGNED_IN)
def list_crises(limit: Annotated[int, Query(ge=1, le=200)] = 50) -> CrisisList:
    found = crisis.list_crises(default_deps(), limit)
    ordered = [c for c in found if c.is_active] + [c for c in found if not c.is_active]
    return CrisisList(items=[CrisisView.of(c) for c in ordered])


@router.post(
    "/crises",
    summary="Declare a crisis: matching posts get the holding statement",
    tags=["crises"],
    responses=answers(
        201,
        "Declared",
        errors=(403,),
        body=True,
        meanings={422: "Invalid input, or an unknown crisis type or topic"},
    ),
)
@allow(SUPERVISORS)
def declare(body: DeclareCrisisRequest) -> Response[CrisisAnswer]:
    agent = caller(router)
    declared = crisis.declare(
        default_deps(),
        agent,
        crisis_type=body.type,
        name=body.name,
        keywords=body.keywords,
        topics=body.topics,
        statement=_statement(body.holding_statement),
    )
    return Response(
        status_code=201,
        content_type=content_types.APPLICATION_JSON,
        body=CrisisAnswer(crisis=CrisisView.of(declared)),
    )


@router.get(
    "/crises/<crisis_id>",
    summary="A crisis with its history",
    tags=["crises"],
    responses=answers(errors=(404,), params=True, meanings=MEANINGS),
)
@allow(SIGNED_IN)
def get_crisis(crisis_id: CrisisId) -> CrisisAnswer:
    return CrisisAnswer(crisis=CrisisView.of(crisis.get(default_deps(), crisis_id)))


@router.patch(
    "/crises/<crisis_id>",
    summary="Update the holding statement (or what matches)",
    tags=["crises"],
    responses=answers(errors=(403, 404, 409), body=True, meanings=MEANINGS),
)
@allow(SUPERVISORS)
def update(crisis_id: CrisisId, body: UpdateCrisisRequest) -> CrisisAnswer:
    agent = caller(router)
    updated = crisis.update(
        default_deps(),
        agent,
        crisis_id,
        statement=_statement(body.holding_statement) if body.holding_statement else None,
        name=body.name,
        keywords=body.keywords,
        topics=body.topics,
    )
    return CrisisAnswer(crisis=CrisisView.of(updated))


@router.post(
    "/crises/<crisis_id>/end",
    summary="End the crisis: no more automatic statements",
    tags=["crises"],
    responses=answers(errors=(403, 404, 409), body=True, meanings=MEANINGS),
)
@allow(SUPERVISORS)
def end(crisis_id: CrisisId, body: EndCrisisRequest | None = None) -> CrisisAnswer:
    agent = caller(router)
    ended = crisis.end(
        default_deps(),
        agent,
        crisis_id,
        note=body.note if body else "",
        closing_statement=body.closing_statement if body else "",
    )
    return CrisisAnswer(crisis=CrisisView.of(ended))


def _progress(crisis_id: str) -> UpdateProgressList:
    return UpdateProgressList(
        items=[
            UpdateProgressView.model_validate(p.model_dump(mode="json"))
            for p in broadcast.progress(default_deps(), crisis_id)
        ]
    )


@router.get(
    "/crises/<crisis_id>/updates",
    summary="How far each statement version has reached the crisis's customers, with failures",
    tags=["crises"],
    responses=answers(errors=(404,), params=True, meanings=MEANINGS),
)
@allow(SIGNED_IN)
def updates(crisis_id: CrisisId) -> UpdateProgressList:
    return _progress(crisis_id)


@router.post(
    "/crises/<crisis_id>/updates",
    summary="Send the current version again to whoever has not had it (each customer gets it once)",
    tags=["crises"],
    responses=answers(202, "Queued", errors=(403, 404), params=True, meanings=MEANINGS),
)
@allow(SUPERVISORS)
def resend(crisis_id: CrisisId) -> Response[UpdateProgressList]:
    deps = default_deps()
    found = crisis.get(deps, crisis_id)
    crisis.publish_page(deps, found)  # a page that failed to publish with the change gets another chance
    broadcast.start(deps, found)
    return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=_progress(crisis_id))
