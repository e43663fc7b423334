"""Email and SMS to people (issue #12) on fakes: who is reached for an SLA breach and an urgent escalation,
by which means, and a failed send that never blocks the breach or the escalation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.errors import InvalidInput
from shared.models.agent import Agent
from shared.models.case import CaseStatus
from shared.models.notify import ContactPreference, NotifyEvent
from shared.usecases import escalation, notify, sla
from tests.unit.usecases.conftest import a_case

AGENT = Agent("agent@heard.local", frozenset({"agent"}))
SUPERVISOR = Agent("supervisor@heard.local", frozenset({"supervisor"}))
ON_CALL = "oncall@heard.local"


def configure(world, **fields) -> None:
    world.config.config = world.config.config.model_copy(update=fields)


def overdue(world, now, **fields) -> None:
    a_case(world, **fields)
    now["now"] += timedelta(hours=2)


def test_an_sla_breach_reaches_the_on_call_person_by_their_preferences(world, now):
    configure(
        world,
        on_call=ON_CALL,
        contact_preferences=[
            ContactPreference(email=ON_CALL, phone="+447700900123", sms_for=[NotifyEvent.SLA_BREACH])
        ],
    )
    overdue(world, now)
    assert sla.sweep(world.deps).breached == ["c1"]
    [(to, subject, text)] = world.notifier.emails
    assert to == ON_CALL and "SLA breached: case c1" in subject and "#/cases/c1" in text
    assert [t[0] for t in world.notifier.texts] == ["+447700900123"]


def test_a_crisis_case_reaches_its_crisis_owner_instead(world, now):
    configure(world, on_call=ON_CALL)
    overdue(world, now, crisis="safety")
    sla.sweep(world.deps)
    assert [e[0] for e in world.notifier.emails] == ["supervisor@heard.local"]  # safety's point person
    assert world.notifier.texts == []  # no preferences: email only


def test_nobody_on_call_and_no_crisis_reaches_nobody_and_the_breach_still_counts(world, now):
    configure(world, on_call=None)
    overdue(world, now)
    assert sla.sweep(world.deps).breached == ["c1"] and world.notifier.emails == []


def test_a_failed_send_never_blocks_the_breach(world, now):
    configure(world, on_call=ON_CALL)
    world.notifier.down = True
    overdue(world, now)
    assert sla.sweep(world.deps).breached == ["c1"]
    assert world.cases.get("c1").sla_breached


def test_an_urgent_escalation_reaches_the_contact_by_email_and_sms_and_the_on_call_person(world, now):
    configure(world, on_call=ON_CALL)
    a_case(world, owner=AGENT.email, status=CaseStatus.ASSIGNED)
    _, entry = escalation.escalate(world.deps, AGENT, "c1", contact="pr-lead", team=None, reason="press")
    # pr-lead's urgency is critical: urgent without asking; their directory phone becomes E.164
    assert entry.data["urgent"] is True
    assert [e[0] for e in world.notifier.emails] == ["sam.okafor@example.com", ON_CALL]
    assert [t[0] for t in world.notifier.texts] == ["+15550102"]
    assert [(r["who"], r["by"], r["sent"]) for r in entry.data["reached"]] == [
        ("sam.okafor@example.com", "email", True),
        ("sam.okafor@example.com", "sms", True),
        (ON_CALL, "email", True),
    ]


def test_a_normal_escalation_emails_only_the_contact_and_an_urgent_one_texts_and_the_on_call_too(world, now):
    a_case(world, owner=AGENT.email, status=CaseStatus.ASSIGNED, priority=3)
    escalation.escalate(world.deps, AGENT, "c1", contact="billing-lead", team=None, reason="double charge")
    assert [to for to, _, _ in world.notifier.emails] == [
        "lee.chen@example.com"
    ] and world.notifier.texts == []
    _, entry = escalation.escalate(
        world.deps, AGENT, "c1", contact="billing-lead", team=None, reason="x", urgent=True
    )
    assert entry.data["urgent"] and world.notifier.emails[1][0] == "lee.chen@example.com"
    assert world.notifier.texts and len(world.notifier.emails) > 2  # the on-call person too


def test_a_failed_send_is_recorded_and_the_escalation_stands(world, now):
    world.notifier.down = True
    a_case(world, owner=AGENT.email, status=CaseStatus.ASSIGNED)
    case, entry = escalation.escalate(world.deps, AGENT, "c1", contact="pr-lead", team=None, reason="press")
    assert case.version == world.cases.get("c1").version
    assert all(not r["sent"] and "Throttling" in r["error"] for r in entry.data["reached"])
    assert "(failed)" in entry.text


def test_settings_replace_the_on_call_person_and_preferences_validated_as_a_whole(world):
    answer = notify.set_settings(
        world.deps, SUPERVISOR, ON_CALL, [ContactPreference(email=ON_CALL, phone="+447700900123")]
    )
    assert answer["on_call"] == ON_CALL and answer["preferences"][0]["phone"] == "+447700900123"
    assert world.config.get().on_call == ON_CALL
    assert {d["id"] for d in answer["directory"]} >= {"pr-lead", "cs-manager"}
    twice = [ContactPreference(email=ON_CALL), ContactPreference(email=ON_CALL.upper())]
    with pytest.raises(InvalidInput, match="invalid"):
        notify.set_settings(world.deps, SUPERVISOR, None, twice)
