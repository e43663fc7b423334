"""Satisfaction surveys after resolution (R21): scheduled, sent once through the customer's own channel
within its messaging window, answered without reopening the case, and scored per agent, team and topic.

- Resolving a case (solved) whose channel has a survey switched on schedules it once per case: a one-time
  EventBridge schedule (`sv-<case id>`) fires the follow-ups function after the configured delay.
- When it fires, the survey goes out as heard-bot's reply on the case (the dispatcher sends it) if the
  platform still accepts a plain message, or WhatsApp's approved template outside its 24 h window; on
  other platforms a closed window skips it, with the reason on the case. A survey is never sent twice:
  the case's survey state moves scheduled -> sent/skipped once (a conditional save), and its reply id is
  derived from the case.
- The survey carries quick-answer buttons, one per score, where the platform has them in a private
  conversation (Messenger and Instagram quick replies, WhatsApp interactive buttons or list, Telegram's
  inline keyboard; the connectors decide); each button's payload is `heard-survey:<survey id>:<score>`.
- The customer's reply is read as a score (shared/rules/survey_answers.py); a score is stored on the case
  and as a survey answer, and the case stays resolved. Anything else is a new message, as always. A
  button that names another survey, is malformed, is out of scale, repeats the answer already stored or
  comes when the survey no longer takes answers is ignored and counted (`button_refusal`), never a
  message that would reopen the case.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from shared import clock
from shared.errors import InvalidInput, NotFound
from shared.ids import stable_id
from shared.models.case import Case, CaseStatus, ResolutionReason, TimelineEntry, TimelineKind
from shared.models.config import HeardConfig
from shared.models.interaction import Interaction, Platform
from shared.models.outbox import OutboxMessage
from shared.models.survey import Survey, SurveyAnswer, SurveyKind, SurveyState
from shared.models.timeline import new_entry
from shared.observability import metrics
from shared.rules import survey_scores
from shared.rules.survey_answers import button_payload, is_button, parse_answer, read_button, scale
from shared.rules.windows import free_form_until, is_open
from shared.usecases.deps import Deps

BOT = "heard-bot"
ANSWER_WITHIN = timedelta(days=7)  # a score sent later than this after the survey is a new message
OUTBOX_DELAY_SECONDS = 2  # the outbox message goes before the case write lands (see automation.py)
MAX_PERIOD = timedelta(days=366)
DEFAULT_PERIOD = timedelta(days=30)


def schedule_name(case_id: str) -> str:
    return f"sv-{case_id}"


def on_resolve(
    deps: Deps, case: Case, reason: ResolutionReason, now: datetime
) -> tuple[Survey | None, list[TimelineEntry]]:
    """Schedule the case's survey if its channel has one switched on and it never had one."""
    if case.survey is not None or reason is not ResolutionReason.SOLVED:
        return case.survey, []
    setting = deps.config.get().survey_for(case.platform.value, case.channel.value)
    if setting is None or not setting.enabled:
        return None, []
    at = now + timedelta(minutes=setting.delay_minutes)
    deps.scheduler.schedule_once(
        name=schedule_name(case.case_id), at=at, payload={"case_id": case.case_id, "kind": "survey"}
    )
    survey = Survey(kind=setting.kind, state=SurveyState.SCHEDULED, scheduled_for=at)
    entry = new_entry(
        case_id=case.case_id,
        kind=TimelineKind.SURVEY,
        at=now,
        actor="system",
        text=f"{setting.kind.value.upper()} survey scheduled for {clock.iso(at)}.",
        data={"state": SurveyState.SCHEDULED.value, "kind": setting.kind.value},
    )
    return survey, [entry]


def send_due(deps: Deps, case_id: str) -> Case:
    """The survey's schedule fired: send it (or record why not). Schedules deliver at least once."""
    case = deps.cases.get(case_id)
    survey = case.survey
    if survey is None:
        raise NotFound(f"case {case_id} has no survey")
    if survey.state is not SurveyState.SCHEDULED:
        return case
    now = clock.now()
    why = skip_reason(deps.config.get(), case, now)
    if why is not None:
        skipped = survey.model_copy(update={"state": SurveyState.SKIPPED, "skipped_reason": why})
        metrics.add_metric(name="SurveySkipped", unit="Count", value=1)
        return _save(deps, case, skipped, _entry(case, now, f"Survey not sent: {why}.", skipped))
    via = (
        "message"
        if is_open(free_form_until(case.platform, case.channel, case.last_customer_at), now)
        else "template"
    )
    setting = deps.config.get().survey_for(case.platform.value, case.channel.value)
    assert setting is not None  # skip_reason checked it
    survey_id = stable_id("sv", survey.scheduled_for, case.case_id)
    reply = _reply(case, survey, setting.question, now, via)
    message = OutboxMessage.for_reply(case, reply, BOT).model_copy(
        update={"choices": choices(survey_id, survey.kind)}
    )
    deps.outbox.put(message.model_dump_json(), delay_seconds=OUTBOX_DELAY_SECONDS)
    sent = survey.model_copy(
        update={
            "state": SurveyState.SENT,
            "sent_at": now,
            "via": via,
            "reply_id": reply.entry_id,
            "survey_id": survey_id,
        }
    )
    metrics.add_metric(name="SurveySent", unit="Count", value=1)
    return _save(deps, case, sent, reply)


def choices(survey_id: str, kind: SurveyKind) -> list[dict[str, str]]:
    """One quick-answer button per score of the survey's scale."""
    return [{"title": str(score), "payload": button_payload(survey_id, score)} for score in scale(kind)]


def skip_reason(config: HeardConfig, case: Case, now: datetime) -> str | None:
    """Why the survey may not go now, or None when it may."""
    if case.status is not CaseStatus.RESOLVED:
        return "the case was reopened before the survey was due"
    setting = config.survey_for(case.platform.value, case.channel.value)
    if setting is None or not setting.enabled:
        return f"surveys are switched off for {case.platform.value} {case.channel.value}"
    until = free_form_until(case.platform, case.channel, case.last_customer_at)
    if is_open(until, now) or case.platform is Platform.WHATSAPP:  # WhatsApp: an approved template
        return None
    assert until is not None
    return (
        f"{case.platform.value}'s messaging window closed at {clock.iso(until)} "
        "(a survey may not use the human-agent tag)"
    )


def _reply(case: Case, survey: Survey, question: str, now: datetime, via: str) -> TimelineEntry:
    return TimelineEntry(
        case_id=case.case_id,
        entry_id=stable_id("r", survey.scheduled_for, f"{case.case_id}#survey"),
        kind=TimelineKind.REPLY,
        at=now,
        actor=BOT,
        text=question,
        data={
            "delivery": "queued",
            "private": False,
            "channel": case.channel.value,
            "automatic": True,
            "survey": survey.kind.value,
            "via": via,
        },
    )


def _entry(case: Case, now: datetime, text: str, survey: Survey) -> TimelineEntry:
    data = {"state": survey.state.value, "kind": survey.kind.value, "reason": survey.skipped_reason}
    return new_entry(
        case_id=case.case_id, kind=TimelineKind.SURVEY, at=now, actor="system", text=text, data=data
    )


def _save(deps: Deps, case: Case, survey: Survey, entry: TimelineEntry) -> Case:
    updated = case.model_copy(update={"survey": survey, "updated_at": entry.at, "version": case.version + 1})
    deps.cases.save(updated, case.version, [entry])
    return updated


# ---- the answer -------------------------------------------------------------------------------------


def answer_in(case: Case, interaction: Interaction, now: datetime) -> int | None:
    """The score the customer's message gives the case's survey, when it is an answer to it."""
    survey = case.survey
    if survey is None or case.status is not CaseStatus.RESOLVED or survey.sent_at is None:
        return None
    if survey.state not in (SurveyState.SENT, SurveyState.ANSWERED) or now - survey.sent_at > ANSWER_WITHIN:
        return None
    payload = interaction.extra.get("quick_reply")
    return parse_answer(interaction.text, survey.kind, payload if isinstance(payload, str) else None)


def button_refusal(case: Case | None, interaction: Interaction, now: datetime) -> str | None:
    """Why a survey button the customer pressed is not an answer (ignored, never a new message), or None
    when it is one, or when the message carries no survey button at all."""
    payload = interaction.extra.get("quick_reply")
    if not is_button(payload):
        return None
    read = read_button(str(payload))
    if read is None:
        return "malformed"
    survey = case.survey if case else None
    if case is None or survey is None or survey.survey_id != read[0]:
        return "not this customer's survey"
    if not survey.kind.lowest <= read[1] <= survey.kind.highest:
        return "outside the scale"
    if survey.state is SurveyState.ANSWERED and survey.score == read[1]:
        return "already answered"
    if answer_in(case, interaction, now) is None:
        return "the survey no longer takes answers"
    return None


def answered(
    case: Case, score: int, message: TimelineEntry, now: datetime, *, button: bool = False
) -> tuple[Case, TimelineEntry, SurveyAnswer]:
    """The case with the customer's score (still resolved), its timeline entry, and the answer record."""
    assert case.survey is not None
    survey = case.survey.model_copy(
        update={
            "state": SurveyState.ANSWERED,
            "score": score,
            "answered_at": now,
            "answer_text": message.text[:60],
            "answered_by": "button" if button else "text",
        }
    )
    scale = f"{survey.kind.lowest}-{survey.kind.highest}"
    entry = new_entry(
        case_id=case.case_id,
        kind=TimelineKind.SURVEY_ANSWERED,
        at=now,
        actor="customer",
        text=f"{survey.kind.value.upper()} answer: {score} ({scale}). The case stays resolved.",
        data={"kind": survey.kind.value, "score": score, "by": survey.answered_by},
    )
    updated = case.model_copy(
        update={
            "survey": survey,
            "last_customer_at": max(case.last_customer_at, message.at),
            "message_count": case.message_count + 1,
            "updated_at": now,
            "version": case.version + 1,
        }
    )
    record = SurveyAnswer(
        case_id=case.case_id,
        kind=survey.kind,
        score=score,
        scheduled_for=survey.scheduled_for,
        answered_at=now,
        agent=case.owner,
        team=case.team,
        topic=case.topic,
        platform=case.platform,
    )
    return updated, entry, record


# ---- scores -----------------------------------------------------------------------------------------


def scores(
    deps: Deps, start: datetime | None, end: datetime | None
) -> tuple[datetime, datetime, list[survey_scores.KindScores]]:
    """CSAT and NPS of the surveys scheduled in a period (default: the last 30 days), per agent, team, topic."""
    end = end or clock.now()
    start = start or end - DEFAULT_PERIOD
    if start >= end:
        raise InvalidInput("start must be before end")
    if end - start > MAX_PERIOD:
        raise InvalidInput("a period is at most 366 days")
    return start, end, survey_scores.scores(deps.surveys.between(start, end))
