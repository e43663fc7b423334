"""linkedin: inbound adapter (inbound.py), comment replies (outbound.py), its local fake (fake.py), the
URNs a reply needs (urns.py) and spec (spec.py)."""
