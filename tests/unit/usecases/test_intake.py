"""Intake on fakes: a snapshot is loaded, a pure plan decided, and the plan applied in one place."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared import clock
from shared.models.agent import Agent
from shared.models.case import CaseStatus, TimelineKind
from shared.models.crisis import HoldingStatement
from shared.models.interaction import Author, Channel, EventKind, Interaction, Platform
from shared.usecases import availability, crisis, intake
from tests.unit.routing import fakes as classifier

AGENT = Agent("agent@heard.local", frozenset({"agent"}))
SUPERVISOR = Agent("supervisor@heard.local", frozenset({"supervisor"}))


@pytest.fixture(autouse=True)
def _predictable_classifier(monkeypatch):
    classifier.install(monkeypatch)


def message(
    platform_id: str = "m-1", text: str = "Where is my parcel? It is late", author: str = "u-1"
) -> Interaction:
    return Interaction(
        platform=Platform.FACEBOOK,
        kind=EventKind.MESSAGE,
        channel=Channel.COMMENT,
        platform_id=platform_id,
        dedupe_key=f"facebook#{platform_id}",
        author=Author(id=author, name="Ana"),
        conversation_id="post-1",
        text=text,
        occurred_at=clock.now() - timedelta(seconds=5),
        reply_context={"comment_id": platform_id},
    )


def test_a_first_message_opens_a_routed_case_with_an_sla_in_a_lane(world):
    result = intake.handle(message(), world.deps)
    assert result.outcome is intake.Outcome.OPENED
    case, timeline = world.cases.get_with_timeline(result.case_id)
    assert case.status is CaseStatus.QUEUED and case.reply_due is not None and case.version == 1
    assert [e.kind for e in timeline] == [TimelineKind.MESSAGE_IN, TimelineKind.ROUTED]
    assert [i.case_id for lane in world.work.lanes.values() for i in lane] == [case.case_id]
    assert world.outbox.sent == []


def test_a_redelivered_message_is_a_duplicate_and_changes_nothing(world):
    first = intake.handle(message(), world.deps)
    again = intake.handle(message(), world.deps)
    assert again.outcome is intake.Outcome.DUPLICATE and again.case_id == first.case_id
    assert sum(len(lane) for lane in world.work.lanes.values()) == 1


def test_a_further_message_continues_the_case_and_a_resolved_one_reopens_to_its_owner(world, now):
    opened = intake.handle(message(), world.deps)
    case = world.cases.get(opened.case_id)
    world.cases.save(
        case.model_copy(
            update={
                "status": CaseStatus.RESOLVED,
                "owner": AGENT.email,
                "resolved_at": now["now"],
                "version": 2,
            }
        ),
        1,
    )
    now["now"] += timedelta(hours=1)
    again = intake.handle(message("m-2", "Still nothing"), world.deps)
    assert again.outcome is intake.Outcome.REOPENED and again.case_id == opened.case_id
    reopened = world.cases.get(opened.case_id)
    assert (
        reopened.status is CaseStatus.ASSIGNED
        and reopened.owner == AGENT.email
        and reopened.message_count == 2
    )


def test_the_plan_is_pure_and_hands_an_away_owners_case_to_the_queue(world, now):
    opened = intake.handle(message(), world.deps)
    case = world.cases.get(opened.case_id)
    world.cases.save(
        case.model_copy(update={"status": CaseStatus.ASSIGNED, "owner": AGENT.email, "version": 2}), 1
    )
    availability.set_availability(world.deps, AGENT, True, None)
    snapshot = intake._load(message("m-2", "Any news?"), "facebook#m-2", world.deps)
    before = (dict(world.cases.cases), [list(v) for v in world.work.lanes.values()])
    plan = intake.plan_continue(snapshot, world.cases.get(opened.case_id))
    assert (
        dict(world.cases.cases),
        [list(v) for v in world.work.lanes.values()],
    ) == before  # nothing written
    assert plan.case.status is CaseStatus.QUEUED and plan.case.owner is None and plan.enqueue is not None
    assert TimelineKind.HANDED_OVER in [e.kind for e in plan.entries]


def test_in_a_declared_crisis_the_holding_statement_answers_at_once(world):
    declared = crisis.declare(
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
    result = intake.handle(message(text="Is there an outage? The app is dead"), world.deps)
    case, timeline = world.cases.get_with_timeline(result.case_id)
    assert case.crisis_id == declared.crisis_id and case.priority == 1
    assert case.crisis_statement_version == declared.statement_version
    assert len(world.outbox.sent) == 1 and "We know the app is down." in world.outbox.sent[0]
    assert TimelineKind.CRISIS in [e.kind for e in timeline]


def test_an_approved_faq_answers_and_resolves_a_plain_question(world):
    config = world.config.config
    world.config.put(config.model_copy(update={"auto_answer_faq": True}))
    result = intake.handle(
        message(text="How many days do I have to return an item for a refund?"), world.deps
    )
    case = world.cases.get(result.case_id)
    assert case.status is CaseStatus.RESOLVED and case.first_response_at is not None
    assert len(world.outbox.sent) == 1 and world.work.lanes == {}


WHERE_IS_MY_ORDER = (
    "Hi {first_name}, your order {order_number} is {order_status} with {order_carrier}, expected "
    "{order_expected}. Track it: {tracking_url}"
)


def answers_where_is_my_order(world) -> None:
    """Given automatic answers on, a company system configured, and an approved FAQ that tells the order."""
    from shared.models.company import CompanySystem
    from shared.models.config import FaqAnswer

    config = world.config.config
    faq = FaqAnswer(
        id="order-status",
        question="Where is my order?",
        keywords=["where", "order"],
        answer=WHERE_IS_MY_ORDER,
    )
    system = CompanySystem(kind="https", url="https://orders.example.com/lookup")
    world.config.put(
        config.model_copy(update={"auto_answer_faq": True, "faq": [faq], "company_system": system})
    )
    world.deps.overrides["company_at_intake"] = world.company


def test_where_is_my_order_is_answered_automatically_with_the_orders_status(world):
    from shared.models.company import LookupResult, Order

    answers_where_is_my_order(world)
    world.company.answers[("order", "12345")] = LookupResult(
        found=True,
        orders=[
            Order(
                order_number="12345", status="Shipped", carrier="DHL", tracking_url="https://t.example.com/1"
            )
        ],
    )
    result = intake.handle(message(text="Where is my order 12345?"), world.deps)
    case, timeline = world.cases.get_with_timeline(result.case_id)
    assert case.status is CaseStatus.RESOLVED and world.company.asked == [("order", "12345")]
    reply = next(e for e in timeline if e.kind is TimelineKind.REPLY)
    assert reply.text.startswith(
        "Hi Ana, your order 12345 is shipped with DHL, expected soon. Track it: https://t.example.com/1"
    )
    assert reply.data["order"] == {"order_number": "12345", "status": "Shipped"}


@pytest.mark.parametrize("down", [False, True])
def test_without_the_order_confirmed_a_person_answers_and_a_failing_company_is_not_asked_again(world, down):
    answers_where_is_my_order(world)
    world.company.down = down  # down: the company system fails; else it does not know the order
    first = intake.handle(message(text="Where is my order 12345?"), world.deps)
    case = world.cases.get(first.case_id)
    assert case.status is CaseStatus.QUEUED and world.outbox.sent == []
    # a message naming no order number never asks the company
    intake.handle(message("m-2", text="where is my order? no number, sorry", author="u-2"), world.deps)
    assert world.company.asked == [("order", "12345")]
