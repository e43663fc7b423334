"""/api/cases/{id}/lookups: an order or the customer in the company's own systems (issue #17)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel, ConfigDict, Field

from functions.api.auth import WRITERS, allow, caller
from functions.api.errors import answers
from functions.api.schemas import CaseId, TimelineEntryView
from shared.models.company import LOOKUP_VALUE, LookupKind, LookupResult
from shared.usecases.deps import default_deps
from shared.usecases.orders import Lookup
from shared.usecases.orders import look_up as look_up_order

router = Router()


class LookupRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Annotated[LookupKind, Field(description="order, email or phone")] = "order"
    value: Annotated[
        str | None,
        Field(
            min_length=2,
            max_length=100,
            pattern=LOOKUP_VALUE,
            description="What to look up; for an order, absent: the latest order number the customer wrote",
        ),
    ] = None
    automatic: Annotated[
        bool,
        Field(
            description="The console's lookup on opening a case: recorded on the timeline only when the "
            "answer changed since the last recorded lookup; when the customer wrote no order number, "
            "answers written=false instead of a 422",
        ),
    ] = False


class OrderView(BaseModel):
    order_number: str
    status: str
    placed_at: datetime | None
    expected_at: datetime | None
    carrier: str | None
    tracking_url: str | None
    summary: str | None


class LookupAnswer(BaseModel):
    kind: LookupKind
    value: Annotated[str | None, Field(description="None: the customer wrote no order number (automatic)")]
    written: Annotated[bool, Field(description="False: an automatic lookup found no order number to ask")]
    found: bool
    customer_name: str | None
    orders: list[OrderView]
    source: str
    entry: Annotated[
        TimelineEntryView | None,
        Field(description="The timeline entry recorded; None: the timeline already says this"),
    ]

    @classmethod
    def of(cls, lookup: Lookup, source: str) -> LookupAnswer:
        result: LookupResult = lookup.result
        return cls(
            kind=lookup.kind,
            value=lookup.value,
            written=True,
            found=result.found,
            customer_name=result.customer_name,
            orders=[OrderView.model_validate(o.model_dump()) for o in result.orders],
            source=source,
            entry=TimelineEntryView.of(lookup.entry) if lookup.entry else None,
        )

    @classmethod
    def nothing_written(cls, source: str) -> LookupAnswer:
        return cls(
            kind="order",
            value=None,
            written=False,
            found=False,
            customer_name=None,
            orders=[],
            source=source,
            entry=None,
        )


@router.post(
    "/cases/<case_id>/lookups",
    summary="Look up an order (by default the one the customer wrote), or the customer by email or phone, "
    "in the company's own systems; recorded on the timeline (order number and status only; an automatic "
    "lookup only when its answer changed)",
    tags=["cases"],
    responses=answers(
        errors=(403, 404),
        body=True,
        meanings={
            403: "Only agents, trainees, supervisors and admins look things up",
            404: "No such case",
            503: "The company system is not configured, slow or failing; nothing was recorded",
        },
    ),
)
@allow(WRITERS)
def look_up(case_id: CaseId, body: LookupRequest) -> LookupAnswer:
    deps = default_deps()
    lookup = look_up_order(deps, caller(router), case_id, body.kind, body.value, body.automatic)
    if lookup is None:
        return LookupAnswer.nothing_written(deps.company.source)
    return LookupAnswer.of(lookup, deps.company.source)
