"""/api/exports/conversations: full conversation histories for a case, a customer or a period, as JSON
lines or readable HTML (R25), for supervisors and admins; each export is recorded with who asked."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from functions.api.audited import TARGET_HEADER
from functions.api.auth import SUPERVISORS, allow, caller
from functions.api.errors import answers, file_answers
from shared.errors import InvalidInput
from shared.models.interaction import Platform
from shared.usecases import exports, subjects
from shared.usecases.deps import default_deps

router = Router()
Format = Literal["jsonl", "html"]
CONTENT = {"jsonl": "application/x-ndjson; charset=utf-8", "html": "text/html; charset=utf-8"}
FILES = file_answers("The export: JSON lines or an HTML document", "application/x-ndjson", "text/html")


def file_answer(export: exports.Export, fmt: Format, name: str) -> Response[Any]:
    """The export as a download; the audit trail records the cases it holds (never who they are)."""
    body = exports.to_jsonl(export) if fmt == "jsonl" else exports.to_html(export)
    target = f"cases:{','.join(export.case_ids)}"
    return Response(
        status_code=200,
        content_type=CONTENT[fmt],
        body=body,
        headers={
            "Content-Disposition": f'attachment; filename="{name}.{fmt}"',
            TARGET_HEADER: target if len(target) <= 300 else f"cases:{len(export.case_ids)}",
        },
    )


@router.get(
    "/exports/conversations",
    summary="Conversation histories of a case, a customer or a period (at most 31 days), as JSON lines or HTML",
    tags=["exports"],
    responses={
        **answers(errors=(403, 404), params=True, meanings={403: "Supervisors and admins only"}),
        **FILES,
    },
)
@allow(SUPERVISORS)
def conversations(
    case_id: Annotated[str | None, Query(pattern=r"^[a-z0-9]{4,40}$")] = None,
    platform: Annotated[Platform | None, Query()] = None,
    customer_id: Annotated[str | None, Query(min_length=1, max_length=256)] = None,
    start: Annotated[date | None, Query(description="First UTC day cases were opened, YYYY-MM-DD")] = None,
    end: Annotated[date | None, Query(description="Last UTC day, YYYY-MM-DD")] = None,
    format: Annotated[Format, Query()] = "jsonl",
) -> Response[Any]:
    deps, agent = default_deps(), caller(router)
    if case_id:
        export = exports.of_case(deps, agent, case_id)
    elif platform and customer_id:
        export = exports.of_customer(deps, agent, subjects.Subject(platform, customer_id))
    elif start and end:
        export = exports.of_period(deps, agent, start, end)
    else:
        raise InvalidInput("name what to export: case_id, platform and customer_id, or start and end")
    return file_answer(export, format, "heard-conversations")
