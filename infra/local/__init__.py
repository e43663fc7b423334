"""Heard on one machine: moto's server in-process, every resource created from `infra/wiring.py`, and the
same Lambda handlers that are deployed, driven by an HTTP front door, SQS pollers and a schedule ticker.

`python -m infra.local` (or `make run`) starts it; `infra.local.runner.LocalStack` is the reusable form
the end-to-end tests use. Nothing here is imported by the deployed functions.
"""
