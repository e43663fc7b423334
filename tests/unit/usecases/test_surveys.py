"""Satisfaction surveys on fakes (R21): scheduled at resolution, sent once within the platform's window,
answered without reopening the case, scored per agent, team and topic."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from shared import clock
from shared.errors import InvalidInput
from shared.models.agent import Agent
from shared.models.case import CaseStatus, ResolutionReason, TimelineKind
from shared.models.interaction import Channel, EventKind, Interaction, Platform
from shared.models.survey import SurveyKind, SurveySetting, SurveyState
from shared.usecases import followups, intake, surveys
from tests.unit.routing import fakes as classifier
from tests.unit.usecases.conftest import a_case

AGENT = Agent("agent@heard.local", frozenset({"agent"}))


@pytest.fixture(autouse=True)
def _predictable_classifier(monkeypatch):
    classifier.install(monkeypatch)


def with_surveys(world, *settings: SurveySetting) -> None:
    world.config.config = world.config.config.model_copy(update={"surveys": list(settings)})


def a_dm_case(world, platform: Platform = Platform.MESSENGER, **fields):
    return a_case(
        world,
        platform=platform,
        channel=Channel.DIRECT,
        owner=AGENT.email,
        status=CaseStatus.ASSIGNED,
        **fields,
    )


def dm(world, text: str, platform_id: str = "mid-2", **extra) -> Interaction:
    case = world.cases.get("c1")
    return Interaction(
        platform=case.platform,
        kind=EventKind.MESSAGE,
        channel=Channel.DIRECT,
        platform_id=platform_id,
        dedupe_key=f"{case.platform.value}#{platform_id}",
        author=case.customer,
        conversation_id=case.conversation_id,
        text=text,
        occurred_at=clock.now() - timedelta(seconds=1),
        reply_context={"recipient_id": case.customer.id},
        extra=extra,
    )


NPS = SurveySetting(platform=Platform.MESSENGER, kind=SurveyKind.NPS, delay_minutes=10)


def test_resolving_schedules_the_channels_survey_once_and_its_schedule_sends_it_once(world, now):
    with_surveys(world, NPS)
    a_dm_case(world)
    resolved = followups.resolve(world.deps, AGENT, "c1")
    assert resolved.survey is not None and resolved.survey.state is SurveyState.SCHEDULED
    assert world.scheduler.schedules["sv-c1"][1] == {"case_id": "c1", "kind": "survey"}
    # When the schedule fires (twice: schedules deliver at least once)
    now["now"] += timedelta(minutes=10)
    sent = surveys.send_due(world.deps, "c1")
    again = surveys.send_due(world.deps, "c1")
    # Then one survey went out, through the customer's channel, asking the configured question
    assert sent.survey.state is SurveyState.SENT and again.version == sent.version
    [message] = [json.loads(m) for m in world.outbox.sent]
    assert message["channel"] == "direct" and "recommend" in message["text"]
    # And reopening and resolving again never schedules a second one
    followups.reopen(world.deps, AGENT, "c1")
    assert followups.resolve(world.deps, AGENT, "c1").survey.state is SurveyState.SENT
    assert len(world.outbox.sent) == 1


def test_the_answer_is_stored_and_the_case_stays_resolved(world, now):
    with_surveys(world, NPS)
    a_dm_case(world, topic="delivery")
    followups.resolve(world.deps, AGENT, "c1")
    now["now"] += timedelta(minutes=10)
    surveys.send_due(world.deps, "c1")
    now["now"] += timedelta(minutes=3)
    result = intake.handle(dm(world, "9"), world.deps)
    assert result.outcome is intake.Outcome.SURVEY_ANSWERED
    case = world.cases.get("c1")
    assert case.status is CaseStatus.RESOLVED and case.survey.score == 9
    assert case.survey.state is SurveyState.ANSWERED
    assert world.work.lanes == {} or all(not lane for lane in world.work.lanes.values())
    assert TimelineKind.SURVEY_ANSWERED in [e.kind for e in world.cases.timeline("c1")]
    # The scores count it for the agent, the team and the topic
    _, _, [nps] = surveys.scores(world.deps, None, now["now"] + timedelta(days=1))
    assert nps.kind is SurveyKind.NPS and nps.overall.answers == 1 and nps.overall.score == 100.0
    assert [s.key for s in (nps.by_agent[0], nps.by_team[0], nps.by_topic[0])] == [
        AGENT.email,
        "care",
        "delivery",
    ]
    # A quick reply corrects it (one answer per case); a real message reopens the case as always
    intake.handle(dm(world, "Six", platform_id="mid-3", quick_reply="HEARD_SURVEY_6"), world.deps)
    assert world.cases.get("c1").survey.score == 6 and len(world.surveys.answers) == 1
    reopened = intake.handle(
        dm(world, "2 weeks and my refund is still missing", platform_id="mid-4"), world.deps
    )
    assert reopened.outcome is intake.Outcome.REOPENED


def test_outside_the_window_a_survey_is_skipped_with_the_reason_except_whatsapps_template(world, now):
    with_surveys(world, NPS, SurveySetting(platform=Platform.WHATSAPP))
    a_dm_case(world)
    a_case(
        world,
        "c2",
        platform=Platform.WHATSAPP,
        channel=Channel.DIRECT,
        owner=AGENT.email,
        status=CaseStatus.ASSIGNED,
    )
    followups.resolve(world.deps, AGENT, "c1")
    followups.resolve(world.deps, AGENT, "c2")
    now["now"] += timedelta(days=2)  # Messenger's and WhatsApp's 24 h windows have closed
    skipped = surveys.send_due(world.deps, "c1").survey
    assert skipped.state is SurveyState.SKIPPED and "window closed" in (skipped.skipped_reason or "")
    template = surveys.send_due(world.deps, "c2").survey
    assert template.state is SurveyState.SENT and template.via == "template"
    assert len(world.outbox.sent) == 1


def test_no_survey_for_spam_unconfigured_channels_or_switched_off_ones(world):
    with_surveys(world, SurveySetting(platform=Platform.MESSENGER, enabled=False))
    a_dm_case(world)
    a_case(world, "c2", owner=AGENT.email, status=CaseStatus.ASSIGNED)  # a Facebook comment: not configured
    a_case(world, "c3", owner=AGENT.email, status=CaseStatus.ASSIGNED)
    assert followups.resolve(world.deps, AGENT, "c1").survey is None
    assert followups.resolve(world.deps, AGENT, "c2").survey is None
    assert followups.resolve(world.deps, AGENT, "c3", reason=ResolutionReason.SPAM).survey is None
    assert not any(name.startswith("sv-") for name in world.scheduler.schedules)


def test_a_period_must_be_ordered_and_at_most_a_year(world, now):
    with pytest.raises(InvalidInput, match="before"):
        surveys.scores(world.deps, now["now"], now["now"] - timedelta(days=1))
    with pytest.raises(InvalidInput, match="366"):
        surveys.scores(world.deps, now["now"] - timedelta(days=400), now["now"])


def test_a_survey_button_counts_once_and_forged_or_stale_buttons_are_ignored(world, now):
    with_surveys(world, NPS)
    a_dm_case(world)
    followups.resolve(world.deps, AGENT, "c1")
    now["now"] += timedelta(minutes=10)
    sent = surveys.send_due(world.deps, "c1")
    survey_id = sent.survey.survey_id
    # The survey went out with one button per score, each naming the survey
    [message] = [json.loads(m) for m in world.outbox.sent]
    assert [c["payload"] for c in message["choices"]] == [f"heard-survey:{survey_id}:{n}" for n in range(11)]
    now["now"] += timedelta(minutes=3)

    def press(payload: str, mid: str) -> intake.Outcome:
        return intake.handle(
            dm(world, payload.rsplit(":", 1)[-1], platform_id=mid, quick_reply=payload), world.deps
        ).outcome

    # Forged: another survey's id, malformed, out of scale: ignored, the case untouched
    version = world.cases.get("c1").version
    assert press("heard-survey:sv0000000000000000000:9", "mid-f1") is intake.Outcome.IGNORED
    assert press(f"heard-survey:{survey_id}:x9", "mid-f2") is intake.Outcome.IGNORED
    assert press(f"heard-survey:{survey_id}:11", "mid-f3") is intake.Outcome.IGNORED
    assert world.cases.get("c1").version == version and world.cases.get("c1").status is CaseStatus.RESOLVED
    # A real press counts; the same press again (a second tap) is not recorded twice
    assert press(f"heard-survey:{survey_id}:8", "mid-2") is intake.Outcome.SURVEY_ANSWERED
    assert press(f"heard-survey:{survey_id}:8", "mid-3") is intake.Outcome.IGNORED
    case = world.cases.get("c1")
    assert case.survey.score == 8 and case.survey.answered_by == "button" and len(world.surveys.answers) == 1
    answered = [e for e in world.cases.timeline("c1") if e.kind is TimelineKind.SURVEY_ANSWERED]
    assert len(answered) == 1
    # Once the case is reopened, an old button is ignored rather than read as a message
    followups.reopen(world.deps, AGENT, "c1")
    assert press(f"heard-survey:{survey_id}:3", "mid-5") is intake.Outcome.IGNORED
