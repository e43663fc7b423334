"""Heard's domain: models, rules (pure functions), use cases and adapters.

Nothing in here imports from `functions/` or `infra/`. Adapters take injected AWS clients and create
default ones lazily, so importing this package never talks to AWS.
"""
