"""What triage concludes about one interaction (R5)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class Category(StrEnum):
    COMPLAINT = "complaint"
    QUESTION = "question"
    PRAISE = "praise"
    FEEDBACK = "feedback"
    SPAM = "spam"  # spam or troll
    OTHER = "other"


class Action(StrEnum):
    """The response map (seed 004)."""

    THANK = "thank"  # positive: mirror the enthusiasm
    ANSWER = "answer"  # a question: answer it
    FIX = "fix"  # an unhappy customer: fix the problem
    CORRECT = "correct"  # misguided: correct the facts, politely
    MONITOR = "monitor"  # troll / spam: monitor, don't feed
    ESCALATE = "escalate"  # crisis or legal/safety: to the point person


class Triage(BaseModel):
    model_config = ConfigDict(frozen=True)

    sentiment: Sentiment
    sentiment_score: Annotated[float, Field(ge=-1.0, le=1.0)] = 0.0
    category: Category
    topic: Annotated[str, Field(max_length=64)] = "general"
    operation: Annotated[str, Field(max_length=64)] = "general"  # the company operation behind the topic
    language: Annotated[str, Field(max_length=16)] = "und"
    pii: list[str] = []  # kinds of personal data present: card, phone, email, address, ...
    crisis: Annotated[str | None, Field(max_length=64)] = None
    priority: Annotated[int, Field(ge=1, le=4)] = 3  # 1 = most urgent
    priority_reasons: list[str] = []
    action: Action = Action.ANSWER
    confidence: Annotated[float, Field(ge=0.0, le=1.0)] = 0.5
    # Per field ("sentiment", "category", "topic", "language"), 0..1; empty from backends that give one.
    confidences: dict[str, Annotated[float, Field(ge=0.0, le=1.0)]] = {}
    reasons: list[Annotated[str, Field(max_length=120)]] = []  # why: model features and rules that decided

    def least_confident(self) -> tuple[str, float] | None:
        """The field triage is least sure of, if the backend gave per-field confidences."""
        if not self.confidences:
            return None
        return min(self.confidences.items(), key=lambda item: item[1])
