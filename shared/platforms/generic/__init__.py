"""generic: inbound adapter (inbound.py) and spec (spec.py); Heard does not reply here."""
