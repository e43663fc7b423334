"""meta: inbound adapter (inbound.py) with one parser per product (facebook.py, messenger.py, instagram.py,
whatsapp.py), outbound connector (outbound.py), local fake (fake.py), spec (spec.py)."""
