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
each part also has a sentence vector. The answers whose centroid vector is nearest the question's join the
candidates, and an answer's score mixes both views (LEXICAL_WEIGHT). Approved answers (Suggester) use the
sentence encoder (shared/encoder.py, all-MiniLM-L6-v2), with vectors stored on the answers; past replies
(PastSuggester) use static token embeddings (shared/embeddings.py), cheap enough to embed at every load.
On banking77, words alone put the right answer first for 73.5% of the questions; with static vectors 79%;
with the sentence encoder 84% (docs/knowledge.md).
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import math
import re
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import numpy as np

from shared.embeddings import embedder
from shared.encoder import MODEL as ENCODER_MODEL
from shared.encoder import sentence_encoder
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
EMBED_BATCH = 512  # parts embedded at once while building (bounds the float32 scratch memory)


class Encoder(Protocol):
    """What turns texts into unit sentence vectors (shared/encoder.py, shared/embeddings.py)."""

    @property
    def dimensions(self) -> int: ...
    def embed(self, texts: list[str]) -> np.ndarray: ...


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
    vectors: np.ndarray | None = field(default=None, repr=False)  # stored part vectors, if still valid

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

    def __init__(self, encoder: Callable[[], Encoder] = embedder, budget: float | None = None) -> None:
        self._encoder = encoder
        self._budget = budget  # seconds of embedding per build (None: all); the rest waits for the next
        self.computed: dict[int, np.ndarray] = {}  # answer number -> its part vectors embedded by build()
        self.complete = True  # every part has its vector (False: the budget ran out first)
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

    def add(
        self, answer_id: str, text: str, examples: Iterable[str] = (), vectors: np.ndarray | None = None
    ) -> None:
        """An answer; `vectors` are its parts' stored vectors (one row per part), if any."""
        doc = _Doc(answer_id, text, tuple(examples))
        if vectors is not None and vectors.shape == (len(doc.parts), self.dimensions):
            doc.vectors = vectors
        self._docs.append(doc)

    @property
    def dimensions(self) -> int:
        return self._encoder().dimensions

    @property
    def docs(self) -> Sequence[_Doc]:
        return self._docs

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
        """Every part's sentence vector (float16: 10,000 answers of 11 parts hold 84 MB at 384 wide), and
        per answer the unit mean of its parts. Stored vectors are used as they are; the rest are embedded
        here, answer by answer, until the budget runs out (those left get zero vectors: words only, until
        the next build). What was embedded is kept in `computed`, for the caller to store."""
        if not self._docs:  # nothing to embed: the model is not even loaded
            return
        model = self._encoder()
        counts = [len(doc.parts) for doc in self._docs]
        self._vector_starts = np.cumsum([0, *counts], dtype=np.int64)
        self._vectors = np.zeros((int(self._vector_starts[-1]), model.dimensions), dtype=np.float16)
        missing = [n for n, doc in enumerate(self._docs) if doc.vectors is None]
        for n, doc in enumerate(self._docs):
            if doc.vectors is not None:
                self._vectors[self._vector_starts[n] : self._vector_starts[n + 1]] = doc.vectors
        self._embed_missing(model, missing)
        centroids = np.zeros((len(self._docs), model.dimensions), dtype=np.float32)
        for number in range(len(self._docs)):
            lo, hi = self._vector_starts[number], self._vector_starts[number + 1]
            centroids[number] = self._vectors[lo:hi].astype(np.float32).sum(axis=0)
        self._centroids = centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-9)

    def _embed_missing(self, model: Encoder, missing: list[int]) -> None:
        started = time.monotonic()
        at = 0
        while at < len(missing):
            if self._budget is not None and time.monotonic() - started > self._budget:
                self.complete = False
                return
            batch: list[int] = []
            parts = 0
            while at < len(missing) and (
                not batch or parts + len(self._docs[missing[at]].parts) <= EMBED_BATCH
            ):
                batch.append(missing[at])
                parts += len(self._docs[missing[at]].parts)
                at += 1
            vectors = model.embed([part for n in batch for part in self._docs[n].parts]).astype(np.float16)
            offset = 0
            for n in batch:
                size = len(self._docs[n].parts)
                self.computed[n] = vectors[offset : offset + size]
                self._vectors[self._vector_starts[n] : self._vector_starts[n + 1]] = self.computed[n]
                offset += size

    def part_vectors(self, number: int) -> np.ndarray:
        return self._vectors[self._vector_starts[number] : self._vector_starts[number + 1]]

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
        if not self._docs:
            return []
        query = self._vector(features(question))
        scores: dict[int, float] = defaultdict(float)
        for term, weight in query.items():
            found = self._postings.get(term)
            if found is not None:
                for number, doc_weight in zip(found[0], found[1], strict=True):
                    scores[number] += weight * doc_weight
        wanted = max(CANDIDATES, k)
        candidates = set(heapq.nlargest(wanted, scores, key=scores.__getitem__))
        meaning = self._encoder().embed([question])[0]
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


def _digest(parts: Sequence[str]) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def pack_vectors(parts: Sequence[str], vectors: np.ndarray) -> str:
    """An answer's part vectors as stored with it: the model, which texts they are of, float16 bytes."""
    raw = base64.b64encode(np.ascontiguousarray(vectors, dtype="<f2").tobytes()).decode()
    return f"{ENCODER_MODEL}|{_digest(parts)}|{raw}"


def unpack_vectors(parts: Sequence[str], stored: str | None, dimensions: int) -> np.ndarray | None:
    """The stored vectors if they are this model's and of exactly these texts (else None: embed again)."""
    if not stored or stored.count("|") != 2:
        return None
    model, digest, raw = stored.split("|")
    if model != ENCODER_MODEL or digest != _digest(parts):
        return None
    try:
        vectors = np.frombuffer(base64.b64decode(raw), dtype="<f2")
    except ValueError:
        return None
    if vectors.size != len(parts) * dimensions:
        return None
    return vectors.reshape(len(parts), dimensions)  # read-only float16: copied into the index


def _parts_of(answer: KnowledgeAnswer) -> tuple[str, ...]:
    return (f"{answer.title}\n{answer.body}", *answer.examples)


class Suggester:
    """The built-in AnswerIndex (shared/ports.py): the approved answers in an inverted index, with the
    sentence encoder's vectors (shared/encoder.py). An answer's part vectors are embedded once: load()
    takes them from the answer (stored by an earlier load, see `fresh_vectors`) or from this container's
    previous index, and embeds only what changed, within `budget` seconds per load."""

    def __init__(self, answers: Sequence[KnowledgeAnswer] = (), budget: float | None = None) -> None:
        self._budget = budget
        self._index = Index(sentence_encoder).build()
        self._generation: str | None = None
        self._fresh: list[tuple[KnowledgeAnswer, str]] = []
        self._known: dict[str, tuple[str, np.ndarray]] = {}  # answer id -> (parts digest, vectors)
        if answers:
            self.load(answers, generation=None)

    @property
    def generation(self) -> str | None:
        """Which generation of the knowledge base is loaded (None: none yet, or not every vector yet)."""
        return self._generation if self._index.complete else None

    def load(self, answers: Sequence[KnowledgeAnswer], generation: str | None) -> None:
        approved = [a for a in answers if a.is_approved]
        index = Index(sentence_encoder, self._budget)
        for answer in approved:
            parts = _parts_of(answer)
            vectors = unpack_vectors(parts, answer.vectors, index.dimensions)
            known = self._known.get(answer.answer_id)
            if vectors is None and known is not None and known[0] == _digest(parts):
                vectors = known[1]
            index.add(answer.answer_id, parts[0], parts[1:], vectors)
        index.build()
        self._fresh = [
            (approved[n], pack_vectors(_parts_of(approved[n]), vectors))
            for n, vectors in index.computed.items()
        ]
        self._known = {
            doc.answer_id: (_digest(doc.parts), index.part_vectors(n))
            for n, doc in enumerate(index.docs)
            if doc.vectors is not None or n in index.computed
        }
        self._index = index
        self._generation = generation

    def fresh_vectors(self) -> list[tuple[KnowledgeAnswer, str]]:
        """The answers whose vectors the last load embedded, with them packed (to store with the answer)."""
        return list(self._fresh)

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
