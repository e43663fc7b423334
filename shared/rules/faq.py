"""Matching a customer's question to an approved FAQ answer (R17), conservatively.

An answer is chosen only with high confidence: at least MIN_MATCHED of its keywords appear (whole words,
case-insensitive), they are at least MIN_SHARE of its keywords, and no other answer comes close (a tie
means we cannot tell which answer is meant, so a person decides).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shared.rules.crisis import matched_keywords

MIN_MATCHED = 2
MIN_SHARE = 0.6


@dataclass(frozen=True)
class FaqCandidate:
    faq_id: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class FaqMatch:
    faq_id: str
    matched: tuple[str, ...]
    confidence: float


def score(text: str, candidate: FaqCandidate) -> FaqMatch:
    hits = tuple(matched_keywords(text, candidate.keywords))
    total = len({k.lower() for k in candidate.keywords}) or 1
    return FaqMatch(candidate.faq_id, hits, round(len({h.lower() for h in hits}) / total, 3))


def best_answer(text: str, candidates: Sequence[FaqCandidate]) -> FaqMatch | None:
    scored = sorted((score(text, c) for c in candidates), key=lambda m: (-m.confidence, -len(m.matched)))
    confident = [m for m in scored if len(m.matched) >= MIN_MATCHED and m.confidence >= MIN_SHARE]
    if not confident:
        return None
    if len(confident) > 1 and confident[1].confidence >= confident[0].confidence:
        return None  # ambiguous: two answers fit equally well
    return confident[0]
