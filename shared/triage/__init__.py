"""Heard's built-in, offline triage classifier (R5).

    from shared.triage import classify, redact
    triage = classify("@acme thanks for the 3 hour delay", config=config, waiting_minutes=12)
    masked, kinds = redact("my card is 4111 1111 1111 1111")

Pure Python, no model files, no network: it fits any Lambda zip and imports in milliseconds (the
lexicon is parsed on first use). How it works and how well: docs/triage.md.
"""

from shared.triage.classifier import classify
from shared.triage.pii import redact

__all__ = ["classify", "redact"]
