"""Heard's built-in, offline triage classifier (R5).

    from shared.triage import classify, redact
    triage = classify("@acme thanks for the 3 hour delay", config=config, waiting_minutes=12)
    masked, kinds = redact("my card is 4111 1111 1111 1111")

Two backends behind one interface: the built-in rules (pure Python, no model files) and the learned
model (`triage_backend: "model"`: a linear model over words, character n-grams and the rules' signals,
plus topics by example and library language detection). How they work and how well: docs/triage.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shared.triage.classifier import classify as classify_builtin
from shared.triage.pii import redact

if TYPE_CHECKING:
    from shared.models.config import HeardConfig
    from shared.models.triage import Triage

__all__ = ["classify", "classify_builtin", "redact"]


def classify(text: str, *, config: HeardConfig | None = None, **kwargs: Any) -> Triage:
    """Triage one interaction with the backend the configuration names: the learned model when
    `triage_backend` is "model" (shared/triage/learned.py), the built-in rules otherwise."""
    if config is not None and config.triage_backend == "model":
        from shared.triage.learned import classify_learned  # loads the model on first use

        return classify_learned(text, config=config, **kwargs)
    return classify_builtin(text, config=config, **kwargs)
