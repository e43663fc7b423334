"""Subcommands of the `heard` CLI (see infra/cli.py)."""
