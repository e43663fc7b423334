"""Order lookups on fakes (issue #17): an automatic lookup is recorded only when its answer changed."""

from __future__ import annotations

from datetime import timedelta

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


def test_an_automatic_lookup_is_recorded_again_only_when_the_answer_changed(world, now):
    a_case(world)
    a_question(world, "where is my order 12345?")
    status_of(world, "12345", "In transit")
    first = orders.look_up(world.deps, AGENT, "c1", "order", None, automatic=True)
    again = orders.look_up(world.deps, AGENT, "c1", "order", None, automatic=True)
    assert first is not None and first.entry is not None
    assert again is not None and again.entry is None and again.result.orders[0].status == "In transit"
    status_of(world, "12345", "Delivered")
    now["now"] += timedelta(hours=1)
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


def test_a_delivery_case_suggests_the_orders_live_status_first(world):
    from datetime import UTC, datetime

    from shared.usecases import knowledge

    a_case(world, topic="delivery")
    a_question(world, "where is my order 12345?")
    world.company.answers[("order", "12345")] = LookupResult(
        found=True,
        orders=[
            Order(
                order_number="12345",
                status="In transit",
                carrier="DHL",
                expected_at=datetime(2026, 12, 5, 9, tzinfo=UTC),
                tracking_url="https://track.example.com/12345",
            )
        ],
    )
    _, found = knowledge.suggest(world.deps, AGENT, "c1", 3)
    first = found[0]
    assert first.kind == "order"
    assert first.text == (
        "Hi Ana, I've checked your order 12345: it is in transit with DHL, expected Saturday 5 December. "
        "You can follow it here: https://track.example.com/12345"
    )
    assert first.why == "from the company's order system (memory): order 12345 is In transit"
    # suggestions record nothing (the Order panel, asked at the same moment, records the lookup)
    knowledge.suggest(world.deps, AGENT, "c1", 3)
    assert recorded(world) == [] and len(world.company.asked) == 2


def test_no_order_suggestion_when_the_company_is_down_or_the_order_unknown(world):
    from shared.usecases import knowledge

    a_case(world, topic="delivery")
    a_question(world, "where is my order 55555?")
    assert [s.kind for s in knowledge.suggest(world.deps, AGENT, "c1", 3)[1]] == []
    world.company.down = True
    assert [s.kind for s in knowledge.suggest(world.deps, AGENT, "c1", 3)[1]] == []


def test_an_approved_answer_with_order_variables_is_suggested_only_with_the_order_found(world):
    from shared.usecases import knowledge

    boss = Agent("supervisor@heard.local", frozenset({"supervisor"}))
    body = "Hi {first_name}, order {order_number} is {order_status}; expected {order_expected}."
    proposed = knowledge.propose(world.deps, AGENT, {"title": "Where is my order", "body": body}, None)
    answer = knowledge.decide(world.deps, boss, proposed.answer_id, 1, "approve", "")
    a_case(world, topic="delivery")
    a_question(world, "where is my order 12345?")
    _, found = knowledge.suggest(world.deps, AGENT, "c1", 3)
    assert found == []  # the company does not know 12345: never an answer with blanks
    status_of(world, "12345", "Delivered")
    _, found = knowledge.suggest(world.deps, AGENT, "c1", 3)
    assert [(s.kind, s.text) for s in found] == [
        ("answer", "Hi Ana, order 12345 is delivered; expected soon.")
    ]
    _, text = knowledge.use(world.deps, AGENT, answer.answer_id, "c1")
    assert text == "Hi Ana, order 12345 is delivered; expected soon."
