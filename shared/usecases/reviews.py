"""Empathy first (R11): every case's first human reply is graded for empathy by someone who has not read
the customer's post.

The first reply (an agent's, or a trainee's once approved; never heard-bot's) enters a pool when it goes
public. A reviewer asks for the next one and sees only the reply's text, platform and channel. They never
get a reply they wrote, one on a case they own, or one on a case they have opened (case views by reviewers
and supervisors are recorded). Claiming is a conditional write, so two reviewers never hold the same
reply; a claim left ungraded for CLAIM_MINUTES goes back to the pool. The grade goes on the case's
timeline (the agent sees it) and on the case, where the supervisor report aggregates it per agent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from shared import clock
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from shared.models.agent import Agent
from shared.models.case import TimelineEntry, TimelineKind
from shared.models.records import PoolItem, ReviewTaken
from shared.models.roles import REVIEWERS
from shared.models.timeline import new_entry
from shared.observability import logger, metrics
from shared.rules.empathy import EMPATHY_SCALE, label
from shared.usecases.deps import Deps

CLAIM_MINUTES = 30
PAGE = 25
MAX_PAGES = 8  # a reviewer excluded from the 200 oldest replies gets "nothing to review" for now
SAVE_ATTEMPTS = 3


def _check(reviewer: Agent) -> None:
    if not reviewer.groups & REVIEWERS:
        raise Forbidden(f"blind review needs one of the roles {sorted(REVIEWERS)}")


def _eligible(deps: Deps, item: PoolItem, reviewer: Agent, stale_before: datetime) -> bool:
    if item.author == reviewer.email:
        return False  # nobody grades their own reply
    held_by_other = item.claimed_by is not None and item.claimed_by != reviewer.email
    if held_by_other and item.claimed_at is not None and item.claimed_at >= stale_before:
        return False
    try:
        case = deps.cases.get(item.case_id)
    except NotFound:
        return False
    if case.owner == reviewer.email:
        return False  # the owner has read the customer's post
    return not deps.quality.has_read(item.case_id, reviewer.email)


def next_review(deps: Deps, reviewer: Agent) -> PoolItem | None:
    """Claim the oldest reply this reviewer may grade blind; None when there is none."""
    _check(reviewer)
    now = clock.now()
    stale_before = now - timedelta(minutes=CLAIM_MINUTES)
    after: str | None = None
    for _ in range(MAX_PAGES):
        items, after = deps.quality.pool_page(after, PAGE)
        for item in items:
            if not _eligible(deps, item, reviewer, stale_before):
                continue
            if deps.quality.claim(item.review_id, reviewer.email, now, stale_before):
                logger.info("review claimed", extra={"review_id": item.review_id, "reviewer": reviewer.email})
                return item
        if after is None:
            break
    return None


def grade(deps: Deps, reviewer: Agent, review_id: str, empathy: int, comment: str = "") -> TimelineEntry:
    """Record the grade on the case and its timeline and take the reply out of the pool, atomically."""
    _check(reviewer)
    if empathy not in EMPATHY_SCALE:
        raise InvalidInput("empathy is graded 1 to 5")
    comment = comment.strip()
    for _ in range(SAVE_ATTEMPTS):
        item = deps.quality.pool_item(review_id)
        if item is None:
            raise NotFound(f"review {review_id} is not waiting for a grade")
        if item.claimed_by != reviewer.email:
            raise Conflict("claim this review first (POST /api/reviews/next); it is not yours to grade")
        case = deps.cases.get(item.case_id)
        now = clock.now()
        entry = new_entry(
            case_id=item.case_id,
            kind=TimelineKind.EMPATHY_GRADED,
            at=now,
            actor=reviewer.email,
            text=f"Blind empathy review of the first reply: {empathy}/5 ({label(empathy)})."
            + (f" {comment}" if comment else ""),
            data={
                "review_id": review_id,
                "reply_id": item.reply_id,
                "author": item.author,
                "empathy": empathy,
                "comment": comment,
            },
        )
        # updated_at is kept: a grade is not activity on the customer's problem
        graded = case.model_copy(update={"empathy": empathy, "version": case.version + 1})
        try:
            deps.cases.save(graded, case.version, [entry], also=[ReviewTaken(review_id, reviewer.email)])
        except Conflict:
            continue  # the case changed meanwhile (or the claim was lost): look again
        metrics.add_metric(name="EmpathyGraded", unit="Count", value=1)
        logger.info(
            "empathy graded", extra={"review_id": review_id, "case_id": item.case_id, "empathy": empathy}
        )
        return entry
    raise Conflict("the case kept changing while the grade was saved; try again")
