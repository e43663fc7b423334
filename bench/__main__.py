"""Run every benchmark in `bench/bench_*.py` (or the ones named) and print their results as JSON.

Each module exposes `run(args) -> dict`. `--data` points at a folder of labelled data (for example the
team handbook's `data/`); benchmarks that need data they cannot find say so and are skipped.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
from pathlib import Path

# Benchmarks print their results as JSON on stdout: keep the handlers' INFO logs out of it.
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")

import bench  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--data", type=Path, default=None, help="folder with labelled data sets")
    parser.add_argument("--out", type=Path, default=None, help="also write results to this JSON file")
    parser.add_argument(
        "--cases",
        "--report-cases",
        dest="report_cases",
        type=int,
        default=None,
        help="cases in the report benchmark (bench_reports; default: 100,000 with both paths, then 1,000,000)",
    )
    args = parser.parse_args(argv)
    modules = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    selected = [m for m in modules if not args.names or m.removeprefix("bench_") in args.names]
    results = {}
    for name in selected:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}", file=sys.stderr)
        results[name.removeprefix("bench_")] = module.run(args)
        print(json.dumps(results[name.removeprefix("bench_")], indent=2), file=sys.stderr)
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
