"""Crisis ownership (R6) on fakes: a new case of a declared crisis type goes to its point person, to the
backup when the point person is away or at capacity, and to the crisis team's queue when neither can take
it — every time with the hand-over on the timeline."""

from __future__ import annotations

import pytest

from shared import clock
from shared.models.agent import Agent
from shared.models.case import CaseStatus, TimelineKind
from shared.models.crisis import Availability, HoldingStatement
from shared.usecases import crisis, intake
from tests.unit.routing import fakes as classifier
from tests.unit.usecases.conftest import a_case
from tests.unit.usecases.test_intake import message

SUPERVISOR = Agent("supervisor@heard.local", frozenset({"supervisor"}))
POINT, BACKUP = "supervisor@heard.local", "admin@heard.local"  # the bundled "outage" crisis type


@pytest.fixture(autouse=True)
def _declared_outage(world, monkeypatch):
    classifier.install(monkeypatch)
    crisis.declare(
        world.deps,
        SUPERVISOR,
        crisis_type="outage",
        name="App outage",
        keywords=["outage"],
        topics=[],
        statement=HoldingStatement(
            text="We know the app is down.", next_update="by 15:00 UTC", more_info="status.example.com"
        ),
    )


def away(world, email: str) -> None:
    world.crises.set_availability(Availability(email=email, away=True, updated_at=clock.now()))


def opened(world):
    result = intake.handle(message(text="Is there an outage? The app is dead"), world.deps)
    return world.cases.get_with_timeline(result.case_id)


def test_the_point_person_owns_a_new_crisis_case_at_once(world):
    case, timeline = opened(world)
    assert case.status is CaseStatus.ASSIGNED and case.owner == POINT and case.team == "pr"
    owned = [e for e in timeline if e.kind is TimelineKind.ASSIGNED]
    assert owned and f"owned by its point person {POINT}" in owned[0].text
    assert world.work.depths("pr") == {}  # nothing waits in the queue


def test_the_backup_gets_it_when_the_point_person_is_away(world):
    away(world, POINT)
    case, timeline = opened(world)
    assert case.status is CaseStatus.ASSIGNED and case.owner == BACKUP
    handed = [e for e in timeline if e.kind is TimelineKind.HANDED_OVER]
    assert handed[0].data == {"from": POINT, "to": BACKUP}
    assert f"the point person {POINT} is away; handed to the backup {BACKUP}" in handed[0].text


def test_the_backup_gets_it_when_the_point_person_is_at_capacity(world):
    for i in range(world.deps.config.get().team("pr").agent_capacity):
        a_case(world, f"busy{i}", status=CaseStatus.ASSIGNED, owner=POINT, team="pr")
    case, timeline = opened(world)
    assert case.owner == BACKUP
    assert (
        "is at capacity (20 open cases)"
        in next(e for e in timeline if e.kind is TimelineKind.HANDED_OVER).text
    )


def test_the_crisis_queue_gets_it_when_neither_can_take_it(world):
    away(world, POINT)
    away(world, BACKUP)
    case, timeline = opened(world)
    assert case.status is CaseStatus.QUEUED and case.owner is None
    assert world.work.depths("pr") == {"1": 1}
    handed = next(e for e in timeline if e.kind is TimelineKind.HANDED_OVER)
    assert handed.data == {"from": POINT, "to": None} and "waits in the pr queue" in handed.text
