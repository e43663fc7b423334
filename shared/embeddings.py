"""Sentence vectors from static token embeddings: what a question means, beyond the words it shares.

The model is WordLlama's `l2_supercat` at 256 dimensions (MIT licence): one vector per token of Llama 2's
32,000-token vocabulary, distilled from a large language model's token embeddings and trained so that the
mean of a sentence's token vectors is a sentence embedding. Its 16 MB of weights and its tokenizer ship
inside the `wordllama` wheel on PyPI (a pure-Python wheel, so the same file runs on arm64); nothing is
downloaded at run time. Only the two data files are read (with `safetensors` and Hugging Face
`tokenizers`); wordllama's own code is never imported. Inference is a table lookup and a mean: about as
cheap as tokenising, with no model runtime.

Loaded once per container, on first use (about 0.3 s), then shared by every index in the process.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

MODEL = "wordllama l2_supercat 256"
DIMENSIONS = 256
_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
_MAX_TOKENS = 256  # a longer text is embedded from its first tokens


class EmbeddingsUnavailable(RuntimeError):
    """The model's files are not installed (the `wordllama` wheel is missing)."""


def _package_dir() -> Path:
    spec = importlib.util.find_spec("wordllama")  # located, never imported
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingsUnavailable("the wordllama package (the embedding model's files) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


class Embedder:
    """Unit-length sentence vectors (float32, DIMENSIONS wide) for texts; cosine = dot product."""

    def __init__(self, table: np.ndarray, tokenizer: Any) -> None:
        self._table = table  # float16: the vocabulary's vectors, 16 MB
        self._tokenizer = tokenizer

    @classmethod
    def load(cls) -> Embedder:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        root = _package_dir()
        weights = load_file(str(root / _WEIGHTS))
        table = next(iter(weights.values())).astype(np.float16)
        tokenizer = Tokenizer.from_file(str(root / _TOKENIZER))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        return cls(table, tokenizer)

    @property
    def dimensions(self) -> int:
        return int(self._table.shape[1])

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self._table.shape[1]), dtype=np.float32)
        if not texts:
            return vectors
        last = self._table.shape[0] - 1
        for row, encoded in enumerate(self._tokenizer.encode_batch(texts, add_special_tokens=False)):
            ids = np.clip(np.asarray(encoded.ids[:_MAX_TOKENS], dtype=np.int64), 0, last)
            if len(ids):
                vectors[row] = self._table[ids].astype(np.float32).mean(axis=0)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)


@lru_cache(maxsize=1)
def embedder() -> Embedder:
    """The process's one embedder (loaded on first use)."""
    return Embedder.load()
