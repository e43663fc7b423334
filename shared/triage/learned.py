"""The learned triage backend (`triage_backend: "model"`): the linear model decides sentiment and
complaint, the rules stay as its features and as explainable overrides, topics come from the company's
examples, language from a library with a shipped model. Every field carries a confidence, every verdict
its reasons. Same interface and output model as `shared.triage.classifier.classify`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from shared.triage import engine
from shared.triage.classifier import _LANGUAGE_HINT, _action, _priority
from shared.triage.features import rule_features, text_features
from shared.triage.language import UNDETERMINED, identify
from shared.triage.model import DEFAULT_MODEL, Prediction, cached
from shared.triage.pii import redact
from shared.triage.taxonomy import GENERAL, taxonomy_for
from shared.triage.topics import index_for

if TYPE_CHECKING:
    from shared.models.config import HeardConfig
    from shared.models.interaction import Author
    from shared.models.triage import Triage

# A complaint needs the complaint head's probability to reach this (tuned on the team's care posts).
COMPLAINT_PROBABILITY = 0.5
# A complaint this certain makes the sentiment negative whatever the words say (sarcasm, politeness);
# lower, the sentiment head (which sees the complaint rules as features) decides on its own.
STRONG_COMPLAINT = 0.8
# Rule override: complaint cues this strong (twice the rules' own threshold) make a complaint even when
# the model, trained on few examples, is unsure ("thanks for the 3 hour delay, my parcel is lost").
RULE_COMPLAINT_SCORE = 2 * engine.COMPLAINT_THRESHOLD
RULE_COMPLAINT_CONFIDENCE = 0.85
# The sentiment head (trained on thousands of posts) tempers the complaint head (trained on a few hundred):
# the complaint probability moves by this share of P(negative) - P(positive), and a post the sentiment
# head reads as positive is a complaint only when the complaint is strong ("thank you for the refund",
# "best investment I've made" are not complaints). Measured 2026-12-03 in docs/decisions.md.
SENTIMENT_PULL = 0.2
POSITIVE_NEEDS_STRONG_COMPLAINT = True
KEYWORD_TOPIC_CONFIDENCE = 0.7  # a keyword hit in a keyword-only taxonomy
NO_TOPIC_CONFIDENCE = 0.5  # no keyword matched: "general"


def _reason(field: str, label: str, prediction: Prediction, probability: float | None = None) -> str:
    evidence = ", ".join(f.split(":", 1)[1] if not f.startswith("r:") else f for f in prediction.reasons)
    p = prediction.confidence if probability is None else probability
    text = f"{field}={label} p={p:.2f}" + (f": {evidence}" if evidence else "")
    return text[:120]


def _language(hint: str | None, text: str) -> tuple[str, float]:
    if hint:
        match = _LANGUAGE_HINT.match(hint.strip())
        if match and match.group(1).lower() != UNDETERMINED:
            return match.group(1).lower(), 1.0
    sample = engine.strip_for_language(text[:4000])
    return identify(sample, engine.tokenize(sample))


def complaint_belief(complaint: float, sentiment: dict[str, float]) -> float:
    """The complaint head's probability tempered by the sentiment head's probabilities (0..1)."""
    pull = SENTIMENT_PULL * (sentiment.get("negative", 0.0) - sentiment.get("positive", 0.0))
    return max(0.0, min(1.0, complaint + pull))


def _category(signals: engine.Signals, complaint: float, sentiment: str) -> tuple[str, float, str]:
    """(category, confidence, the rule or head that decided)."""
    strong_complaint = complaint >= STRONG_COMPLAINT
    if signals.troll and not strong_complaint:
        return "spam", 0.8, "rule: troll"
    if signals.spam_score >= 2.0 and not strong_complaint:
        return "spam", min(0.95, 0.6 + 0.1 * signals.spam_score), "rule: spam cues"
    if complaint >= COMPLAINT_PROBABILITY and (
        strong_complaint or sentiment != "positive" or not POSITIVE_NEEDS_STRONG_COMPLAINT
    ):
        return "complaint", complaint, "model: complaint"
    if signals.complaint_score >= RULE_COMPLAINT_SCORE and not signals.plain_request:
        return "complaint", RULE_COMPLAINT_CONFIDENCE, f"rule: complaint cues {signals.complaint_score:.1f}"
    not_complaint = 1.0 - complaint
    if signals.question:
        return "question", not_complaint, "rule: question"
    if signals.feedback:
        return "feedback", not_complaint, "rule: feedback"
    if sentiment == "positive":
        return "praise", not_complaint, "model: positive, no complaint"
    if sentiment == "negative" or signals.misinformation:
        return "feedback", not_complaint, "model: negative, no complaint"
    return "other", not_complaint, "model: neutral, no complaint"


def classify_learned(
    text: str,
    *,
    platform: str | None = None,
    language: str | None = None,
    author: Author | None = None,
    config: HeardConfig | None = None,
    waiting_minutes: float = 0.0,
    model_path: Path = DEFAULT_MODEL,
) -> Triage:
    """Triage one interaction with the learned model; see `shared.triage.classify` for the arguments."""
    from shared.models.triage import Triage

    text = text if isinstance(text, str) else str(text)
    model = cached(model_path)
    signals = engine.analyse(text)
    words = text_features(text)  # computed once: the heads and the topic index both use them
    seen = words + rule_features(signals)
    sentiment_prediction = model.predict("sentiment", seen)
    complaint_prediction = model.predict("complaint", seen)
    probabilities = sentiment_prediction.probabilities
    complaint = complaint_belief(complaint_prediction.probabilities.get("complaint", 0.0), probabilities)
    score = probabilities.get("positive", 0.0) - probabilities.get("negative", 0.0)
    sentiment, sentiment_confidence = sentiment_prediction.label, sentiment_prediction.confidence
    category, category_confidence, decided_by = _category(signals, complaint, sentiment)
    reasons = [_reason("sentiment", sentiment, sentiment_prediction)]
    if category == "complaint" and category_confidence >= STRONG_COMPLAINT and sentiment != "negative":
        # Rule override: an unhappy customer is negative however politely (or sarcastically) they put it.
        reasons.append(f"rule: complaint overrides sentiment={sentiment}")
        sentiment, sentiment_confidence = "negative", category_confidence
        score = min(score, -engine.POLARITY_THRESHOLD)
    said = "yes" if complaint >= COMPLAINT_PROBABILITY else "no"
    belief = complaint if said == "yes" else 1.0 - complaint
    reasons.append(_reason("complaint", said, complaint_prediction, belief))
    reasons.append(f"category={category} ({decided_by})")
    index = index_for(config)
    taxonomy = taxonomy_for(config)
    if index is not None:
        match = index.match(text, words)
        topic, operation, topic_confidence = match.topic, match.operation, match.confidence
        reasons.append(f"topic={topic}: similarity {match.similarity:.2f} to its examples")
    else:
        topic, operation = taxonomy.topic(signals.lowered)
        topic_confidence = NO_TOPIC_CONFIDENCE if (topic, operation) == GENERAL else KEYWORD_TOPIC_CONFIDENCE
    crisis = taxonomy.crisis(signals.lowered)
    if crisis:
        reasons.append(f"rule: crisis keywords ({crisis})")
    language_code, language_confidence = _language(language, text)
    _masked, pii = redact(text)
    is_vip = bool(
        config is not None
        and author is not None
        and config.is_vip((platform or "generic").lower(), author.id, author.handle)
    )
    if not math.isfinite(waiting_minutes):
        waiting_minutes = 0.0
    priority, priority_reasons = _priority(category, score, crisis, pii, author, is_vip, waiting_minutes)
    confidences = {
        "sentiment": round(sentiment_confidence, 3),
        "category": round(category_confidence, 3),
        "topic": round(topic_confidence, 3),
        "language": round(language_confidence, 3),
    }
    return Triage(
        sentiment=sentiment,
        sentiment_score=round(max(-1.0, min(1.0, score)), 4),
        category=category,
        topic=topic,
        operation=operation,
        language=language_code,
        pii=pii,
        crisis=crisis,
        priority=priority,
        priority_reasons=priority_reasons,
        action=_action(category, sentiment, crisis, signals.misinformation),
        confidence=confidences["category"],
        confidences=confidences,
        reasons=reasons,
    )
