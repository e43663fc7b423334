"""/api/auto-answers: automatic answers under control (R17) — switched on and off (per topic) by admins,
previewed on a sample question by supervisors and admins."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from functions.api.auth import ADMINS, SUPERVISORS, allow, caller
from functions.api.errors import answers
from functions.api.schemas import AutoAnswersSwitch, AutoAnswersView, PreviewRequest, PreviewView
from shared.usecases import autoanswers
from shared.usecases.deps import default_deps

router = Router()


@router.get(
    "/auto-answers",
    summary="Whether automatic answers are on, per topic, and the approved answers they may use",
    tags=["auto-answers"],
    responses=answers(errors=(403,), meanings={403: "Supervisors and admins only"}),
)
@allow(SUPERVISORS)
def get_auto_answers() -> AutoAnswersView:
    return AutoAnswersView.model_validate(autoanswers.current(default_deps()))


@router.put(
    "/auto-answers",
    summary="Switch automatic answers on or off, and off for some topics",
    tags=["auto-answers"],
    responses=answers(
        errors=(403,), body=True, meanings={403: "Admins only", 422: "Invalid input: e.g. an unknown topic"}
    ),
)
@allow(ADMINS)
def put_auto_answers(body: AutoAnswersSwitch) -> AutoAnswersView:
    agent = caller(router)
    return AutoAnswersView.model_validate(
        autoanswers.switch(default_deps(), agent, body.enabled, body.topics_off)
    )


@router.post(
    "/auto-answers/preview",
    summary="What a sample question would get now: the automatic answer, an alert, or a person",
    tags=["auto-answers"],
    responses=answers(errors=(403,), body=True, meanings={403: "Supervisors and admins only"}),
)
@allow(SUPERVISORS)
def preview_auto_answer(body: PreviewRequest) -> PreviewView:
    return PreviewView.model_validate(autoanswers.preview(default_deps(), body.text, body.platform.value))
