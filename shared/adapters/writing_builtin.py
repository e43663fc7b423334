"""The built-in writing help (issue #11): offline, deterministic, the default.

- A draft is the best approved answer for the case (the caller ranks them; variables are filled by the
  use case): vetted words, never invented ones. No approved answer fits: no draft (Conflict).
- A summary is extractive: the customer's most telling sentences (their words' frequency across the
  customer's messages, favouring short sentences), the last reply's first sentence, and where the case
  stands.
- Translation is not available offline: `translates` is False and `translate` refuses (Conflict), rather
  than pretending with the text unchanged.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from shared.errors import Conflict
from shared.models.case import Case, TimelineEntry, TimelineKind
from shared.models.writing import Draft, GroundingAnswer

MAX_BRIEF = 600  # characters of a summary, whichever backend wrote it
MAX_SENTENCE = 200
SENTENCES_KEPT = 2
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
# Words that say nothing about the problem (English; other languages rank by their own frequency).
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "you",
        "your",
        "are",
        "was",
        "were",
        "have",
        "has",
        "had",
        "this",
        "that",
        "with",
        "not",
        "but",
        "they",
        "them",
        "our",
        "out",
        "from",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "how",
        "can",
        "could",
        "would",
        "should",
        "will",
        "just",
        "still",
        "please",
        "thanks",
        "thank",
        "hello",
        "there",
        "get",
        "got",
        "been",
        "being",
        "any",
        "all",
        "its",
        "it's",
        "i'm",
        "i've",
        "don't",
        "can't",
    ]
)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if len(s.strip()) > 2]


def _words(sentence: str) -> list[str]:
    return [w for w in (m.lower() for m in _WORD.findall(sentence)) if w not in _STOP]


def telling_sentences(texts: Sequence[str], keep: int = SENTENCES_KEPT) -> list[str]:
    """The `keep` sentences whose words recur most across `texts`, in the order they were written."""
    found = [s for text in texts for s in sentences(text)]
    counts = Counter(w for s in found for w in set(_words(s)))

    def score(sentence: str) -> float:
        words = set(_words(sentence))
        return sum(counts[w] for w in words) / math.sqrt(len(sentence.split()) or 1)

    best = sorted(range(len(found)), key=lambda i: (-score(found[i]), i))[:keep]
    return [_cut(found[i], MAX_SENTENCE) for i in sorted(best)]


def _cut(text: str, most: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def where_it_stands(case: Case) -> str:
    replies = f"{case.reply_count} repl{'y' if case.reply_count == 1 else 'ies'}"
    messages = f"{case.message_count} message{'' if case.message_count == 1 else 's'}"
    return f"{case.status.value.capitalize()}; {messages} from the customer, {replies}."


def extractive_summary(case: Case, timeline: Sequence[TimelineEntry]) -> str:
    said = [e.text for e in timeline if e.kind is TimelineKind.MESSAGE_IN and e.text]
    replies = [e.text for e in timeline if e.kind is TimelineKind.REPLY and e.text]
    parts = []
    if said:
        parts.append("Customer: " + " ".join(telling_sentences(said)))
    if replies and (first := sentences(replies[-1])):
        parts.append("Last reply: " + _cut(first[0], MAX_SENTENCE))
    parts.append(where_it_stands(case))
    return _cut(" ".join(parts), MAX_BRIEF)


class BuiltinWritingHelp:
    """Pure and offline: also the unit tests' writing help."""

    @property
    def backend(self) -> str:
        return "builtin"

    @property
    def model(self) -> str | None:
        return None

    @property
    def translates(self) -> bool:
        return False

    def draft(
        self, case: Case, timeline: Sequence[TimelineEntry], answers: Sequence[GroundingAnswer]
    ) -> Draft:
        if not answers:
            raise Conflict(
                "no approved answer fits this case yet: write the reply yourself (and propose it as an answer)"
            )
        best = answers[0]
        return Draft(text=best.body, used=(best.answer_id,))

    def summarise(self, case: Case, timeline: Sequence[TimelineEntry]) -> str:
        return extractive_summary(case, timeline)

    def translate(self, text: str, source: str, target: str) -> str:
        raise Conflict(
            "translation is not available offline: Heard translates with Amazon Translate when deployed "
            "with generative help (-c generativeHelp=<model id>)"
        )
