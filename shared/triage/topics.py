"""Topics by example: a company lists a handful of example messages per topic; a post gets the topic
whose examples it resembles most, with a confidence, or "unknown" when nothing is close enough.

Each example becomes a TF-IDF vector over words, word pairs and character 4-grams (IDF computed over
the company's own examples); each topic is the normalised centroid of its examples, kept as an inverted
index from feature to topics so scoring a post touches only the post's own features. Built once per
configuration (cached), pure Python at run time. Measured on Banking77 in docs/triage.md.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shared.triage.features import text_features

if TYPE_CHECKING:
    from shared.models.config import HeardConfig

UNKNOWN = "unknown"
# Below this cosine similarity to the nearest topic the answer would be a guess: "unknown" instead.
MIN_SIMILARITY = 0.15


@dataclass(frozen=True, slots=True)
class TopicMatch:
    topic: str
    operation: str
    confidence: float
    similarity: float


def topic_features(text: str, seen: list[str] | None = None) -> list[str]:
    """Words, word pairs and character 4-grams: enough to tell topics apart, few enough to be quick.
    `seen`: the post's `text_features` when the caller has them already (the learned backend does)."""
    return [f for f in (text_features(text) if seen is None else seen) if f[0] != "c" or len(f) == 6]


def _normalise(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {f: v / norm for f, v in vector.items()} if norm else {}


class TopicIndex:
    """Example messages per topic -> a nearest-centroid classifier with an "unknown" threshold."""

    def __init__(
        self, topics: Sequence[tuple[str, str, Sequence[str]]], min_similarity: float = MIN_SIMILARITY
    ):
        self.min_similarity = min_similarity
        self.operations = {topic: operation for topic, operation, _ in topics}
        featured = [(topic, topic_features(text)) for topic, _, examples in topics for text in examples]
        documents = Counter(f for _, feats in featured for f in set(feats))
        total = len(featured)
        self.idf = {f: math.log((1 + total) / (1 + count)) + 1.0 for f, count in documents.items()}
        sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for topic, feats in featured:
            for f, v in _normalise({f: self.idf[f] for f in feats}).items():
                sums[topic][f] += v
        self.postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for topic, vector in sums.items():
            for f, v in _normalise(dict(vector)).items():
                self.postings[f].append((topic, v))
        self.examples = total

    def match(self, text: str, seen: list[str] | None = None) -> TopicMatch:
        idf = self.idf
        vector = _normalise({f: idf[f] for f in topic_features(text, seen) if f in idf})
        similarity: dict[str, float] = defaultdict(float)
        for f, v in vector.items():
            for topic, weight in self.postings[f]:
                similarity[topic] += v * weight
        if not similarity:
            return TopicMatch(UNKNOWN, UNKNOWN, 1.0 if not vector else 0.9, 0.0)
        ranked = sorted(similarity.items(), key=lambda item: item[1], reverse=True)
        topic, best = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if best < self.min_similarity:
            # Confident that it is none of them in proportion to how far below the threshold it is.
            return TopicMatch(
                UNKNOWN, UNKNOWN, round(1.0 - 0.5 * best / self.min_similarity, 3), round(best, 4)
            )
        # Confident when the post is close to its topic and clearly closer than to the runner-up.
        separation = (best - runner_up) / best
        closeness = min(1.0, best / (3 * self.min_similarity))
        confidence = 0.5 * closeness + 0.5 * min(1.0, 2 * separation)
        return TopicMatch(topic, self.operations[topic], round(confidence, 3), round(best, 4))


_CACHE: dict[int, tuple[HeardConfig, TopicIndex]] = {}


def index_for(config: HeardConfig | None) -> TopicIndex | None:
    """The topic index of a configuration whose topics have examples (built once per configuration)."""
    if config is None or not any(t.examples for t in config.topics):
        return None
    cached = _CACHE.get(id(config))
    if cached is not None and cached[0] is config:
        return cached[1]
    index = TopicIndex([(t.id, t.operation, t.examples) for t in config.topics if t.examples])
    _CACHE.clear()  # one configuration is in use at a time
    _CACHE[id(config)] = (config, index)
    return index
