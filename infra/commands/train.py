"""`heard train`: fit the learned triage model from labelled data and write its weights file.

    heard train --sentiment ../shared/data/tweeteval-sentiment/val \\
                --sentiment bench/data/care_posts.jsonl --complaint bench/data/care_posts.jsonl \\
                --half development --out shared/triage/data/model.json.gz

Labelled data (each option may be repeated):
- `--sentiment FILE.jsonl`: lines `{"text": ..., "sentiment": "negative"|"neutral"|"positive"}`;
  or a TweetEval prefix `DIR/split` (reads `DIR/split_text.txt` and `DIR/split_labels.txt`).
- `--complaint FILE.jsonl`: lines `{"text": ..., "complaint": true|false}`; or a CSV without a header
  whose columns are `id, text, label(1 = complaint), ...` (the complaints research set's layout).
`--half` keeps only one half of every JSONL file, split by a stable hash of the text exactly as bench/
splits the care posts, so the other half stays unseen for measuring. The weights file records where
every example came from (file name, rows, SHA-256) and the `--licence` notes given.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
import zlib
from pathlib import Path

from shared.triage.model import DEFAULT_MODEL

SENTIMENTS = ("negative", "neutral", "positive")


class DataError(ValueError):
    """Labelled data that cannot be read."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train the learned triage model from labelled data (numpy needed at training time)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sentiment", action="append", default=[], help="sentiment-labelled data")
    parser.add_argument("--complaint", action="append", default=[], help="complaint-labelled data")
    parser.add_argument("--half", choices=("development", "held_out"), default=None)
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL, help="weights file to write")
    parser.add_argument("--licence", action="append", default=[], help="licence note to record")
    parser.add_argument("--l2", type=float, default=1e-3)
    parser.add_argument("--epochs", type=int, default=200)
    parser.set_defaults(run=run)


def _in_half(text: str, half: str | None) -> bool:
    if half is None:
        return True
    development = zlib.crc32(text.encode("utf-8")) % 2 == 0
    return development == (half == "development")


def _jsonl(path: Path, field: str, half: str | None) -> list[tuple[str, object]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise DataError(f"{path}:{number}: not JSON ({error.msg})") from error
            if not isinstance(row, dict) or not isinstance(row.get("text"), str) or field not in row:
                raise DataError(f"{path}:{number}: needs 'text' and '{field}'")
            if _in_half(row["text"], half):
                rows.append((row["text"], row[field]))
    return rows


def read_sentiment(source: str, half: str | None) -> list[tuple[str, str]]:
    path = Path(source)
    text_file = path.parent / f"{path.name}_text.txt"
    if text_file.is_file():
        texts = text_file.read_text(encoding="utf-8").splitlines()
        labels = (path.parent / f"{path.name}_labels.txt").read_text(encoding="utf-8").splitlines()
        if len(texts) != len(labels):
            raise DataError(f"{source}: {len(texts)} texts but {len(labels)} labels")
        return [(t, SENTIMENTS[int(label)]) for t, label in zip(texts, labels, strict=True)]
    rows = _jsonl(path, "sentiment", half)
    for text, label in rows:
        if label not in SENTIMENTS:
            raise DataError(f"{source}: sentiment {label!r} is not one of {SENTIMENTS} ({text[:40]!r})")
    return [(text, str(label)) for text, label in rows]


def read_complaint(source: str, half: str | None) -> list[tuple[str, str]]:
    path = Path(source)
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return [
                (row[1], "complaint" if row[2].strip() == "1" else "not-complaint")
                for row in csv.reader(handle)
                if len(row) >= 3
            ]
    rows = _jsonl(path, "complaint", half)
    for text, label in rows:
        if not isinstance(label, bool):
            raise DataError(f"{source}: 'complaint' must be true or false ({text[:40]!r})")
    return [(text, "complaint" if label else "not-complaint") for text, label in rows]


def _source(path: str, rows: int) -> dict[str, object]:
    candidates = [Path(path), Path(f"{path}_text.txt")]
    file = next((c for c in candidates if c.is_file()), None)
    digest = hashlib.sha256(file.read_bytes()).hexdigest() if file else None
    return {"name": Path(path).name, "rows": rows, "sha256": digest}


def train(args: argparse.Namespace) -> dict[str, object]:
    from shared.triage.features import features
    from shared.triage.training import Example, fit_head, write_model

    heads: dict[str, dict[str, object]] = {}
    sources: dict[str, list[dict[str, object]]] = {"sentiment": [], "complaint": []}
    labelled: dict[str, list[tuple[str, str]]] = {"sentiment": [], "complaint": []}
    for head, reader, paths in (
        ("sentiment", read_sentiment, args.sentiment),
        ("complaint", read_complaint, args.complaint),
    ):
        for path in paths:
            rows = reader(path, args.half)
            labelled[head] += rows
            sources[head].append(_source(path, len(rows)))
        if not labelled[head]:
            raise DataError(f"no {head}-labelled data: pass --{head} FILE")
    cache: dict[str, list[str]] = {}
    for head, rows in labelled.items():
        examples = []
        for text, label in rows:
            if text not in cache:
                cache[text] = features(text)
            examples.append(Example(cache[text], label))
        heads[head] = fit_head(examples, l2=args.l2, epochs=args.epochs)
    provenance = {
        "trained_with": "heard train",
        "trained_on": time.strftime("%Y-%m-%d"),
        "sources": sources,
        "half": args.half,
        "licences": args.licence,
        "l2": args.l2,
        "epochs": args.epochs,
    }
    size = write_model(args.out, heads, provenance)
    return {"out": str(args.out), "bytes": size, "features": {h: len(v["weights"]) for h, v in heads.items()}}  # type: ignore[arg-type]


def run(args: argparse.Namespace) -> int:
    try:
        result = train(args)
    except (DataError, OSError, ValueError) as error:
        print(f"heard train: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0
