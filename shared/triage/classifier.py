"""`classify`: one interaction's text (plus who wrote it and how long they have waited) -> `Triage`."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from shared.triage import engine
from shared.triage.language import UNDETERMINED, detect_language
from shared.triage.pii import redact
from shared.triage.taxonomy import taxonomy_for

if TYPE_CHECKING:
    from shared.models.config import HeardConfig
    from shared.models.interaction import Author
    from shared.models.triage import Triage

_LANGUAGE_HINT = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")

# Priority: each reason adds points; points map to a priority (1 = most urgent). A crisis is always 1.
INFLUENCE_FOLLOWERS = 10_000
HIGH_INFLUENCE_FOLLOWERS = 100_000
WAITING_MINUTES = 60.0
LONG_WAITING_MINUTES = 240.0
_POINTS = {
    "complaint": 1.5,
    "negative": 0.5,  # 1.0 when the score is at or below VERY_NEGATIVE
    "question": 1.0,
    "influence": 1.0,
    "high-influence": 2.0,
    "vip": 2.0,
    "waiting": 1.0,
    "long-waiting": 2.0,
    "pii": 1.0,
}
VERY_NEGATIVE = -0.6
_PRIORITY_STEPS = ((4.0, 1), (2.5, 2), (1.0, 3))


def _language(hint: str | None, text: str) -> str:
    if hint:
        match = _LANGUAGE_HINT.match(hint.strip())
        if match and match.group(1).lower() != UNDETERMINED:
            return match.group(1).lower()
    # Mentions and links say nothing about the language; the first few thousand characters say enough.
    sample = engine.strip_for_language(text[:4000])
    code, _confidence = detect_language(engine.tokenize(sample), sample)
    return code


def _priority(
    category: str,
    sentiment_score: float,
    crisis: str | None,
    pii: list[str],
    author: Author | None,
    is_vip: bool,
    waiting_minutes: float,
) -> tuple[int, list[str]]:
    reasons: list[str] = []
    if crisis:
        reasons.append(f"crisis:{crisis}")
    if category == "complaint":
        reasons.append("complaint")
    if sentiment_score <= -engine.POLARITY_THRESHOLD:
        reasons.append("negative")
    if category == "question":
        reasons.append("question")
    followers = author.followers if author is not None and author.followers is not None else 0
    if followers >= HIGH_INFLUENCE_FOLLOWERS:
        reasons.append("high-influence")
    elif followers >= INFLUENCE_FOLLOWERS or (author is not None and author.verified):
        reasons.append("influence")
    if is_vip:
        reasons.append("vip")
    if waiting_minutes >= LONG_WAITING_MINUTES:
        reasons.append("long-waiting")
    elif waiting_minutes >= WAITING_MINUTES:
        reasons.append("waiting")
    if pii:
        reasons.append("pii")
    if crisis:
        return 1, reasons
    if category == "spam":
        # Don't feed the troll, however many followers it has: monitored, never urgent.
        return 4, reasons
    points = sum(_POINTS.get(reason, 0.0) for reason in reasons)
    if sentiment_score <= VERY_NEGATIVE:
        points += _POINTS["negative"]
    for threshold, priority in _PRIORITY_STEPS:
        if points >= threshold:
            return priority, reasons
    return 4, reasons


def _category(signals: engine.Signals) -> tuple[str, float]:
    """The category and how far the deciding score was from its threshold (for the confidence)."""
    complaint = signals.complaint_score >= engine.COMPLAINT_THRESHOLD
    if signals.troll and signals.complaint_score < engine.COMPLAINT_THRESHOLD + 1.0:
        return "spam", 1.0
    if signals.spam_score >= 2.0 and signals.complaint_score < engine.COMPLAINT_THRESHOLD + 1.0:
        return "spam", signals.spam_score - 2.0
    if complaint:
        return "complaint", signals.complaint_score - engine.COMPLAINT_THRESHOLD
    margin = engine.COMPLAINT_THRESHOLD - signals.complaint_score
    if signals.question:
        return "question", margin
    if signals.feedback:
        return "feedback", margin
    if signals.sentiment_score >= engine.POLARITY_THRESHOLD:
        return "praise", signals.sentiment_score - engine.POLARITY_THRESHOLD
    if signals.sentiment_score <= -engine.POLARITY_THRESHOLD or signals.misinformation:
        return "feedback", abs(signals.sentiment_score)
    return "other", 0.0


def _action(category: str, sentiment: str, crisis: str | None, misinformation: bool) -> str:
    if crisis:
        return "escalate"
    if category == "spam":
        return "monitor"
    if misinformation and category != "complaint":
        return "correct"
    if category == "complaint":
        return "fix"
    if category == "question":
        return "answer"
    if category == "praise" or sentiment == "positive":
        return "thank"
    if sentiment == "negative":
        return "fix"
    return "answer"


def classify(
    text: str,
    *,
    platform: str | None = None,
    language: str | None = None,
    author: Author | None = None,
    config: HeardConfig | None = None,
    waiting_minutes: float = 0.0,
) -> Triage:
    """Triage one interaction offline: sentiment, category, topic, language, PII, crisis, priority, action.

    `language` is a hint (e.g. a platform's locale, "es" or "pt-BR") used instead of detection.
    `waiting_minutes` is how long the customer has been waiting for us (raises the priority).
    """
    # Imported here, not at module import, so importing the classifier stays cheap (cold starts).
    from shared.models.triage import Triage

    text = text if isinstance(text, str) else str(text)
    signals = engine.analyse(text)
    category, margin = _category(signals)
    score = signals.sentiment_score
    if category == "complaint" and not signals.plain_request:
        sentiment = "negative"
    elif score >= engine.POLARITY_THRESHOLD:
        sentiment = "positive"
    elif score <= -engine.POLARITY_THRESHOLD:
        sentiment = "negative"
    else:
        sentiment = "neutral"
    taxonomy = taxonomy_for(config)
    topic, operation = taxonomy.topic(signals.lowered)
    crisis = taxonomy.crisis(signals.lowered)
    _masked, pii = redact(text)
    is_vip = bool(
        config is not None
        and author is not None
        and config.is_vip((platform or "generic").lower(), author.id, author.handle)
    )
    if not math.isfinite(waiting_minutes):
        waiting_minutes = 0.0
    priority, reasons = _priority(category, score, crisis, pii, author, is_vip, waiting_minutes)
    # A short, cue-less post is a guess: the confidence says so.
    confidence = 0.5 + 0.45 * math.tanh(max(margin, 0.0) / 1.5)
    if not signals.tokens:
        confidence = 0.3
    return Triage(
        sentiment=sentiment,
        sentiment_score=score,
        category=category,
        topic=topic,
        operation=operation,
        language=_language(language, text),
        pii=pii,
        crisis=crisis,
        priority=priority,
        priority_reasons=reasons,
        action=_action(category, sentiment, crisis, signals.misinformation),
        confidence=round(confidence, 3),
    )
