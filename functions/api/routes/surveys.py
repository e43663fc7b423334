"""/api/surveys: satisfaction scores (CSAT and NPS) per agent, team and topic, for supervisors (R21)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import AfterValidator

from functions.api.auth import SUPERVISORS, allow
from functions.api.errors import answers
from functions.api.schemas import SurveyScores
from shared import clock
from shared.usecases import surveys
from shared.usecases.deps import default_deps

router = Router()
MEANINGS = {
    403: "Supervisors and admins only",
    422: "Invalid period: start must be before end, at most 366 days apart, with a time zone",
}
Moment = Annotated[
    datetime | None,
    AfterValidator(lambda m: None if m is None else clock.sane(m)),
    Query(description="ISO-8601 with a time zone"),
]


@router.get(
    "/surveys/scores",
    summary="CSAT and NPS of the surveys sent in a period, per agent, team and topic",
    description="Surveys count in the period they were scheduled in (at resolution). Default period: the "
    "last 30 days. CSAT: % of answers 4-5 on 1-5; NPS: % promoters (9-10) minus % detractors (0-6).",
    tags=["surveys"],
    responses=answers(errors=(403,), params=True, meanings=MEANINGS),
)
@allow(SUPERVISORS)
def scores(start: Moment = None, end: Moment = None) -> SurveyScores:
    first, last, found = surveys.scores(default_deps(), start, end)
    return SurveyScores.of(first, last, found)
