"""/api/audit: the audit trail, searched, exported and checked by admins and auditors (docs/privacy.md)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel

from functions.api.auth import allow
from functions.api.errors import answers
from shared import clock
from shared.models.audit import AuditRecord, Verification
from shared.models.roles import AUDITORS
from shared.usecases import audit, audit_seal
from shared.usecases.deps import default_deps

router = Router()
MEANINGS = {
    403: "Admins and auditors only",
    422: "Invalid period or filter (a period covers at most 31 days)",
}
ONLY_AUDITORS = answers(errors=(403,), params=True, meanings=MEANINGS)
Day = Annotated[date | None, Query(description="A UTC day, YYYY-MM-DD; default today")]


class AuditPage(BaseModel):
    items: list[AuditRecord]
    truncated: bool


def _period(start: date | None, end: date | None) -> tuple[date, date]:
    today = clock.now().date()
    return start or end or today, end or today


@router.get("/audit", summary="Search the audit trail, newest first", tags=["audit"], responses=ONLY_AUDITORS)
@allow(AUDITORS)
def search(
    start: Day = None,
    end: Day = None,
    actor: Annotated[str | None, Query(max_length=320, description="Who (an email)")] = None,
    action: Annotated[
        str | None,
        Query(pattern=r"^[a-z_.]{1,60}$", description="What: case.read, config.change, or a prefix: case"),
    ] = None,
    target: Annotated[str | None, Query(max_length=300, description="A case, report or customer id")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> AuditPage:
    first, last = _period(start, end)
    found = audit.search(
        default_deps().audit, first, last, actor=actor, action=action, target=target, limit=limit + 1
    )
    return AuditPage(items=found[:limit], truncated=len(found) > limit)


@router.get(
    "/audit/verify",
    summary="Check that the period's records are intact (hash chain, and their sealed write-once copies)",
    tags=["audit"],
    responses=ONLY_AUDITORS,
)
@allow(AUDITORS)
def verify(start: Day = None, end: Day = None) -> Verification:
    first, last = _period(start, end)
    deps = default_deps()
    chain = audit.records(deps.audit, first, last)
    if not deps.settings.audit_bucket and "audit_vault" not in deps.overrides:
        return audit.verify(chain)  # a stack without the vault: the chain's own check only
    keep_days = deps.config.get().retention.audit_days
    return audit_seal.verify_sealed(deps.audit_vault, first, last, chain, keep_days)


@router.get(
    "/audit/export",
    summary="The period's records as CSV, hashes included",
    tags=["audit"],
    responses={**ONLY_AUDITORS, 200: {"description": "CSV", "content": {"text/csv": {}}}},
)
@allow(AUDITORS)
def export(start: Day = None, end: Day = None) -> Response[str]:
    first, last = _period(start, end)
    text = audit.to_csv(audit.records(default_deps().audit, first, last))
    filename = f"heard-audit-{first.isoformat()}-{last.isoformat()}.csv"
    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8",
        body=text,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
