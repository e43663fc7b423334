"""`heard`: operator commands. Each subcommand lives in `infra/commands/<name>.py` and exposes
`register(subparsers)`; this module only dispatches."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from infra import commands


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="heard", description="Heard operator commands")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        module.register(subparsers)
    args = parser.parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
