"""Embedded, offline retrieval for the knowledge base: which approved answers fit this question, and why.

Pure Python (no numpy at run time; docs/decisions.md says why). An answer is its title, its body and
the example questions it carries (the questions it was chosen for).
A document is a sparse TF-IDF vector over words and character 3-4-grams inside
words (so "refunded" still meets "refund", and a typo keeps most of its n-grams); vectors are L2
normalised, so a dot product is a cosine. Each answer is one document (title, body and examples).

Search walks an inverted index (term -> postings), so its cost follows the query's terms, not the number
of answers; terms found in more than MAX_DF_SHARE of the documents are skipped (they are in nearly every
answer, carry almost no weight, and would make every search touch every document).
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from shared.models.knowledge import KnowledgeAnswer

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
# Only greetings are dropped: on banking77 keeping function words ranked better ("how do I" vs
# "why did my" tell questions apart); their low IDF keeps them from dominating.
_STOP = frozenset(["please", "hi", "hello", "thanks", "thank"])
WORD_WEIGHT = 1.0
CHAR_WEIGHT = 0.5
MAX_DF_SHARE = 0.1
MIN_DOCS_FOR_SKIP = 1000  # a small index never skips terms


def _stem(word: str) -> str:
    """A light, language-agnostic suffix trim: plurals and possessives only."""
    for suffix in ("'s", "ies", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def words(text: str) -> list[str]:
    return [w for w in (_WORD.findall(text.lower())) if w not in _STOP]


@lru_cache(maxsize=65536)
def _token_terms(token: str) -> tuple[str, ...]:
    """A word's own terms: the word and its character 3- and 4-grams (cached: words repeat a lot)."""
    padded = f"<{token}>"
    grams = [f"c:{padded[i : i + n]}" for n in (3, 4) for i in range(len(padded) - n + 1)]
    return ("w:" + token, *grams)


def features(text: str) -> dict[str, float]:
    """The weighted terms of a text: words and in-word character n-grams. (Word bigrams ranked no
    better on banking77 and multiplied the index's memory: nearly every bigram is unique.)"""
    terms: dict[str, float] = defaultdict(float)
    for word in words(text):
        word_term, *grams = _token_terms(_stem(word))
        terms[word_term] += WORD_WEIGHT
        for gram in grams:
            terms[gram] += CHAR_WEIGHT
    return terms


@dataclass(frozen=True)
class Hit:
    answer_id: str
    score: float
    matched: tuple[str, ...]  # the words the question shares with the answer
    because: str  # the example question closest to this one, or "its title and text"


@dataclass
class _Doc:
    answer_id: str
    title_body: str
    examples: tuple[str, ...]


class Index:
    """An inverted TF-IDF index with one document per answer: its title, body and example questions
    together (measured on banking77: one document per answer ranks better than the best single example,
    and searches ten times fewer postings). Build once, search many times.

    Postings are two compact arrays per term (document numbers, weights) and the documents' term
    vectors are not kept: features are computed twice at build time instead, so 10,000 answers fit in
    the API function's memory."""

    def __init__(self) -> None:
        self._docs: list[_Doc] = []
        self._postings: dict[str, tuple[array[int], array[float]]] = {}
        self._idf: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, answer_id: str, text: str, examples: Iterable[str] = ()) -> None:
        self._docs.append(_Doc(answer_id, text, tuple(examples)))

    def _features(self, doc: _Doc) -> dict[str, float]:
        return features(" \n".join((doc.title_body, *doc.examples)))

    def build(self) -> Index:
        df: Counter[str] = Counter()
        for doc in self._docs:
            df.update(self._features(doc).keys())
        n = len(self._docs)
        self._idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
        limit = n if n < MIN_DOCS_FOR_SKIP else int(n * MAX_DF_SHARE)
        numbers: dict[str, list[int]] = defaultdict(list)
        weights: dict[str, list[float]] = defaultdict(list)
        for number, doc in enumerate(self._docs):
            for term, weight in self._vector(self._features(doc)).items():
                if df[term] <= limit:
                    numbers[term].append(number)
                    weights[term].append(weight)
        self._postings = {t: (array("I", numbers[t]), array("f", weights[t])) for t in numbers}
        return self

    def _vector(self, terms: dict[str, float]) -> dict[str, float]:
        raw = {t: (1.0 + math.log(c)) * self._idf.get(t, 0.0) for t, c in terms.items() if c > 0}
        norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
        return {t: v / norm for t, v in raw.items() if v > 0}

    def search(self, question: str, k: int = 3) -> list[Hit]:
        query = self._vector(features(question))
        scores: dict[int, float] = defaultdict(float)
        for term, weight in query.items():
            found = self._postings.get(term)
            if found is not None:
                for number, doc_weight in zip(found[0], found[1], strict=True):
                    scores[number] += weight * doc_weight
        ranked = sorted(scores.items(), key=lambda item: (-item[1], self._docs[item[0]].answer_id))[:k]
        return [self._hit(question, number, score) for number, score in ranked]

    def _hit(self, question: str, number: int, score: float) -> Hit:
        doc = self._docs[number]
        asked = {_stem(w) for w in words(question)}

        def overlap(text: str) -> set[str]:
            return asked & {_stem(w) for w in words(text)}

        closest = max(doc.examples, key=lambda e: len(overlap(e)), default=None)
        because = "its title and text"
        if closest is not None and len(overlap(closest)) > len(overlap(doc.title_body)):
            because = f"it answered a similar question: {closest!r}"
        everything = overlap(" ".join((doc.title_body, *doc.examples)))
        return Hit(doc.answer_id, round(score, 4), tuple(sorted(everything)), because)


def build_index(answers: Sequence[tuple[str, str, Sequence[str]]]) -> Index:
    """An index of (answer id, title and body, example questions)."""
    index = Index()
    for answer_id, text, examples in answers:
        index.add(answer_id, text, examples)
    return index.build()


class Suggester:
    """The built-in AnswerIndex (shared/ports.py): the approved answers in an inverted index."""

    def __init__(self, answers: Sequence[KnowledgeAnswer] = ()) -> None:
        self._index = Index().build()
        self._generation: str | None = None
        if answers:
            self.load(answers, generation=None)

    @property
    def generation(self) -> str | None:
        """Which generation of the knowledge base is loaded (None: none yet)."""
        return self._generation

    def load(self, answers: Sequence[KnowledgeAnswer], generation: str | None) -> None:
        self._index = build_index(
            [(a.answer_id, f"{a.title}\n{a.body}", a.examples) for a in answers if a.is_approved]
        )
        self._generation = generation

    def rank(self, question: str, k: int) -> list[Hit]:
        return self._index.search(question, k)
