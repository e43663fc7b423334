"""Which declared crisis an inbound post belongs to (R6): keywords and topics, case-insensitive, whole words.

Pure: the crisis use case hands in the active crises, intake hands in the text and the triaged topic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class CrisisMatcher:
    """What a declared crisis matches: any keyword (a word or phrase) or any topic."""

    crisis_id: str
    keywords: tuple[str, ...]
    topics: tuple[str, ...]


@lru_cache(maxsize=4096)
def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A keyword or phrase as a whole-word, case-insensitive pattern; inner spaces match any whitespace.

    `(?<!\\w)`/`(?!\\w)` rather than `\\b` so keywords that start or end with punctuation ("#recall",
    "wi-fi") still need a word boundary on the outside only.
    """
    words = [re.escape(w) for w in keyword.strip().split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=1024)
def any_keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation for a whole keyword list: one regex scan per message instead of one per keyword."""
    parts = sorted(
        {r"\s+".join(re.escape(w) for w in k.split()) for k in keywords if k.strip()}, key=len, reverse=True
    )
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def has_keyword(text: str, keywords: tuple[str, ...]) -> bool:
    pattern = any_keyword_pattern(keywords)
    return bool(pattern and pattern.search(text))


def matched_keywords(text: str, keywords: Iterable[str]) -> list[str]:
    keywords = tuple(keywords)
    if not has_keyword(text, keywords):  # the common case, in one scan
        return []
    return [k for k in keywords if k.strip() and keyword_pattern(k).search(text)]


def match(text: str, topic: str | None, crises: Sequence[CrisisMatcher]) -> CrisisMatcher | None:
    """The first crisis (in the order given: newest first) the post matches, or None."""
    wanted = topic.lower() if topic else None
    for crisis in crises:
        if wanted and any(t.lower() == wanted for t in crisis.topics):
            return crisis
        if has_keyword(text, crisis.keywords):
            return crisis
    return None
