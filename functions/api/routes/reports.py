"""/api/reports: supervisor reports (supervisors and admins only)."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from functions.api.auth import SUPERVISORS, require
from functions.api.schemas import DownloadAnswer, ReportAnswer, ReportList, ReportRequest, ReportView
from shared.usecases import reports
from shared.usecases.deps import default_deps

router = Router()
ONLY_SUPERVISORS: dict[int, OpenAPIResponse] = {
    401: {"description": "No or invalid token"},
    403: {"description": "Supervisors and admins only"},
}


@router.get("/reports", summary="Reports, newest first", tags=["reports"], responses=ONLY_SUPERVISORS)
def list_reports() -> ReportList:
    require(router, SUPERVISORS)
    return ReportList(items=[ReportView.model_validate(r) for r in default_deps().cases.list_reports()])


@router.post(
    "/reports",
    summary="Generate a report now",
    tags=["reports"],
    responses={201: {"description": "Generated"}, **ONLY_SUPERVISORS},
)
def generate(body: ReportRequest | None = None) -> Response[ReportAnswer]:
    agent = require(router, SUPERVISORS)
    report = reports.generate(
        default_deps(),
        start=body.start if body else None,
        end=body.end if body else None,
        requested_by=agent.email,
    )
    return Response(
        status_code=201,
        content_type=content_types.APPLICATION_JSON,
        body=ReportAnswer(report=ReportView.model_validate(report)),
    )


@router.get(
    "/reports/<report_id>/download",
    summary="A short-lived download link",
    tags=["reports"],
    responses={**ONLY_SUPERVISORS, 404: {"description": "No such report"}},
)
def download(
    report_id: Annotated[str, Path(pattern=r"^[a-z0-9]{4,40}$")],
    format: Annotated[Literal["csv", "json"], Query()] = "csv",
) -> DownloadAnswer:
    require(router, SUPERVISORS)
    return DownloadAnswer(url=reports.download_url(default_deps(), report_id, format))
