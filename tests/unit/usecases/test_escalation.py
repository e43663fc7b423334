"""Escalation on fakes: to a contact (their backup too when they are off hours) or to another team."""

from __future__ import annotations

import pytest

from shared.errors import Forbidden, InvalidInput
from shared.models.agent import Agent
from shared.models.case import CaseStatus, TimelineKind
from shared.usecases import escalation
from tests.unit.usecases.conftest import a_case

AGENT = Agent("agent@heard.local", frozenset({"agent"}))


def test_escalating_to_a_contact_alerts_them_and_records_it(world):
    a_case(world, owner=AGENT.email, status=CaseStatus.ASSIGNED)
    case, entry = escalation.escalate(world.deps, AGENT, "c1", contact="pr-lead", team=None, reason="press")
    assert entry.kind is TimelineKind.ESCALATED and entry.data["contact"] == "pr-lead"
    assert [a[1]["escalated_to"] for a in world.alerts.sent] == ["pr-lead"]  # on call 24/7: no backup
    assert case.version == world.cases.get("c1").version


def test_escalating_to_a_team_puts_the_case_in_its_queue(world):
    a_case(world, owner=AGENT.email, status=CaseStatus.ASSIGNED)
    case, _ = escalation.escalate(world.deps, AGENT, "c1", contact=None, team="pr", reason="viral")
    assert case.team == "pr" and case.status is CaseStatus.QUEUED and case.owner is None
    assert world.work.depths("pr") == {str(case.priority): 1}


def test_escalation_input_and_ownership_are_checked(world):
    a_case(world, owner="other@heard.local", status=CaseStatus.ASSIGNED)
    with pytest.raises(InvalidInput, match="exactly one"):
        escalation.escalate(world.deps, AGENT, "c1", contact="pr-lead", team="pr", reason="x")
    with pytest.raises(Forbidden):
        escalation.escalate(world.deps, AGENT, "c1", contact="pr-lead", team=None, reason="x")
    supervisor = Agent("supervisor@heard.local", frozenset({"supervisor"}))
    with pytest.raises(InvalidInput, match="unknown escalation contact"):
        escalation.escalate(world.deps, supervisor, "c1", contact="nobody", team=None, reason="x")
    with pytest.raises(InvalidInput, match="unknown team"):
        escalation.escalate(world.deps, supervisor, "c1", contact=None, team="nope", reason="x")
