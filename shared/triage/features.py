"""What the learned model sees of a post: words, word pairs, character n-grams, and the rules' signals.

Pure Python and deterministic (no hashing with a per-process seed), so the features a model was trained
on are the features it is served. The rule engine's conclusions (valence, complaint evidence, sarcasm, a
plain request, ...) are features too: the model learns how much to trust each rule, and the rules stay
the explainable part of every verdict.
"""

from __future__ import annotations

import re

from shared.triage import engine

_MENTION = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")
_DIGITS = re.compile(r"\d")
CHAR_SIZES = (3, 4, 5)


def _bucket(value: float, step: float, low: int, high: int) -> int:
    return max(low, min(high, int(round(value / step))))


def rule_features(signals: engine.Signals) -> list[str]:
    """The rule engine's signals as named features ("r:..."): what the rules concluded, binned."""
    found = [
        f"r:valence={_bucket(signals.valence, 0.25, -4, 4)}",
        f"r:complaint={_bucket(signals.complaint_score, 1.0, -2, 6)}",
        f"r:complaint_rule={'yes' if signals.complaint_score >= engine.COMPLAINT_THRESHOLD else 'no'}",
    ]
    for name in (
        "sarcastic",
        "question",
        "feedback",
        "troll",
        "misinformation",
        "brand_directed",
        "plain_request",
    ):
        if getattr(signals, name):
            found.append(f"r:{name}")
    if signals.spam_score >= 2.0:
        found.append("r:spam")
    return found


def text_features(text: str) -> list[str]:
    """Word unigrams ("w:"), bigrams ("b:") and within-word character 3-5-grams ("c:"), deduplicated."""
    if "@" in text:
        text = _MENTION.sub(" @user ", text)
    if "http" in text or "www." in text:
        text = _URL.sub(" http ", text)
    tokens = [_DIGITS.sub("0", token) for token in engine.tokenize(text)]
    found = {"w:" + token for token in tokens}
    found.update(f"b:{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))
    for token in set(tokens):
        if len(token) < 2 or not token[0].isalnum():
            continue
        padded = f"<{token}>"
        size = len(padded)
        for n in CHAR_SIZES:
            if n > size:
                break
            found.update("c:" + padded[i : i + n] for i in range(size - n + 1))
    return sorted(found)


def features(text: str, signals: engine.Signals | None = None) -> list[str]:
    """Everything the model sees of one post (the rule engine is run when `signals` is not given)."""
    if signals is None:
        signals = engine.analyse(text)
    return text_features(text) + rule_features(signals)
