"""A small, predictable stand-in for shared.triage.classify, so routing and crisis tests do not depend
on the real classifier's judgement (which is tested and benchmarked on its own)."""

from __future__ import annotations

import re
from typing import Any

from shared.models.config import HeardConfig
from shared.models.triage import Action, Category, Sentiment, Triage
from shared.rules.crisis import matched_keywords

NEGATIVE = (
    "ridiculous",
    "terrible",
    "worst",
    "angry",
    "broken",
    "furious",
    "unacceptable",
    "scared",
    "awful",
)
POSITIVE = ("love", "thank", "thanks", "great", "brilliant")
CARD = re.compile(r"\b(?:\d[ -]?){13,16}\b")


def classify(
    text: str,
    *,
    platform: str,
    language: str | None,
    author: Any,
    config: HeardConfig,
    waiting_minutes: float = 0.0,
) -> Triage:
    negative = bool(matched_keywords(text, NEGATIVE))
    positive = not negative and bool(matched_keywords(text, POSITIVE))
    if negative:
        category, sentiment, action = Category.COMPLAINT, Sentiment.NEGATIVE, Action.FIX
    elif "?" in text:
        category, sentiment, action = Category.QUESTION, Sentiment.NEUTRAL, Action.ANSWER
    elif positive:
        category, sentiment, action = Category.PRAISE, Sentiment.POSITIVE, Action.THANK
    else:
        category, sentiment, action = Category.OTHER, Sentiment.NEUTRAL, Action.ANSWER
    topic = next((t for t in config.topics if matched_keywords(text, t.keywords)), None)
    reasons = ["complaint", "negative"] if negative else []
    return Triage(
        sentiment=sentiment,
        sentiment_score=-0.6 if negative else 0.5 if positive else 0.0,
        category=category,
        topic=topic.id if topic else "general",
        operation=topic.operation if topic else "general",
        language=language or "en",
        pii=["card"] if CARD.search(text) else [],
        crisis=None,
        priority=2 if negative else 3,
        priority_reasons=reasons,
        action=action,
        confidence=0.9,
    )


def redact(text: str) -> tuple[str, list[str]]:
    return CARD.sub("[card]", text), ["card"] if CARD.search(text) else []


def install(monkeypatch: Any) -> None:
    """Make intake use this classifier (and redactor) instead of shared.triage."""
    from shared.usecases import intake

    def _classify(
        interaction: Any, config: HeardConfig, deps: Any = None, waiting_minutes: float = 0.0
    ) -> Triage:
        return classify(
            interaction.text,
            platform=interaction.platform.value,
            language=None,
            author=interaction.author,
            config=config,
            waiting_minutes=waiting_minutes,
        )

    monkeypatch.setattr(intake, "_classify", _classify)
    monkeypatch.setattr(intake, "_summary", lambda text: redact(text)[0][:280])
