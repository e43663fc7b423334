"""x: inbound adapter (inbound.py), outbound connector (outbound.py), local fake (fake.py), spec (spec.py)."""
