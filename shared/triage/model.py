"""A linear model (multinomial logistic regression per head) stored as plain data, served without numpy.

The weights file (`data/model.json.gz`, written by `heard train`) holds, for each head ("sentiment",
"complaint"), its classes, a bias per class and a weight per class for each kept feature, as integers
with one scale. A post's features are binary and scaled by 1/sqrt(count), so a score is a sum of a few
hundred dictionary look-ups. The features that moved the decision most are its reasons.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DEFAULT_MODEL = Path(__file__).parent / "data" / "model.json.gz"
FORMAT = "heard-linear/1"


class ModelFileError(ValueError):
    """A weights file that is not a Heard linear model."""


@dataclass(frozen=True, slots=True)
class Prediction:
    label: str
    confidence: float  # the probability of `label`
    probabilities: dict[str, float]
    reasons: tuple[str, ...]  # the features that pushed hardest towards `label`


@dataclass(frozen=True, slots=True)
class Head:
    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    def predict(self, features: list[str], explain: int = 3) -> Prediction:
        get = self.weights.get
        hits = []
        named = []  # (feature, weights) of the features that can be reasons
        for feature in features:
            w = get(feature)
            if w is not None:
                hits.append(w)
                # Character n-grams decide a lot but explain little: the reasons name words, pairs, rules.
                if feature[0] != "c":
                    named.append((feature, w))
        scale = 1.0 / math.sqrt(len(features)) if features else 0.0
        if hits:
            totals = [
                b + scale * sum(column) for b, column in zip(self.bias, zip(*hits, strict=True), strict=True)
            ]
        else:
            totals = list(self.bias)
        top = max(totals)
        exps = [math.exp(total - top) for total in totals]
        norm = sum(exps)
        probabilities = {label: e / norm for label, e in zip(self.classes, exps, strict=True)}
        best = totals.index(top)
        # A feature's pull towards the winner: its weight there minus its mean weight elsewhere.
        others = len(self.classes) - 1
        pulls = [(w[best] - (sum(w) - w[best]) / others, feature) for feature, w in named]
        pulls.sort(reverse=True)
        reasons = tuple(feature for pull, feature in pulls[:explain] if pull > 0)
        return Prediction(self.classes[best], probabilities[self.classes[best]], probabilities, reasons)


@dataclass(frozen=True, slots=True)
class LinearModel:
    heads: dict[str, Head]
    provenance: dict[str, Any]

    def predict(self, head: str, features: list[str], explain: int = 3) -> Prediction:
        return self.heads[head].predict(features, explain)


def from_dict(data: dict[str, Any]) -> LinearModel:
    if data.get("format") != FORMAT:
        raise ModelFileError(f"not a {FORMAT} model (format {data.get('format')!r})")
    heads = {}
    for name, head in data["heads"].items():
        scale = float(head["scale"])
        classes = tuple(head["classes"])
        weights = {f: tuple(v * scale for v in values) for f, values in head["weights"].items()}
        if any(len(v) != len(classes) for v in weights.values()) or len(head["bias"]) != len(classes):
            raise ModelFileError(f"head {name!r}: every weight row needs one value per class")
        heads[name] = Head(classes, tuple(float(b) for b in head["bias"]), weights)
    return LinearModel(heads, dict(data.get("provenance", {})))


def load(path: Path) -> LinearModel:
    try:
        raw = gzip.decompress(path.read_bytes())
        data = json.loads(raw)
    except (OSError, EOFError, json.JSONDecodeError) as error:
        raise ModelFileError(f"cannot read model {path}: {error}") from error
    return from_dict(data)


@lru_cache(maxsize=4)
def cached(path: Path = DEFAULT_MODEL) -> LinearModel:
    """The model at `path`, loaded once per process (a Lambda container loads it on its first post)."""
    return load(path)
