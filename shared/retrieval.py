"""Embedded, offline retrieval for the knowledge base: which approved answers fit this question, and why.

Python over numpy (already a runtime dependency), nothing trained, nothing downloaded. An answer has
parts: its title and body, and each example question it carries (the questions it was chosen for). A
part is a sparse TF-IDF vector over words and character 3-4-grams inside words (so "refunded" still
meets "refund", and a typo keeps most of its n-grams); vectors are L2 normalised, so a dot product is a
cosine. An answer's centroid is the normalised sum of its parts.

Search walks an inverted index of the centroids (term -> postings), so its cost follows the question's
terms, not the number of answers; terms found in more than MAX_DF_SHARE of the answers are skipped there
(they are in nearly every answer and would make every search touch every document). The best CANDIDATES
are then scored exactly, on every term, against each of their parts.

Words alone miss questions asked in other words ("my card still hasn't come" / "card delivery time"), so
each part also has a sentence vector (shared/embeddings.py: static token embeddings shipped in a wheel).
The answers whose centroid vector is nearest the question's join the candidates, and an answer's score
mixes both views (LEXICAL_WEIGHT): on banking77, words alone put the right answer first for 73.5% of the
questions, vectors alone 77.6%, the mix 79% (docs/decisions.md).
"""

from __future__ import annotations

import heapq
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from shared.embeddings import embedder
from shared.models.knowledge import KnowledgeAnswer, PastReply

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
# Only greetings are dropped: on banking77 keeping function words ranked better ("how do I" vs
# "why did my" tell questions apart); their low IDF keeps them from dominating.
_STOP = frozenset(["please", "hi", "hello", "thanks", "thank"])
WORD_WEIGHT = 1.0
CHAR_WEIGHT = 0.5
MAX_DF_SHARE = 0.1
MIN_DOCS_FOR_SKIP = 1000  # a small index never skips terms
CANDIDATES = 30  # answers the centroid index hands to exact scoring on their parts
BEST_PART_WEIGHT = 0.4  # the best single part's cosine against the centroid's (0.6)
LEXICAL_WEIGHT = 0.5  # the words' score against the vectors' (1.0); the sum is scaled back to 0-1
SEMANTIC_FLOOR = 0.35  # an answer joins the candidates on its vector alone from this cosine up
EMBED_BATCH = 4096  # parts embedded at once while building (bounds the float32 scratch memory)


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

    @property
    def parts(self) -> tuple[str, ...]:
        """Part 0 is the title and body; then one part per example question."""
        return (self.title_body, *self.examples)


@dataclass(frozen=True)
class _Parts:
    """An answer's part vectors, flat: term numbers and weights, where each part starts, and the norm
    of their sum (so the centroid's cosine comes from the parts' dot products)."""

    terms: np.ndarray
    weights: np.ndarray
    starts: np.ndarray
    norm: float


def _summed(parts: Sequence[dict[str, float]]) -> dict[str, float]:
    total: dict[str, float] = defaultdict(float)
    for part in parts:
        for term, weight in part.items():
            total[term] += weight
    return total


def _normalised(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items() if v > 0}


class Index:
    """One vector per answer part (its title and body; each example question) and, per answer, their
    centroid. Search walks an inverted index of the centroids for CANDIDATES answers (its cost follows
    the question's terms, not the number of answers), then scores each candidate exactly on its parts:
    a mix of the centroid's cosine (what the answer is about overall) and the best single part's cosine
    (the one example phrased most like this question). Measured on banking77 with two different sets
    of 10 examples per answer (docs/decisions.md): the mix ranks better than either alone.

    Parts are kept as two flat numpy arrays per answer (term numbers, weights) plus part offsets, so
    10,000 answers with 10 examples each fit in the API function's memory; features are computed twice
    at build time rather than held."""

    def __init__(self) -> None:
        self._docs: list[_Doc] = []
        self._postings: dict[str, tuple[array[int], array[float]]] = {}
        self._idf: dict[str, float] = {}
        self._terms: dict[str, int] = {}
        self._parts: list[_Parts] = []
        self._query = np.zeros(0, dtype=np.float32)
        self._vectors = np.zeros((0, 0), dtype=np.float16)  # one per part, answer after answer
        self._vector_starts: np.ndarray = np.zeros(
            1, dtype=np.int64
        )  # where each answer's parts start (and end)
        self._centroids = np.zeros((0, 0), dtype=np.float32)  # one per answer

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, answer_id: str, text: str, examples: Iterable[str] = ()) -> None:
        self._docs.append(_Doc(answer_id, text, tuple(examples)))

    def build(self) -> Index:
        df: Counter[str] = Counter()
        for doc in self._docs:
            df.update(set().union(*(features(part) for part in doc.parts)))
        n = len(self._docs)
        self._idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
        self._terms = {t: i for i, t in enumerate(self._idf)}
        limit = n if n < MIN_DOCS_FOR_SKIP else int(n * MAX_DF_SHARE)
        numbers: dict[str, list[int]] = defaultdict(list)
        weights: dict[str, list[float]] = defaultdict(list)
        for number, doc in enumerate(self._docs):
            parts = [self._vector(features(part)) for part in doc.parts]
            self._parts.append(self._pack(parts))
            for term, weight in _normalised(_summed(parts)).items():
                if df[term] <= limit:
                    numbers[term].append(number)
                    weights[term].append(weight)
        self._postings = {t: (array("I", numbers[t]), array("f", weights[t])) for t in numbers}
        self._query = np.zeros(len(self._terms), dtype=np.float32)
        self._embed_parts()
        return self

    def _embed_parts(self) -> None:
        """Every part's sentence vector (float16: 10,000 answers of 11 parts hold 56 MB), and per answer
        the unit mean of its parts."""
        texts = [part for doc in self._docs for part in doc.parts]
        model = embedder()
        vectors = np.zeros((len(texts), model.dimensions), dtype=np.float16)
        for start in range(0, len(texts), EMBED_BATCH):
            vectors[start : start + EMBED_BATCH] = model.embed(texts[start : start + EMBED_BATCH])
        counts = [len(doc.parts) for doc in self._docs]
        self._vector_starts = np.cumsum([0, *counts], dtype=np.int64)
        self._vectors = vectors
        centroids = np.zeros((len(self._docs), model.dimensions), dtype=np.float32)
        for number in range(len(self._docs)):
            lo, hi = self._vector_starts[number], self._vector_starts[number + 1]
            centroids[number] = vectors[lo:hi].astype(np.float32).sum(axis=0)
        self._centroids = centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-9)

    def _pack(self, parts: list[dict[str, float]]) -> _Parts:
        ids = [self._terms[t] for part in parts for t in part]
        values = [v for part in parts for v in part.values()]
        starts = np.cumsum([0, *(len(p) for p in parts[:-1])], dtype=np.int64)
        norm = math.sqrt(sum(v * v for v in _summed(parts).values())) or 1.0
        return _Parts(np.array(ids, dtype=np.int32), np.array(values, dtype=np.float32), starts, norm)

    def _vector(self, terms: dict[str, float]) -> dict[str, float]:
        raw = {t: (1.0 + math.log(c)) * self._idf.get(t, 0.0) for t, c in terms.items() if c > 0}
        return _normalised(raw)

    def search(self, question: str, k: int = 3) -> list[Hit]:
        query = self._vector(features(question))
        scores: dict[int, float] = defaultdict(float)
        for term, weight in query.items():
            found = self._postings.get(term)
            if found is not None:
                for number, doc_weight in zip(found[0], found[1], strict=True):
                    scores[number] += weight * doc_weight
        wanted = max(CANDIDATES, k)
        candidates = set(heapq.nlargest(wanted, scores, key=scores.__getitem__))
        meaning = embedder().embed([question])[0]
        near = self._centroids @ meaning if len(self._docs) else np.zeros(0, dtype=np.float32)
        if len(near):
            nearest = np.argpartition(-near, min(wanted, len(near) - 1))[:wanted]
            candidates.update(int(n) for n in nearest if near[n] >= SEMANTIC_FLOOR)
        asked = [(self._terms[t], w) for t, w in query.items() if t in self._terms]
        for term_number, weight in asked:
            self._query[term_number] = weight
        try:
            exact = [(*self._exact(number, meaning, float(near[number])), number) for number in candidates]
        finally:
            for term_number, _ in asked:
                self._query[term_number] = 0.0
        ranked = sorted(exact, key=lambda s: (-s[0], self._docs[s[2]].answer_id))
        return [self._hit(question, number, score, best) for score, best, number in ranked[:k]]

    def _exact(self, number: int, meaning: np.ndarray, near: float) -> tuple[float, int]:
        """(score, best part) of one answer for the query held in self._query (its words) and `meaning`
        (its vector; `near` its cosine with the answer's centroid). Each view mixes the centroid with the
        best single part; the score is their weighted mean, 0-1."""
        parts = self._parts[number]
        lo, hi = self._vector_starts[number], self._vector_starts[number + 1]
        products = self._query[parts.terms] * parts.weights
        sizes = np.diff(np.append(parts.starts, len(products)))  # a part may have no terms ("hi thanks")
        per_part = np.bincount(np.repeat(np.arange(hi - lo), sizes), weights=products, minlength=hi - lo)
        lexical = (
            BEST_PART_WEIGHT * float(per_part.max())
            + (1 - BEST_PART_WEIGHT) * float(per_part.sum()) / parts.norm
        )
        cosines = self._vectors[lo:hi].astype(np.float32) @ meaning
        semantic = BEST_PART_WEIGHT * float(cosines.max()) + (1 - BEST_PART_WEIGHT) * near
        best = int(np.argmax(LEXICAL_WEIGHT * per_part + cosines))
        return (LEXICAL_WEIGHT * lexical + max(semantic, 0.0)) / (LEXICAL_WEIGHT + 1), best

    def _hit(self, question: str, number: int, score: float, best: int) -> Hit:
        doc = self._docs[number]
        asked = {_stem(w) for w in words(question)}
        because = "its title and text"
        if best > 0:
            because = f"it answered a similar question: {doc.examples[best - 1]!r}"
        everything = asked & {_stem(w) for w in words(" ".join(doc.parts))}
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


class PastSuggester:
    """The built-in PastReplyIndex (shared/ports.py): the questions of recently resolved cases, so a new
    question finds the cases asked most like it (and the replies that resolved them). One part per case:
    its question (the reply is what is offered, not what is matched)."""

    def __init__(self) -> None:
        self._index = Index().build()
        self._loaded_at: float | None = None

    @property
    def loaded_at(self) -> float | None:
        """When (time.monotonic) the past replies were last loaded (None: never)."""
        return self._loaded_at

    def load(self, pasts: Sequence[PastReply], loaded_at: float) -> None:
        self._index = build_index([(p.case_id, p.question, ()) for p in pasts])
        self._loaded_at = loaded_at

    def rank(self, question: str, k: int) -> list[Hit]:
        return self._index.search(question, k)


# Words that say how something is asked, not what about: left out when grouping questions.
_FUNCTION_WORDS = frozenset(
    [
        "about",
        "after",
        "again",
        "been",
        "before",
        "being",
        "could",
        "does",
        "doing",
        "from",
        "have",
        "having",
        "here",
        "into",
        "just",
        "more",
        "most",
        "only",
        "other",
        "over",
        "same",
        "should",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "very",
        "want",
        "what",
        "when",
        "where",
        "which",
        "while",
        "will",
        "with",
        "would",
        "your",
        "yours",
    ]
)


def _content_words(text: str) -> Counter[str]:
    return Counter(_stem(w) for w in words(text) if len(w) > 3 and w not in _FUNCTION_WORDS)


def clusters(texts: Sequence[str], similarity: float) -> list[list[int]]:
    """Group similar texts (the numbers of the texts in each group, biggest group first): each text joins
    the group whose centroid is closest if the cosine reaches `similarity`, else starts one. Vectors of
    content words (short and function words left out: questions are short, and "how do I" would group
    them by phrasing) with smoothed IDF from these texts; numpy, for a few hundred texts."""
    vectors = [_content_words(text) for text in texts]
    df = Counter(t for v in vectors for t in v)
    terms = {t: i for i, t in enumerate(df)}
    matrix = np.zeros((len(texts), len(terms)), dtype=np.float32)
    for row, vector in enumerate(vectors):
        for term, count in vector.items():
            matrix[row, terms[term]] = (1.0 + math.log(count)) * (
                math.log((1 + len(texts)) / (1 + df[term])) + 1
            )
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-9
    groups: list[list[int]] = []
    sums = np.zeros((0, len(terms)), dtype=np.float32)
    for row in range(len(texts)):
        if groups:
            scores = (sums / (np.linalg.norm(sums, axis=1, keepdims=True) + 1e-9)) @ matrix[row]
            best = int(np.argmax(scores))
            if scores[best] >= similarity:
                groups[best].append(row)
                sums[best] += matrix[row]
                continue
        groups.append([row])
        sums = np.vstack([sums, matrix[row]])
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def label(texts: Sequence[str], size: int = 4) -> str:
    """The most frequent content words of a group of texts (a name a supervisor can recognise)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(_content_words(text)))
    return " ".join(w for w, _ in counts.most_common(size))
