"""/api/reports: supervisor reports (supervisors and admins only)."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from functions.api.auth import SUPERVISORS, allow, caller
from functions.api.errors import answers
from functions.api.schemas import DownloadAnswer, ReportAnswer, ReportList, ReportRequest, ReportView
from shared.usecases import report_requests, reports
from shared.usecases.deps import default_deps

router = Router()
ONLY_SUPERVISORS = "Supervisors and admins only"
ReportIdPattern = r"^[a-z0-9]{4,40}$"


def _view(report: dict) -> ReportView:
    """A stored report with the formats it can be downloaded in (older reports: JSON and CSV only)."""
    return ReportView.model_validate({**report, "formats": sorted(report.get("keys", {}))})


@router.get(
    "/reports",
    summary="Reports, newest first",
    tags=["reports"],
    responses=answers(errors=(403,), meanings={403: ONLY_SUPERVISORS}),
)
@allow(SUPERVISORS)
def list_reports() -> ReportList:
    return ReportList(items=[_view(r) for r in default_deps().cases.list_reports()])


@router.post(
    "/reports",
    summary="Ask for a report: queued, made by the reports function; poll it or wait for the notice",
    tags=["reports"],
    responses=answers(
        202,
        "Queued (or, for a repeated request key, the report already asked for)",
        errors=(403,),
        body=True,
        meanings={403: ONLY_SUPERVISORS},
    ),
)
@allow(SUPERVISORS)
def request(body: ReportRequest | None = None) -> Response[ReportAnswer]:
    agent = caller(router)
    filters = body.filters.model_dump() if body and body.filters else None
    report = report_requests.request(
        default_deps(),
        agent.email,
        request_key=body.request_key if body else None,
        period=body.period if body else None,
        start=body.start if body else None,
        end=body.end if body else None,
        filters=filters,
    )
    return Response(
        status_code=202,
        content_type=content_types.APPLICATION_JSON,
        body=ReportAnswer(report=_view(report)),
    )


@router.get(
    "/reports/<report_id>",
    summary="One report: queued, ready (with the formats it downloads in) or failed (with the reason)",
    tags=["reports"],
    responses=answers(
        errors=(403, 404), params=True, meanings={403: ONLY_SUPERVISORS, 404: "No such report"}
    ),
)
@allow(SUPERVISORS)
def get_report(report_id: Annotated[str, Path(pattern=ReportIdPattern)]) -> ReportAnswer:
    return ReportAnswer(report=_view(default_deps().cases.get_report(report_id)))


@router.post(
    "/reports/<report_id>/retry",
    summary="Queue a failed report again (same period, filters and asker)",
    tags=["reports"],
    responses=answers(
        202,
        "Queued again",
        errors=(403, 404, 409),
        params=True,
        meanings={403: ONLY_SUPERVISORS, 404: "No such report", 409: "The report has not failed"},
    ),
)
@allow(SUPERVISORS)
def retry(report_id: Annotated[str, Path(pattern=ReportIdPattern)]) -> Response[ReportAnswer]:
    report = report_requests.retry(default_deps(), report_id, caller(router).email)
    return Response(
        status_code=202,
        content_type=content_types.APPLICATION_JSON,
        body=ReportAnswer(report=_view(report)),
    )


@router.get(
    "/reports/<report_id>/download",
    summary="A short-lived download link",
    tags=["reports"],
    responses=answers(
        errors=(403, 404, 409),
        params=True,
        meanings={403: ONLY_SUPERVISORS, 404: "No such report", 409: "The report is still being generated"},
    ),
)
@allow(SUPERVISORS)
def download(
    report_id: Annotated[str, Path(pattern=ReportIdPattern)],
    format: Annotated[Literal["csv", "json", "xlsx", "html"], Query()] = "csv",
) -> DownloadAnswer:
    return DownloadAnswer(url=reports.download_url(default_deps(), report_id, format))
