"""Training the linear model (`heard train`): numpy at training time only, plain data out.

Each head is a multinomial logistic regression with L2, classes weighted to balance (macro-F1 is the
goal), fitted by full-batch Adam over sparse binary features. Features seen fewer than `min_count`
times are dropped; after training, features whose largest weight is tiny are pruned and the rest are
stored as integers with one scale per head, which keeps the file compact and the run-time look-ups few.
"""

from __future__ import annotations

import gzip
import importlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.triage.model import FORMAT

QUANT = 127


@dataclass(frozen=True)
class Example:
    features: list[str]
    label: str


def fit_head(
    examples: Sequence[Example],
    *,
    l2: float = 1e-4,
    epochs: int = 250,
    min_count: int = 2,
    prune: float = 0.02,
    learning_rate: float = 0.05,
) -> dict[str, Any]:
    """One head as plain data: {"classes", "bias", "scale", "weights": {feature: [int per class]}}."""
    # Imported by name: numpy is needed only here, and its stubs need a newer Python than mypy checks for.
    np: Any = importlib.import_module("numpy")

    classes = sorted({e.label for e in examples})
    if len(classes) < 2:
        raise ValueError(f"a head needs at least two classes, got {classes}")
    counts = Counter(f for e in examples for f in set(e.features))
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
    rows, cols, vals = [], [], []
    for row, example in enumerate(examples):
        scale = 1.0 / np.sqrt(len(example.features)) if example.features else 0.0
        for feature in set(example.features):
            index = vocabulary.get(feature)
            if index is not None:
                rows.append(row)
                cols.append(index)
                vals.append(scale)
    n, d, k = len(examples), len(vocabulary), len(classes)
    row_ix = np.asarray(rows, dtype=np.int64)
    col_ix = np.asarray(cols, dtype=np.int64)
    value = np.asarray(vals, dtype=np.float64)
    y = np.asarray([classes.index(e.label) for e in examples])
    class_counts = np.bincount(y, minlength=k)
    sample_weight = (n / (k * class_counts))[y]  # balanced classes
    onehot = np.eye(k)[y]
    weights = np.zeros((d, k))
    bias = np.zeros(k)
    moments = [np.zeros_like(weights), np.zeros_like(weights), np.zeros_like(bias), np.zeros_like(bias)]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, epochs + 1):
        logits = np.zeros((n, k))
        np.add.at(logits, row_ix, weights[col_ix] * value[:, None])
        logits += bias
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        error = (probs - onehot) * sample_weight[:, None] / n
        grad_w = np.zeros_like(weights)
        np.add.at(grad_w, col_ix, error[row_ix] * value[:, None])
        grad_w += l2 * weights
        grad_b = error.sum(axis=0)
        for param, grad, m, v in (
            (weights, grad_w, moments[0], moments[1]),
            (bias, grad_b, moments[2], moments[3]),
        ):
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            param -= learning_rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + eps)
    largest = np.abs(weights).max(axis=1)
    scale = float(largest.max() / QUANT) if d and largest.max() > 0 else 1.0
    keep = np.nonzero(largest >= max(prune, scale))[0]
    names = sorted(vocabulary, key=vocabulary.__getitem__)
    quantised = np.rint(weights[keep] / scale).astype(int)
    return {
        "classes": classes,
        "bias": [round(float(b), 5) for b in bias],
        "scale": scale,
        "weights": {names[i]: [int(q) for q in row] for i, row in zip(keep, quantised, strict=True)},
        "trained_on": {"examples": n, "per_class": {c: int(class_counts[i]) for i, c in enumerate(classes)}},
    }


def write_model(path: Path, heads: dict[str, dict[str, Any]], provenance: dict[str, Any]) -> int:
    """Write the model file (gzip of compact JSON, stable bytes for the same model); returns its size."""
    document = {"format": FORMAT, "provenance": provenance, "heads": heads}
    raw = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    data = gzip.compress(raw, compresslevel=9, mtime=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)
