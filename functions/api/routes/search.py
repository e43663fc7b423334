"""/api/search: find cases by customer, contact details, order number and words, filtered and sorted;
/api/search/views: each agent's saved searches."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from pydantic import BaseModel, ConfigDict, Field

from functions.api.auth import SIGNED_IN, allow, caller
from functions.api.errors import answers
from shared.models.case import CaseStatus
from shared.models.interaction import Platform
from shared.models.search import SavedView, SearchDoc, SearchQuery, SlaState, SortOrder
from shared.models.triage import Category, Sentiment
from shared.usecases import search
from shared.usecases.deps import default_deps

router = Router()
Team = Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9-]{0,39}$")]
Day = Annotated[date | None, Query(description="A UTC day, YYYY-MM-DD (inclusive)")]
ViewId = Annotated[str, Path(pattern=r"^v[0-9a-z]{19}$", description="Saved view id")]


class SearchHit(BaseModel):
    """A case as the list shows it (from the index: no personal data beyond what the case shows)."""

    case_id: str
    status: str
    team: str
    owner: str | None
    priority: int
    category: str
    sentiment: str
    platform: str
    channel: str
    tags: list[str]
    opened_at: datetime
    updated_at: datetime
    last_customer_at: datetime
    reply_due: datetime | None
    sla_breached: bool
    resolved_at: datetime | None
    customer_name: str | None
    customer_handle: str | None
    summary: str

    @classmethod
    def of(cls, doc: SearchDoc) -> SearchHit:
        return cls.model_validate(doc.model_dump(exclude={"words", "keys", "customer_id", "customer_key"}))


class SearchAnswer(BaseModel):
    items: list[SearchHit]
    next_offset: int | None = None


class ViewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=60)]
    query: SearchQuery


class ViewAnswer(BaseModel):
    view: SavedView


class ViewList(BaseModel):
    items: list[SavedView]


def _day_start(day: date | None, after: int = 0) -> datetime | None:
    return None if day is None else datetime.combine(day, time(), tzinfo=UTC) + timedelta(days=after)


@router.get(
    "/search",
    summary="Search cases (customer, email, phone, order number, words) with filters; most urgent first",
    tags=["search"],
    responses=answers(params=True, meanings={422: "An invalid filter, order or period"}),
)
@allow(SIGNED_IN)
def search_cases(  # noqa: PLR0913  # one query parameter per filter
    q: Annotated[
        str, Query(max_length=200, description="Name, handle, email, phone, order number, words")
    ] = "",
    status: Annotated[CaseStatus | None, Query()] = None,
    team: Team = None,
    owner: Annotated[str | None, Query(max_length=320, description="'me' or an agent's email")] = None,
    priority: Annotated[int | None, Query(ge=1, le=4)] = None,
    category: Annotated[Category | None, Query()] = None,
    sentiment: Annotated[Sentiment | None, Query()] = None,
    platform: Annotated[Platform | None, Query()] = None,
    tag: Annotated[str | None, Query(max_length=40)] = None,
    sla: Annotated[SlaState | None, Query(description="breached, at_risk, on_time or none")] = None,
    opened_from: Day = None,
    opened_to: Day = None,
    sort: Annotated[SortOrder, Query(description="urgent (default), sla_due, priority, waiting, newest")] = (
        SortOrder.URGENT
    ),
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> SearchAnswer:
    query = SearchQuery(
        text=q,
        status=status,
        team=team,
        owner=owner,
        priority=priority,
        category=category,
        sentiment=sentiment,
        platform=platform,
        tag=tag,
        sla=sla,
        opened_from=_day_start(opened_from),
        opened_to=_day_start(opened_to, after=1),
        sort=sort,
        limit=limit,
        offset=offset,
    )
    page = search.search_cases(default_deps(), caller(router), query)
    return SearchAnswer(items=[SearchHit.of(d) for d in page.items], next_offset=page.next_offset)


@router.get("/search/views", summary="My saved searches", tags=["search"], responses=answers())
@allow(SIGNED_IN)
def list_views() -> ViewList:
    return ViewList(items=search.saved_views(default_deps(), caller(router)))


@router.post(
    "/search/views",
    summary="Save a search under a name",
    tags=["search"],
    responses=answers(
        201, "Saved", body=True, meanings={422: "Invalid view, or too many, or the name is taken"}
    ),
)
@allow(SIGNED_IN)
def save_view(body: ViewRequest) -> Response[ViewAnswer]:
    view = search.save_view(default_deps(), caller(router), body.name, body.query)
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=ViewAnswer(view=view))


@router.delete(
    "/search/views/<view_id>",
    summary="Delete one of my saved searches",
    tags=["search"],
    responses=answers(
        204,
        "Deleted",
        empty={204: "Deleted"},
        errors=(404,),
        params=True,
        meanings={404: "No such saved view"},
    ),
)
@allow(SIGNED_IN)
def delete_view(view_id: ViewId) -> Response[None]:
    search.delete_view(default_deps(), caller(router), view_id)
    return Response(status_code=204)
