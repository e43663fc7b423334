"""Automatic answers (R15, R17): crisis holding statements and approved FAQ answers, sent as "heard-bot".

An automatic reply is recorded like an agent's (a REPLY timeline entry, delivery state updated in place
by the dispatcher) and marked `automatic`. Its ids derive from the inbound message, so a retried intake
produces the same reply id and the dispatcher's queued -> sending transition sends it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from shared.ids import stable_id
from shared.models.case import Case, CaseStatus, TimelineEntry, TimelineKind
from shared.models.company import Order
from shared.models.config import FaqAnswer, HeardConfig
from shared.models.interaction import Channel, Interaction
from shared.models.knowledge import KnowledgeAnswer
from shared.models.outbox import OutboxMessage
from shared.models.triage import Category, Sentiment, Triage
from shared.observability import metrics
from shared.rules.faq import FaqCandidate, FaqMatch, best_answer
from shared.rules.variables import case_values, fill, order_values, uses_order
from shared.usecases.deps import Deps
from shared.usecases.replies import PLATFORM_TEXT_LIMITS, compose

BOT = "heard-bot"
# The outbox message is sent before the case is written (like the work lane message, so a failed write
# never loses it); the delay gives the write time to land before the dispatcher looks for the entry.
OUTBOX_DELAY_SECONDS = 2


@dataclass(frozen=True)
class BotReply:
    entry: TimelineEntry
    message: OutboxMessage


def too_long(case: Case, text: str) -> int | None:
    """The platform's limit when `text` does not fit it, else None."""
    limit = PLATFORM_TEXT_LIMITS.get(case.platform)
    return limit if limit and len(text) > limit else None


def bot_reply(
    config: HeardConfig, case: Case, text: str, now: datetime, key: str, data: dict[str, object]
) -> BotReply:
    """A reply by heard-bot on `case`, with the contact line (R4); `key` makes its id stable under retries."""
    final = compose(text, config.brand(case.brand).contact_line)
    entry = TimelineEntry(
        case_id=case.case_id,
        entry_id=stable_id("r", now, key),
        kind=TimelineKind.REPLY,
        at=now,
        actor=BOT,
        text=final,
        data={
            "delivery": "queued",
            "private": False,
            "channel": case.channel.value,
            "automatic": True,
            **data,
        },
    )
    message = OutboxMessage.for_reply(case, entry, BOT)
    return BotReply(entry, message)


def auto_hide(case: Case, interaction: Interaction, now: datetime, reason: str) -> BotReply | None:
    """A routing rule hides this public comment at once (issue #16): recorded on the case, carried out by
    the dispatcher through the outbox (so retries apply); None where the platform cannot hide it."""
    from shared.platforms.moderation import ModerationAction, allowed

    if interaction.channel not in (Channel.COMMENT, Channel.MENTION, Channel.POST):
        return None
    if ModerationAction.HIDE not in allowed(case.platform.value):
        return None
    entry = TimelineEntry(
        case_id=case.case_id,
        entry_id=stable_id("m", now, interaction.dedupe_key + "#hide"),
        kind=TimelineKind.MODERATED,
        at=now,
        actor=BOT,
        text=f"Hide comment {interaction.platform_id} on {case.platform.value}: automatically ({reason}).",
        data={
            "action": "hide",
            "target_id": interaction.platform_id,
            "undo": "unhide",
            "automatic": True,
            "delivery": "queued",
        },
    )
    message = OutboxMessage.for_reply(case, entry, BOT).model_copy(
        update={"moderation": "hide", "target_id": interaction.platform_id}
    )
    return BotReply(entry, message)


def send(deps: Deps, replies: list[BotReply]) -> None:
    for reply in replies:
        deps.outbox.put(reply.message.model_dump_json(), delay_seconds=OUTBOX_DELAY_SECONDS)
        metrics.add_metric(name="AutoReplyQueued", unit="Count", value=1)


# ---- FAQ --------------------------------------------------------------------------------------------


def approved_answers(
    config: HeardConfig, knowledge: Sequence[KnowledgeAnswer], brand: str | None = None
) -> list[FaqAnswer]:
    """What automatic answers may say: the configuration's FAQ (approved by the administrator who set it)
    and the knowledge base's approved answers marked automatic (approved by a supervisor). A brand with
    `answer_tags` says only the knowledge answers tagged for it (issue #16)."""
    scope = set(config.brand(brand).answer_tags)
    from_kb = [
        FaqAnswer(id=a.answer_id, question=a.title[:300], keywords=a.keywords, answer=a.body)
        for a in knowledge
        if a.is_approved and a.automatic and (not scope or scope & set(a.tags))
    ]
    return [*from_kb] if scope else [*config.faq, *from_kb]


@dataclass(frozen=True)
class FaqDecision:
    """What automatic answering makes of a message (R17): the answer to send, or why a matching one is not
    sent. `complicated` reasons (a complaint, negative, crisis, personal data) raise an alert: the company
    wanted this question answered automatically, but this customer needs a person, soon."""

    answer: tuple[FaqAnswer, FaqMatch] | None = None
    matched: tuple[FaqAnswer, FaqMatch] | None = None  # the approved answer the words matched, sent or not
    withheld: tuple[str, ...] = ()  # why it is not sent: switched off, topic off, complicated...
    complicated: bool = False


def _complicated(triage: Triage) -> list[str]:
    reasons = []
    if triage.category is not Category.QUESTION:
        reasons.append(f"not a plain question ({triage.category.value})")
    if triage.sentiment is Sentiment.NEGATIVE:
        reasons.append("negative sentiment")
    if triage.crisis or "crisis" in triage.priority_reasons:
        reasons.append("crisis")
    if triage.pii:
        reasons.append("personal data")
    return reasons


def faq_decision(
    config: HeardConfig,
    triage: Triage,
    text: str,
    knowledge: Sequence[KnowledgeAnswer] = (),
    brand: str | None = None,
) -> FaqDecision:
    """Whether to answer automatically with an approved answer; everything doubtful goes to a human.

    Only plain questions qualify: not complaints, nothing negative, no crisis, no personal data (a
    customer who shares their card number needs a person, not a canned answer); and only when automatic
    answers are on, and on for the message's topic."""
    answers = approved_answers(config, knowledge, brand)
    found = best_answer(text, [FaqCandidate(f.id, tuple(f.keywords)) for f in answers]) if answers else None
    if found is None:
        return FaqDecision()
    matched = (next(f for f in answers if f.id == found.faq_id), found)
    if not config.auto_answer_faq:
        return FaqDecision(matched=matched, withheld=("automatic answers are switched off",))
    if triage.topic and triage.topic in config.auto_answer_topics_off:
        return FaqDecision(
            matched=matched, withheld=(f"automatic answers are off for topic {triage.topic!r}",)
        )
    reasons = _complicated(triage)
    if reasons:
        return FaqDecision(matched=matched, withheld=tuple(reasons), complicated=True)
    return FaqDecision(answer=matched, matched=matched)


def faq_match(
    config: HeardConfig,
    triage: Triage,
    text: str,
    knowledge: Sequence[KnowledgeAnswer] = (),
    brand: str | None = None,
) -> tuple[FaqAnswer, FaqMatch] | None:
    """The approved answer to send for a simple question, or None (see `faq_decision`)."""
    return faq_decision(config, triage, text, knowledge, brand).answer


def withheld_entry(case: Case, decision: FaqDecision, now: datetime, key: str) -> TimelineEntry:
    """The note on a complicated case that matched an approved answer: a person answers, and why."""
    assert decision.matched is not None
    answer, found = decision.matched
    return TimelineEntry(
        case_id=case.case_id,
        entry_id=stable_id("e", now, key + "#faq-withheld"),
        kind=TimelineKind.NOTE,
        at=now,
        actor=BOT,
        text=f"Not answered automatically with {answer.id!r}: {', '.join(decision.withheld)}. "
        "A person answers; supervisors were alerted.",
        data={"faq_id": answer.id, "withheld": list(decision.withheld), "matched": list(found.matched)},
    )


def withheld_alert(case: Case, decision: FaqDecision) -> dict[str, object]:
    assert decision.matched is not None
    return {
        "subject": f"Complicated question needs a person: case {case.case_id}",
        "detail": {
            "case_id": case.case_id,
            "team": case.team,
            "faq_id": decision.matched[0].id,
            "reasons": list(decision.withheld),
        },
        "kind": "faq_withheld",
    }


def needs_order(faq: tuple[FaqAnswer, FaqMatch] | None) -> bool:
    """Whether this approved answer tells the customer's order (it names an order variable, issue #17)."""
    return faq is not None and uses_order(faq[0].answer)


def _order_data(order: Order | None) -> dict[str, object]:
    return {"order": {"order_number": order.order_number, "status": order.status}} if order else {}


def faq_reply(
    config: HeardConfig,
    case: Case,
    faq: tuple[FaqAnswer, FaqMatch],
    now: datetime,
    key: str,
    order: Order | None = None,
) -> tuple[Case, BotReply, TimelineEntry] | None:
    """Answer a new case with an approved answer and resolve it; None when the answer does not fit the
    platform, or tells the customer's order and the company's system did not confirm it (`order`, looked up
    by intake): then a person answers.

    The automatic answer counts as the first response: it is the answer the customer asked for. If the
    customer writes again, the case reopens into the queue for a person (it has no owner).
    """
    answer, found = faq
    told = order_values(order, config.company) if order else {}
    if needs_order(faq) and not told:
        return None  # never an answer with blanks
    reply = bot_reply(
        config,
        case,
        fill(answer.answer, {**case_values(case, BOT, config.company), **told}),
        now,
        key=f"{key}#faq#{answer.id}",
        data={"faq_id": answer.id, "confidence": found.confidence, **_order_data(order)},
    )
    if too_long(case, reply.entry.text):
        return None
    resolved = TimelineEntry(
        case_id=case.case_id,
        entry_id=stable_id("e", now, key + "#faq-resolved"),
        kind=TimelineKind.RESOLVED,
        at=now,
        actor=BOT,
        text=f"Answered automatically with the approved answer {answer.id!r} (matched: {', '.join(found.matched)}). "
        "If the customer writes again it reopens for a person.",
        data={
            "faq_id": answer.id,
            "matched": list(found.matched),
            "confidence": found.confidence,
            "automatic": True,
        },
    )
    done = case.model_copy(
        update={
            "status": CaseStatus.RESOLVED,
            "resolved_at": now,
            "first_response_at": now,
            "reply_due": None,
            "reply_count": case.reply_count + 1,
        }
    )
    return done, reply, resolved
