"""/api/privacy: find a customer, erase them (GDPR art. 17), list erasures — admins only (docs/privacy.md).

A customer is named by a case of theirs or by a platform identity, in the query string or the body, never
in the path: the audit trail records paths, and it must not keep the personal data it helps erase.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from functions.api.audited import TARGET_HEADER
from functions.api.auth import ADMINS, allow, caller
from functions.api.errors import answers
from functions.api.routes.exports import FILES, Format, file_answer
from functions.api.schemas import CustomerCase
from shared.models.erasure import Erasure
from shared.models.interaction import Platform
from shared.usecases import erasure, exports, subjects
from shared.usecases.deps import default_deps

router = Router()
AUDIT_TARGET = TARGET_HEADER  # what the audit trail records as the target
MEANINGS = {403: "Admins only", 404: "Heard holds nothing on this customer, or no such case or erasure"}
CustomerId = Annotated[str, Field(min_length=1, max_length=256)]
CaseIdText = Annotated[str, Field(pattern=r"^[a-z0-9]{4,40}$")]


class CustomerFound(BaseModel):
    platform: str
    customer_id: str
    name: str | None = None
    handle: str | None = None
    cases: list[CustomerCase]


class ErasureRequest(BaseModel):
    """Whom to erase: one of their cases, or one of their platform identities."""

    model_config = ConfigDict(extra="forbid")

    case_id: CaseIdText | None = None
    platform: Platform | None = None
    customer_id: CustomerId | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> ErasureRequest:
        if bool(self.case_id) == bool(self.platform and self.customer_id):
            raise ValueError("give either case_id, or platform and customer_id")
        return self


class ErasureAnswer(BaseModel):
    erasure: Erasure | None
    message: str


class ErasureList(BaseModel):
    items: list[Erasure]


@router.get(
    "/privacy/customers",
    summary="Find a customer by a case of theirs or a platform identity: who they are and their cases",
    tags=["privacy"],
    responses=answers(errors=(403, 404), params=True, meanings=MEANINGS),
)
@allow(ADMINS)
def find_customer(
    case_id: Annotated[str | None, Query(pattern=r"^[a-z0-9]{4,40}$")] = None,
    platform: Annotated[Platform | None, Query()] = None,
    customer_id: Annotated[str | None, Query(min_length=1, max_length=256)] = None,
) -> CustomerFound:
    deps = default_deps()
    subject = subjects.subject_of(deps, platform, customer_id, case_id)
    found = subjects.held(deps, subject, case_id)
    return CustomerFound(
        platform=subject.platform.value,
        customer_id=subject.customer_id,
        name=found.author.name,
        handle=found.author.handle,
        cases=[CustomerCase.of(c) for c in reversed(found.cases)],
    )


@router.get(
    "/privacy/customers/export",
    summary="Everything Heard holds on a customer (subject access), as JSON lines or HTML",
    tags=["privacy"],
    responses={**answers(errors=(403, 404), params=True, meanings=MEANINGS), **FILES},
)
@allow(ADMINS)
def export_customer(
    case_id: Annotated[str | None, Query(pattern=r"^[a-z0-9]{4,40}$")] = None,
    platform: Annotated[Platform | None, Query()] = None,
    customer_id: Annotated[str | None, Query(min_length=1, max_length=256)] = None,
    format: Annotated[Format, Query()] = "jsonl",
) -> Response[Any]:
    deps = default_deps()
    subject = subjects.subject_of(deps, platform, customer_id, case_id)
    export = exports.of_customer(deps, caller(router), subject, case_id)
    return file_answer(export, format, "heard-subject-access")


@router.post(
    "/privacy/erasures",
    summary="Erase a customer: their messages, identity and raw deliveries (idempotent)",
    tags=["privacy"],
    responses=answers(errors=(403, 404, 409), body=True, meanings=MEANINGS),
)
@allow(ADMINS)
def erase(body: ErasureRequest) -> Response[Any]:
    deps = default_deps()
    agent = caller(router)
    if body.case_id:
        done = erasure.erase_for_case(deps, agent, body.case_id)
    else:
        assert body.platform and body.customer_id  # the model's validator
        done = erasure.erase(deps, agent, subjects.Subject(body.platform, body.customer_id))
    message = "Erased." if done else "Heard holds nothing on this customer (never known, or already erased)."
    answer = ErasureAnswer(erasure=done, message=message)
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=answer.model_dump(mode="json"),
        headers={AUDIT_TARGET: done.erasure_id if done else "nothing-held"},
    )


@router.get(
    "/privacy/erasures",
    summary="The latest erasures: who erased, when, which cases, how much (never whom)",
    tags=["privacy"],
    responses=answers(errors=(403,), params=True, meanings=MEANINGS),
)
@allow(ADMINS)
def list_erasures(limit: Annotated[int, Query(ge=1, le=200)] = 50) -> ErasureList:
    return ErasureList(items=default_deps().erasures.recent(limit))


@router.get(
    "/privacy/erasures/<erasure_id>",
    summary="One erasure, with the raw archive's progress",
    tags=["privacy"],
    responses=answers(errors=(403, 404), params=True, meanings=MEANINGS),
)
@allow(ADMINS)
def get_erasure(erasure_id: Annotated[str, Path(pattern=r"^er[a-z0-9]{19}$")]) -> Erasure:
    return default_deps().erasures.get(erasure_id)
