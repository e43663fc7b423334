"""/api/analytics: the supervisor dashboard - a period's numbers, the cases behind one, cases at risk now."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from functions.api.auth import SUPERVISORS, allow
from functions.api.errors import answers
from functions.api.schemas import AtRiskList, DrillList, DrillRow, Moment, Overview, Period
from shared.analytics.records import DRILLS
from shared.usecases import reports
from shared.usecases.deps import default_deps

router = Router()
MEANINGS = {403: "Supervisors and admins only", 422: "Invalid period, filter or metric"}
ONLY_SUPERVISORS = answers(errors=(403,), params=True, meanings=MEANINGS)
DRILL_LIMIT = 500
Filter = Annotated[str | None, Query(min_length=1, max_length=320)]
PeriodQuery = Annotated[Period, Query(description="day, week, month (ending now) or custom (start and end)")]
MomentQuery = Annotated[Moment | None, Query(description="ISO-8601 with a time zone (custom periods)")]
Metric = Literal["all", "sla_breached", "sla_met", "sla_pending", "unanswered", "resolved", "complaints"]
assert set(Metric.__args__) == set(DRILLS)  # type: ignore[attr-defined]


@router.get(
    "/analytics/overview",
    summary="A period's care numbers, charts' data and complaint patterns",
    tags=["analytics"],
    responses=ONLY_SUPERVISORS,
)
@allow(SUPERVISORS)
def overview(
    period: PeriodQuery = "week",
    start: MomentQuery = None,
    end: MomentQuery = None,
    team: Filter = None,
    agent: Filter = None,
    platform: Filter = None,
    topic: Filter = None,
    language: Filter = None,
) -> Overview:
    filters = {"team": team, "agent": agent, "platform": platform, "topic": topic, "language": language}
    summary = reports.overview(default_deps(), period=period, start=start, end=end, filters=filters)
    return Overview.model_validate(summary)


@router.get(
    "/analytics/cases",
    summary="The cases behind one of the dashboard's numbers (at most 500, newest first)",
    tags=["analytics"],
    responses=ONLY_SUPERVISORS,
)
@allow(SUPERVISORS)
def cases_behind(
    metric: Annotated[Metric, Query(description="Which number: sla_breached, sla_pending, unanswered...")],
    period: PeriodQuery = "week",
    start: MomentQuery = None,
    end: MomentQuery = None,
    team: Filter = None,
    agent: Filter = None,
    platform: Filter = None,
    topic: Filter = None,
    language: Filter = None,
) -> DrillList:
    filters = {"team": team, "agent": agent, "platform": platform, "topic": topic, "language": language}
    rows = reports.drill(default_deps(), metric, period=period, start=start, end=end, filters=filters)
    return DrillList(
        metric=metric,
        items=[DrillRow.model_validate(r) for r in rows[:DRILL_LIMIT]],
        truncated=len(rows) >= DRILL_LIMIT,
    )


@router.get(
    "/analytics/at-risk",
    summary="Open cases whose reply is due soon or overdue, soonest first",
    tags=["analytics"],
    responses=ONLY_SUPERVISORS,
)
@allow(SUPERVISORS)
def at_risk(within_minutes: Annotated[int, Query(ge=1, le=480)] = 30) -> AtRiskList:
    return AtRiskList.model_validate(
        {"within_minutes": within_minutes, "items": reports.at_risk(default_deps(), within_minutes)}
    )
