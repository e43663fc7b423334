"""The SLA sweep, blind empathy review, reports, spike counting and configuration, on fakes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from shared.errors import Forbidden, InvalidInput
from shared.models.agent import Agent
from shared.models.case import CaseStatus, TimelineKind
from shared.models.triage import Category, Sentiment, Triage
from shared.usecases import configuration, replies, reports, reviews, sla, spikes
from tests.unit.usecases.conftest import a_case

AGENT = Agent("agent@heard.local", frozenset({"agent"}))
REVIEWER = Agent("rev@heard.local", frozenset({"reviewer"}))
SUPERVISOR = Agent("supervisor@heard.local", frozenset({"supervisor"}))


def test_an_overdue_case_is_breached_once_raised_to_p1_and_alerted(world, now):
    a_case(world, "late", reply_due=now["now"] - timedelta(minutes=1))
    a_case(world, "fine")  # due in 55 minutes
    result = sla.sweep(world.deps)
    assert result.breached == ["late"]
    late = world.cases.get("late")
    assert late.sla_breached and late.priority == 1 and late.reply_due is None
    assert [a[2] for a in world.alerts.sent] == ["sla_breach"] and world.work.depths("care") == {"1": 1}
    assert sla.sweep(world.deps).breached == []


def test_a_reviewer_grades_a_first_reply_blind_and_only_once(world):
    a_case(world)
    replies.post_reply(world.deps, AGENT, "c1", "So sorry, fixing it now.")
    with pytest.raises(Forbidden):
        reviews.next_review(world.deps, AGENT)
    item = reviews.next_review(world.deps, REVIEWER)
    assert item is not None and item.case_id == "c1"
    with pytest.raises(InvalidInput):
        reviews.grade(world.deps, REVIEWER, item.review_id, 6)
    entry = reviews.grade(world.deps, REVIEWER, item.review_id, 4, "Warm")
    assert entry.kind is TimelineKind.EMPATHY_GRADED and world.cases.get("c1").empathy == 4
    assert world.quality.pool == {} and reviews.next_review(world.deps, REVIEWER) is None


def test_a_reviewer_who_read_the_case_cannot_grade_it(world):
    a_case(world)
    replies.post_reply(world.deps, AGENT, "c1", "So sorry.")
    world.quality.record_view("c1", REVIEWER.email, world.cases.get("c1").updated_at)
    assert reviews.next_review(world.deps, REVIEWER) is None


def test_a_report_writes_its_files_through_the_port_and_links_to_them(world, now):
    world.analytics.record_cases(world.deps, [a_case(world, "c1", status=CaseStatus.RESOLVED)])
    report = reports.generate(
        world.deps, start=now["now"] - timedelta(days=1), end=now["now"], requested_by=SUPERVISOR.email
    )
    assert report["case_count"] == 1 and set(world.report_files.files) == set(report["keys"].values())
    body, content_type = world.report_files.files[report["keys"]["json"]]
    assert content_type == "application/json" and json.loads(body)["sla"] is not None
    assert world.cases.list_reports()[0]["id"] == report["id"]
    assert "filename=heard-report-" in reports.download_url(world.deps, report["id"], "csv")
    with pytest.raises(InvalidInput):
        reports.download_url(world.deps, report["id"], "pdf")
    with pytest.raises(InvalidInput):
        reports.generate(world.deps, start=now["now"], end=now["now"] - timedelta(days=1))


def test_a_failed_spike_count_never_fails_the_message(world, now):
    triage = Triage(topic="delivery", sentiment=Sentiment.NEGATIVE, category=Category.COMPLAINT)
    spikes.record(world.deps, triage, now["now"])
    [counts] = world.crises.counters.values()
    assert counts == {"all": 1, "topic:delivery": 1, "negative": 1}
    world.crises.fail_counts = True
    spikes.record(world.deps, triage, now["now"])  # logged and counted as a metric, not raised


def test_configuration_is_replaced_only_with_teams_that_have_lanes(world):
    document = world.config.config.model_dump(mode="json")
    document["teams"].append({**document["teams"][0], "id": "new-team", "name": "New"})
    with pytest.raises(InvalidInput, match="new-team"):
        configuration.replace(world.deps, SUPERVISOR, document)
    document["teams"].pop()
    document["contact_line"] = "Call us on 0800 000 000."
    assert configuration.replace(world.deps, SUPERVISOR, document).contact_line == "Call us on 0800 000 000."
    assert configuration.current(world.deps).contact_line == "Call us on 0800 000 000."
