"""Intake: one normalised interaction becomes part of a case (R1, R5, R7, R8, R18).

A customer's message is triaged, deduplicated on the platform's id, threaded into the customer's open
(or recently resolved) case or opens a new one, routed to a team's work lane, and given an SLA due time
in that team's business hours. Echoes, edits, deletions and delivery statuses update what we hold and
never open a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared import clock
from shared.errors import NotFound, Unavailable
from shared.ids import stable_id
from shared.models.case import Case, CaseStatus, TimelineEntry, TimelineKind
from shared.models.company import Order
from shared.models.config import BusinessCalendar, HeardConfig
from shared.models.crisis import Crisis
from shared.models.interaction import Channel, EventKind, Interaction
from shared.models.knowledge import KnowledgeAnswer
from shared.models.records import Duplicate, PrivateHandover
from shared.models.survey import SurveyAnswer
from shared.models.timeline import new_entry
from shared.models.triage import Triage
from shared.observability import logger, metrics
from shared.rules.business_hours import add_business_minutes
from shared.rules.routing import route
from shared.rules.search_terms import contact_keys, order_numbers, written_order_numbers
from shared.usecases import (
    automation,
    continuity,
    crisis_owner,
    knowledge,
    knowledge_gaps,
    mentions,
    order_answers,
    spikes,
    surveys,
    updates,
)
from shared.usecases import availability as away
from shared.usecases import crisis as crises
from shared.usecases.deps import Deps
from shared.usecases.outcomes import IntakeResult, Outcome, message_key


def handle(interaction: Interaction, deps: Deps) -> IntakeResult:
    metrics.add_metric(name=f"Interaction_{interaction.kind.value}", unit="Count", value=1)
    if interaction.kind is EventKind.MESSAGE:
        return _message(interaction, deps)
    if interaction.kind is EventKind.ECHO:
        return updates.echo(interaction, deps)
    if interaction.kind in (EventKind.EDIT, EventKind.DELETE):
        return updates.edit(interaction, deps)
    if interaction.kind is EventKind.STATUS:
        return updates.status(interaction, deps)
    return IntakeResult(Outcome.IGNORED)


# ---- customer messages ------------------------------------------------------------------------------


def _classifier(config: HeardConfig, deps: Deps) -> Any:
    """The configured triage backend. Locally (moto's Comprehend answers are canned) always built-in."""
    if config.triage_backend == "comprehend" and not deps.settings.is_local:
        from shared.triage.comprehend import ComprehendTriage

        return deps.provide("comprehend", ComprehendTriage).classify
    from shared.triage import classify  # the classifier's tables load on first use, not at import

    return classify


def _classify(
    interaction: Interaction, config: HeardConfig, deps: Deps, waiting_minutes: float = 0.0
) -> Triage:
    classify = _classifier(config, deps)
    return classify(
        interaction.text,
        platform=interaction.platform.value,
        language=interaction.extra.get("language")
        if isinstance(interaction.extra.get("language"), str)
        else None,
        author=interaction.author,
        config=config,
        waiting_minutes=waiting_minutes,
    )


def masked(text: str) -> str:
    """The customer's words as Heard keeps them: personal data masked (docs/privacy.md). Only the raw
    archive holds the original; triage reads it before it is masked."""
    from shared.triage.pii import mask  # loaded on first use, like the classifier

    return mask(text)


def _summary(text: str) -> str:
    return masked(text)[:280]


def _window(interaction: Interaction) -> datetime | None:
    from shared.rules.windows import reply_window_until

    return reply_window_until(interaction.platform, interaction.channel, interaction.occurred_at)


def _message_entry(case_id: str, interaction: Interaction, triage: Triage, now: datetime) -> TimelineEntry:
    return TimelineEntry(
        case_id=case_id,
        entry_id=stable_id("e", interaction.occurred_at, interaction.dedupe_key),
        kind=TimelineKind.MESSAGE_IN,
        at=interaction.occurred_at,
        actor="customer",
        text=masked(interaction.text),
        data={
            "platform_id": interaction.platform_id,
            "channel": interaction.channel.value,
            "author": interaction.author.model_dump(exclude_none=True),
            "attachments": [a.model_dump(exclude_none=True) for a in interaction.attachments],
            "archive_key": interaction.archive_key,
            "received_at": clock.iso(now),
            "triage": triage.model_dump(mode="json"),
            # Found by later (search, linking a customer's identities): digests of the emails and phones
            # given, read before they are masked; the order numbers as written.
            "contacts": contact_keys(interaction.text),
            "orders": order_numbers(interaction.text),
        },
    )


@dataclass(frozen=True)
class Snapshot:
    """What intake knows before deciding, read once: the message and its triage, the configuration, the
    customer's current case (open or recently resolved), the active crisis it belongs to, and whether the
    case's owner is away."""

    interaction: Interaction
    key: str
    now: datetime
    config: HeardConfig
    first_response_minutes: int
    triage: Triage
    crisis: Crisis | None
    case: Case | None
    handover: away.Handover | None
    knowledge: tuple[KnowledgeAnswer, ...] = ()  # approved answers automatic replies may use (R17)
    crisis_owner: crisis_owner.CrisisOwner | None = None  # a new case of a crisis type: its owner (R6)
    moved: PrivateHandover | None = None  # the case was moved to private and this DM continues it
    order: Order | None = None  # the order an automatic answer tells, as the company's system found it


@dataclass(frozen=True)
class Plan:
    """What to do, decided without any I/O: the case to write (opened when `expected_version` is None),
    its new timeline entries, the lane to put it in, the automatic replies to queue, the metrics to count."""

    outcome: Outcome
    case: Case
    expected_version: int | None
    entries: list[TimelineEntry]
    enqueue: tuple[str, int] | None
    replies: list[automation.BotReply]
    metrics: tuple[str, ...] = ()
    survey: SurveyAnswer | None = None  # a survey answer to record (R21)
    alerts: tuple[dict[str, Any], ...] = ()  # sent once the case is written (complicated questions, R17)


def _message(interaction: Interaction, deps: Deps) -> IntakeResult:
    key = message_key(interaction.platform.value, interaction.platform_id)
    known = deps.cases.message(key)
    if known:  # fast path: a redelivery; don't classify or enqueue again
        metrics.add_metric(name="DuplicateDropped", unit="Count", value=1)
        return IntakeResult(Outcome.DUPLICATE, known.case_id)
    if mentions.needs_fetch(interaction):  # Instagram mentions carry no text or author (issue #16)
        interaction = mentions.with_text(interaction, deps)
    snapshot = _load(interaction, key, deps)
    refused = surveys.button_refusal(snapshot.case, interaction, snapshot.now)
    if refused is not None:  # a survey button that answers nothing: never a message that reopens a case
        metrics.add_metric(name="SurveyButtonIgnored", unit="Count", value=1)
        logger.warning(
            "survey button ignored", extra={"reason": refused, "platform": interaction.platform.value}
        )
        return IntakeResult(Outcome.IGNORED, snapshot.case.case_id if snapshot.case else None)
    if snapshot.case:
        plan = plan_survey_answer(snapshot, snapshot.case) or plan_continue(snapshot, snapshot.case)
    else:
        plan = plan_open(snapshot)
    return _apply(plan, snapshot, deps)


def _load(interaction: Interaction, key: str, deps: Deps) -> Snapshot:
    """Read everything the decision needs."""
    now = clock.now()
    config = deps.config.get()
    if interaction.brand and all(b.id != interaction.brand for b in config.brands):
        config = deps.config.refresh()  # a brand added since this container read the configuration
    case, moved = _current_case(interaction, deps, now, timedelta(days=config.reopen_within_days))
    waiting = 0.0  # minutes the customer has waited past the SLA: the triage's priority weighs it
    if case and case.reply_due and case.reply_due < now:
        waiting = (now - case.reply_due).total_seconds() / 60
    triage = _classify(interaction, config, deps, waiting_minutes=waiting)
    crisis = (crises.active_by_id(deps, case.crisis_id) if case else None) or crises.match_active(
        deps, interaction.text, triage.topic
    )
    if crisis:  # a declared crisis: priority 1, to the point person's team (R6)
        triage = crises.tag(triage, crisis)
    handover = None
    if case:  # a reopened case goes back to its owner: are they away?
        status = _reopened_status(case) if case.status is CaseStatus.RESOLVED else case.status
        handover = away.hand_over_if_away(deps, case.case_id, case.owner, status, case.team, now)
    automatic = knowledge.automatic_answers(deps) if config.auto_answer_faq and not case else ()
    owner = crisis_owner.choose(deps, config, triage.crisis) if not case and triage.crisis else None
    order = None if crisis or case else _order_for_answer(deps, config, triage, interaction, automatic)
    return Snapshot(
        interaction,
        key,
        now,
        config,
        deps.settings.first_response_minutes,
        triage,
        crisis,
        case,
        handover,
        automatic,
        owner,
        moved,
        order,
    )


def _order_for_answer(
    deps: Deps,
    config: HeardConfig,
    triage: Triage,
    interaction: Interaction,
    automatic: tuple[KnowledgeAnswer, ...],
) -> Order | None:
    """The order a new case's automatic answer would tell (R17, issue #17), or None. Asked only when an
    approved automatic answer (the configuration's FAQ or the knowledge base's) naming an order variable would answer this message, the customer wrote an
    order number and a company system is configured; through intake's own short lookup (a capped
    timeout, a breaker that opens on the first failure): a slow company system costs this message at most
    that wait, and a person answers instead."""
    numbers = written_order_numbers(interaction.text)
    if not numbers or not config.auto_answer_faq or config.company_system is None:
        return None
    decision = automation.faq_decision(config, triage, interaction.text, automatic, interaction.brand)
    if not automation.needs_order(decision.answer):
        return None
    try:
        result = deps.company_at_intake.lookup("order", numbers[0])
    except Unavailable:
        metrics.add_metric(name="OrderAnswerUnavailable", unit="Count", value=1)
        return None
    return order_answers.matching(result, numbers[0])


def _current_case(
    interaction: Interaction, deps: Deps, now: datetime, reopen_within: timedelta
) -> tuple[Case | None, PrivateHandover | None]:
    """The case this message continues: one an agent moved to private for this identity (its direct
    message reaches that case and owner), else the customer's open case or the one resolved within
    `reopen_within` (R8); None opens a new case. The hand-over is returned when it decided."""
    if interaction.channel is Channel.DIRECT:
        moved = deps.cases.private_handover(interaction.customer_key)
        case = _reachable(deps, moved.case_id, now, reopen_within) if moved else None
        if case is not None:
            return case, moved
    pointer = deps.cases.customer(interaction.customer_key)
    if pointer and (
        pointer.status.is_open or (pointer.resolved_at and now - pointer.resolved_at < reopen_within)
    ):
        return deps.cases.get(pointer.case_id), None
    return None, None


def _reachable(deps: Deps, case_id: str, now: datetime, reopen_within: timedelta) -> Case | None:
    try:
        case = deps.cases.get(case_id)
    except NotFound:  # erased or expired since
        return None
    if case.status.is_open or (case.resolved_at and now - case.resolved_at < reopen_within):
        return case
    return None


def _apply(plan: Plan, snapshot: Snapshot, deps: Deps) -> IntakeResult:
    """Carry the plan out. The lane and outbox messages go first: if the case write then fails, the retry
    lands on the same case and reply ids, and a lane message whose case is missing or already claimed is
    discarded at claim time (a reply whose entry is missing is never sent)."""
    case_id = plan.case.case_id
    if plan.enqueue is not None:
        deps.work.enqueue(plan.enqueue[0], plan.enqueue[1], case_id)
    automation.send(deps, plan.replies)
    _join_crisis(plan.case, snapshot.case, deps)
    if plan.survey is not None:  # one record per case, so a retry after a failed case write rewrites it
        deps.surveys.record(plan.survey)
    try:
        if plan.expected_version is None:
            deps.cases.open_case(plan.case, plan.entries, snapshot.key)
        else:
            deps.cases.add_message(plan.case, plan.expected_version, plan.entries, snapshot.key)
    except Duplicate:
        if plan.outcome is Outcome.OPENED:
            metrics.add_metric(name="DuplicateDropped", unit="Count", value=1)
        return IntakeResult(Outcome.DUPLICATE, case_id)
    spikes.record(deps, snapshot.triage, snapshot.now)
    _note_unanswered(plan, snapshot, deps)
    for alert in plan.alerts:
        deps.alerts.notify(alert["subject"], alert["detail"], alert["kind"])
    for name in plan.metrics:
        metrics.add_metric(name=name, unit="Count", value=1)
    if plan.outcome is Outcome.OPENED:
        triage = snapshot.triage
        extra = {"case_id": case_id, "team": plan.case.team, "priority": triage.priority}
        logger.info("case opened", extra={**extra, "category": triage.category.value})
    else:
        logger.info("message added to case", extra={"case_id": case_id, "outcome": plan.outcome.value})
    return IntakeResult(plan.outcome, case_id)


def _note_unanswered(plan: Plan, snapshot: Snapshot, deps: Deps) -> None:
    """A question no approved answer matches well joins the supervisors' list (R16); not one answered
    automatically, nor one about a declared crisis (its holding statement answers it)."""
    if (
        plan.replies
        or snapshot.crisis
        or plan.outcome not in (Outcome.OPENED, Outcome.CONTINUED, Outcome.REOPENED)
    ):
        return
    asked = [e.text for e in plan.entries if e.kind is TimelineKind.MESSAGE_IN]
    if asked:
        category = snapshot.triage.category.value
        knowledge_gaps.note_at_intake(deps, plan.case.case_id, asked[-1], category)


def _join_crisis(case: Case, before: Case | None, deps: Deps) -> None:
    """A case newly part of a crisis is listed under it, so the crisis's updates reach it (idempotent, and
    written before the case: a case write that fails leaves a member the broadcaster skips)."""
    if case.crisis_id and (before is None or before.crisis_id != case.crisis_id):
        deps.broadcasts.add_member(case.crisis_id, case.case_id, case.platform.value)


# ---- the decisions (pure) ---------------------------------------------------------------------------


def plan_open(s: Snapshot) -> Plan:
    """A new case: routed, given its SLA, and answered at once by a holding statement or an FAQ."""
    interaction, triage, now = s.interaction, s.triage, s.now
    decision = route(s.config, triage, interaction, now)
    team = s.config.team(decision.team)
    started = min(interaction.occurred_at, now)
    due = add_business_minutes(team.calendar, started, s.first_response_minutes)
    case = _new_case(s, team.id, decision.reason, started, due)
    if decision.required_skills:
        case = case.model_copy(update={"required_skills": list(decision.required_skills)})
    hide = automation.auto_hide(case, interaction, now, decision.reason) if decision.auto_hide else None
    routed = TimelineEntry(
        case_id=case.case_id,
        entry_id=stable_id("e", now, interaction.dedupe_key + "#routed"),
        kind=TimelineKind.ROUTED,
        at=max(now, interaction.occurred_at),
        actor="system",
        text=f"Routed to {team.name}: {decision.reason}. Priority P{triage.priority}"
        f" ({', '.join(triage.priority_reasons) or 'routine'}); reply due {clock.iso(due)}.",
        data={"team": team.id, "priority": triage.priority, "reply_due": clock.iso(due)},
    )
    entries = [_message_entry(case.case_id, interaction, triage, now), routed]
    replies: list[automation.BotReply] = []
    if hide is not None:
        case = case.model_copy(update={"hidden_ids": [interaction.platform_id]})
        entries.append(hide.entry)
        replies.append(hide)
    counted = ["CaseOpened"]
    faq = automation.FaqDecision() if s.crisis else _faq(s)
    alerts: tuple[dict[str, Any], ...] = ()
    if s.crisis:
        # The holding statement answers at once; the case stays open for a person (docs/routing.md).
        entries.append(crises.tagged_entry(case.case_id, s.crisis, now, interaction.dedupe_key))
        case, more, held = _holding(s, case, s.crisis)
        entries += more
        replies += held
    elif faq.complicated:  # a question the company answers automatically, but this one needs a person
        entries.append(automation.withheld_entry(case, faq, now, interaction.dedupe_key))
        alerts = (automation.withheld_alert(case, faq),)
        counted.append("FaqWithheld")
    elif faq.answer:
        answered = automation.faq_reply(s.config, case, faq.answer, now, interaction.dedupe_key, s.order)
        if answered:  # an approved answer is the answer: resolved at once, nothing queued (R17)
            case, reply, resolved = answered
            replies.append(reply)
            entries += [reply.entry, resolved]
            counted.append("FaqAutoAnswered")
    if s.crisis_owner and case.status is CaseStatus.QUEUED and case.team == s.crisis_owner.team:
        case, owned = _owned_by_crisis_owner(s, case)
        entries.append(owned)
    enqueue = (team.id, triage.priority) if case.status is CaseStatus.QUEUED else None
    return Plan(Outcome.OPENED, case, None, entries, enqueue, replies, tuple(counted), alerts=alerts)


def _faq(s: Snapshot) -> automation.FaqDecision:
    return automation.faq_decision(s.config, s.triage, s.interaction.text, s.knowledge, s.interaction.brand)


def _owned_by_crisis_owner(s: Snapshot, case: Case) -> tuple[Case, TimelineEntry]:
    """A new crisis case goes straight to the point person, or their backup (R6)."""
    assert s.crisis_owner is not None
    entry = s.crisis_owner.entry(case.case_id, s.now)
    if s.crisis_owner.owner is None:
        return case, entry
    owned = case.model_copy(
        update={"status": CaseStatus.ASSIGNED, "owner": s.crisis_owner.owner, "assigned_at": s.now}
    )
    return owned, entry


def _new_case(s: Snapshot, team: str, reason: str, started: datetime, due: datetime) -> Case:
    interaction, triage = s.interaction, s.triage
    return Case(
        case_id=stable_id("c", interaction.occurred_at, interaction.dedupe_key),
        status=CaseStatus.QUEUED,
        team=team,
        priority=triage.priority,
        priority_reasons=list(triage.priority_reasons),
        category=triage.category,
        sentiment=triage.sentiment,
        sentiment_score=triage.sentiment_score,
        first_sentiment=triage.sentiment,
        topic=triage.topic,
        operation=triage.operation,
        language=triage.language,
        crisis=triage.crisis,
        crisis_id=s.crisis.crisis_id if s.crisis else None,
        action=triage.action,
        pii=list(triage.pii),
        platform=interaction.platform,
        channel=interaction.channel,
        customer=interaction.author,
        brand=interaction.brand,
        connected_account=interaction.connected_account,
        conversation_id=interaction.conversation_id,
        reply_context=dict(interaction.reply_context),
        summary=_summary(interaction.text),
        opened_at=started,
        updated_at=s.now,
        last_customer_at=interaction.occurred_at,
        reply_due=due,
        first_response_due=due,
        reply_window_until=_window(interaction),
        routing_reason=reason,
        version=1,
    )


def _holding(
    s: Snapshot, case: Case, crisis: Crisis
) -> tuple[Case, list[TimelineEntry], list[automation.BotReply]]:
    """The crisis's holding statement for `case` (or a note saying why it cannot go), and the case marked
    as having had this version of it."""
    reply, note = crises.holding_reply(s.config, case, crisis, s.now, s.interaction.dedupe_key)
    entries = [reply.entry] if reply else [note] if note else []
    marked = case.model_copy(update={"crisis_statement_version": crisis.statement_version})
    return marked, entries, [reply] if reply else []


def plan_survey_answer(s: Snapshot, case: Case) -> Plan | None:
    """The customer answered the case's survey with a score: stored, and the case stays resolved (R21)."""
    score = surveys.answer_in(case, s.interaction, s.now)
    if score is None:
        return None
    message = _message_entry(case.case_id, s.interaction, s.triage, s.now)
    pressed = surveys.is_button(s.interaction.extra.get("quick_reply"))
    updated, entry, record = surveys.answered(case, score, message, s.now, button=pressed)
    counted = ("SurveyAnswered",)
    return Plan(Outcome.SURVEY_ANSWERED, updated, case.version, [message, entry], None, [], counted, record)


def _reopened_status(case: Case) -> CaseStatus:
    """The specialist who owned the problem owns it again (R8: from start to finish); else the queue."""
    return CaseStatus.ASSIGNED if case.owner else CaseStatus.QUEUED


def _calendar(config: HeardConfig, team_id: str) -> BusinessCalendar:
    """The team's calendar; a team removed from the configuration since falls back to the default team's."""
    known = {t.id for t in config.teams}
    return config.team(team_id if team_id in known else config.default_team).calendar


def plan_continue(s: Snapshot, case: Case) -> Plan:
    """A further message on the customer's case: reopened to its owner if resolved (R8), handed over if the
    owner is away, more urgent if this message is, answered by a holding statement in a crisis."""
    interaction, triage, now, crisis = s.interaction, s.triage, s.now, s.crisis
    entries = [_message_entry(case.case_id, interaction, triage, now)]
    status, owner, team = case.status, case.owner, case.team
    priority = min(case.priority, triage.priority)
    enqueue: int | None = None
    outcome = Outcome.REOPENED if case.status is CaseStatus.RESOLVED else Outcome.CONTINUED
    if outcome is Outcome.REOPENED:
        status = _reopened_status(case)
        enqueue = priority if status is CaseStatus.QUEUED else None
        text = (
            f"The customer wrote again within {s.config.reopen_within_days} days of the resolution; "
            f"reopened for {case.owner or 'the ' + team + ' queue'}."
        )
        entries.append(
            new_entry(case_id=case.case_id, kind=TimelineKind.REOPENED, at=now, actor="system", text=text)
        )
    elif case.status is CaseStatus.QUEUED and priority < case.priority:
        enqueue = priority  # more urgent now: put it in the faster lane too
    if s.moved and case.channel.is_public:  # the customer took up the move to private: say so, once
        entries.append(continuity.arrived(case, s.moved, interaction, now))
    if s.handover:  # the owner is away: their backup, or the queue (R8)
        owner, status = s.handover.owner, s.handover.status
        entries.append(s.handover.entry)
        enqueue = priority if status is CaseStatus.QUEUED else enqueue
    updated = _continued(s, case, status, owner, priority, reopened=outcome is Outcome.REOPENED)
    replies: list[automation.BotReply] = []
    if crisis:
        if case.crisis_id != crisis.crisis_id:  # newly part of this crisis: no statement of it sent yet
            entries.append(crises.tagged_entry(case.case_id, crisis, now, interaction.dedupe_key))
            updated = updated.model_copy(update={"crisis_statement_version": 0})
        updated, more, replies = _holding(s, updated, crisis)
        entries += more
    lane = (team, enqueue) if enqueue is not None else None
    return Plan(outcome, updated, case.version, entries, lane, replies)


def _reply_context(case: Case, interaction: Interaction) -> dict[str, str]:
    """Where replies go now; a comment's post is kept when the conversation moves to private, so the
    case still shows what it started under (issue #10)."""
    context = dict(interaction.reply_context) or dict(case.reply_context)
    post = case.reply_context.get("post_id")
    if post and interaction.channel is Channel.DIRECT and "post_id" not in context:
        context["post_id"] = post
    return context


def _continued(
    s: Snapshot, case: Case, status: CaseStatus, owner: str | None, priority: int, *, reopened: bool
) -> Case:
    """The case with the customer's new message taken in."""
    interaction, triage, crisis = s.interaction, s.triage, s.crisis
    reply_due = case.reply_due or add_business_minutes(  # a new question starts a new SLA clock
        _calendar(s.config, case.team), min(interaction.occurred_at, s.now), s.first_response_minutes
    )
    return case.model_copy(
        update={
            "status": status,
            "owner": owner,
            "priority": priority,
            "priority_reasons": sorted(set(case.priority_reasons) | set(triage.priority_reasons)),
            "sentiment": triage.sentiment,
            "sentiment_score": triage.sentiment_score,
            "crisis": case.crisis or triage.crisis,
            "crisis_id": crisis.crisis_id if crisis else case.crisis_id,
            "pii": sorted(set(case.pii) | set(triage.pii)),
            "reply_context": _reply_context(case, interaction),
            "channel": interaction.channel,
            "conversation_id": interaction.conversation_id,
            "last_customer_at": max(case.last_customer_at, interaction.occurred_at),
            "reply_window_until": _window(interaction),
            "reply_due": reply_due,
            "resolved_at": None if reopened else case.resolved_at,
            "message_count": case.message_count + 1,
            "updated_at": s.now,
            "version": case.version + 1,
        }
    )
