"""/api/reviews: blind empathy review of every case's first reply (R11)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path

from functions.api.auth import REVIEWERS, allow, caller
from functions.api.errors import answers
from functions.api.schemas import BlindReviewView, GradeAnswer, GradeRequest
from shared import clock
from shared.rules.empathy import EMPATHY_SCALE
from shared.usecases import reviews
from shared.usecases.deps import default_deps

router = Router()
ONLY_REVIEWERS = "Only reviewers, supervisors and admins review"
ReviewId = Annotated[str, Path(pattern=r"^[a-z0-9]{4,40}$", description="Review id")]


@router.post(
    "/reviews/next",
    summary="Claim the next first reply to grade blind (only its text, platform and channel)",
    tags=["reviews"],
    responses=answers(
        200,
        "Claimed for you to grade",
        errors=(403,),
        empty={204: "Nothing this reviewer may grade blind right now"},
        meanings={403: ONLY_REVIEWERS},
    ),
)
@allow(REVIEWERS)
def next_review() -> Response[BlindReviewView | None]:
    reviewer = caller(router)
    item = reviews.next_review(default_deps(), reviewer)
    if item is None:
        return Response(status_code=204)
    view = BlindReviewView(
        review_id=item.review_id,
        text=item.text,
        platform=item.platform,
        channel=item.channel,
        claimed_until=clock.now() + timedelta(minutes=reviews.CLAIM_MINUTES),
        scale={str(k): v for k, v in EMPATHY_SCALE.items()},
    )
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=view)


@router.post(
    "/reviews/<review_id>",
    summary="Grade a claimed reply's empathy (1-5) with an optional comment",
    tags=["reviews"],
    responses=answers(
        errors=(403, 404, 409),
        body=True,
        meanings={
            403: ONLY_REVIEWERS,
            404: "No such review waiting for a grade",
            409: "The review is not claimed by the caller",
            422: "Invalid input: empathy outside 1-5 or comment too long",
        },
    ),
)
@allow(REVIEWERS)
def grade(review_id: ReviewId, body: GradeRequest) -> GradeAnswer:
    reviewer = caller(router)
    entry = reviews.grade(default_deps(), reviewer, review_id, body.empathy, body.comment)
    return GradeAnswer(review_id=review_id, empathy=body.empathy, graded_at=entry.at)
