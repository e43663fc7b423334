"""Use-case tests on in-memory fakes of the ports (tests/unit/fakes.py) with Heard's clock frozen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from shared import clock
from shared.models.case import Case, CaseStatus, TimelineKind
from shared.models.interaction import Author, Channel, Platform
from shared.models.timeline import new_entry
from shared.models.triage import Category, Sentiment
from tests.unit.fakes import Fakes, fakes

TUESDAY = datetime(2026, 11, 17, 10, 0, tzinfo=UTC)  # inside the bundled teams' opening hours


@pytest.fixture
def now() -> Iterator[dict[str, datetime]]:
    """The frozen clock; tests move it by changing ["now"]."""
    moment = {"now": TUESDAY}
    clock.set_source(lambda: moment["now"])
    yield moment
    clock.reset()


@pytest.fixture
def world(now: dict[str, datetime]) -> Fakes:
    return fakes()


def a_case(world: Fakes, case_id: str = "c1", **fields: object) -> Case:
    """Given a case in the store (queued in care, a complaint on Facebook by default) with the customer's
    message on its timeline."""
    at = clock.now() - timedelta(minutes=5)
    base: dict[str, object] = dict(
        case_id=case_id,
        status=CaseStatus.QUEUED,
        team="care",
        platform=Platform.FACEBOOK,
        channel=Channel.COMMENT,
        customer=Author(id=f"u-{case_id}", name="Ana"),
        conversation_id=f"t-{case_id}",
        opened_at=at,
        updated_at=at,
        last_customer_at=at,
        category=Category.COMPLAINT,
        first_sentiment=Sentiment.NEGATIVE,
        reply_due=at + timedelta(minutes=60),
        summary="My parcel is late",
    )
    case = Case.model_validate({**base, **fields})
    message = new_entry(case_id=case_id, kind=TimelineKind.MESSAGE_IN, at=at, actor="customer", text="late!")
    world.cases.open_case(case, [message], f"facebook#{case_id}")
    return case
