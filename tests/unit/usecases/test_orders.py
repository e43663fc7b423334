"""Order lookups on fakes (issue #17): an automatic lookup is recorded only when its answer changed."""

from __future__ import annotations

from shared import clock
from shared.models.agent import Agent
from shared.models.case import TimelineKind
from shared.models.company import LookupResult, Order
from shared.models.timeline import new_entry
from shared.usecases import orders
from tests.unit.fakes import Fakes
from tests.unit.usecases.conftest import a_case

AGENT = Agent("agent@heard.local", frozenset({"agent"}))


def a_question(world: Fakes, text: str, case_id: str = "c1") -> None:
    entry = new_entry(
        case_id=case_id, kind=TimelineKind.MESSAGE_IN, at=clock.now(), actor="customer", text=text
    )
    world.cases.append(entry)


def status_of(world: Fakes, number: str, status: str) -> None:
    world.company.answers[("order", number)] = LookupResult(
        found=True, orders=[Order(order_number=number, status=status)]
    )


def recorded(world: Fakes) -> list[str]:
    _, timeline = world.cases.get_with_timeline("c1")
    return [e.text for e in timeline if e.kind is TimelineKind.LOOKED_UP]


def test_an_automatic_lookup_is_recorded_again_only_when_the_answer_changed(world):
    a_case(world)
    a_question(world, "where is my order 12345?")
    status_of(world, "12345", "In transit")
    first = orders.look_up(world.deps, AGENT, "c1", "order", None, automatic=True)
    again = orders.look_up(world.deps, AGENT, "c1", "order", None, automatic=True)
    assert first is not None and first.entry is not None
    assert again is not None and again.entry is None and again.result.orders[0].status == "In transit"
    status_of(world, "12345", "Delivered")
    changed = orders.look_up(world.deps, AGENT, "c1", "order", None, automatic=True)
    assert changed is not None and changed.entry is not None
    assert recorded(world) == [
        "Looked up order 12345 in the company's systems (memory): In transit.",
        "Looked up order 12345 in the company's systems (memory): Delivered.",
    ]
    assert world.company.asked == [("order", "12345")] * 3


def test_an_automatic_lookup_without_an_order_number_asks_nothing(world):
    a_case(world)
    assert orders.look_up(world.deps, AGENT, "c1", "order", None, automatic=True) is None
    assert world.company.asked == [] and recorded(world) == []
