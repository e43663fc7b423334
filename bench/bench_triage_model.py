"""The learned triage model next to the rule-based classifier and a plain lexicon, in one run (issue 15).

    python -m bench triage_model --data ../shared/data

Every figure says what the model was trained on and what it is scored on:
- sentiment: TweetEval test (12,284; the shipped model saw TweetEval *val* only, never test) and the
  held-out half of the team's care posts (the model saw the other half);
- complaint: the complaints set (Preotiuc-Pietro et al. 2019; research use only, never trained on by
  the shipped model), on the 1,974 rows addressed to brands' care handles and on all rows;
- topics by example: Banking77 (CC BY 4.0) with N = 5, 10 and all examples per intent from train.csv,
  scored on test.csv;
- language: share of TweetEval test (English) posts detected as "und" or as another language;
- speed: messages/s per core through `heard triage` in batch (CPU time of the child process, start-up
  and model load included), p50 latency of one warm call, and import and first-call (model load) time
  in a fresh interpreter.
Macro-F1, per-class precision/recall/F1 and confusion matrices for each system.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.bench_triage import (
    REPO,
    SENTIMENT_LABELS,
    LexiconBaseline,
    load_care_posts,
    load_tweeteval,
    scores,
)

COMPLAINT_LABELS = ("complaint", "not-complaint")
SYSTEMS = ("lexicon", "builtin", "model_2026_12_02", "model")


def confusion(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Rows: gold label; columns: predicted label."""
    matrix = {g: dict.fromkeys(labels, 0) for g in labels}
    for g, p in zip(gold, predicted, strict=True):
        if g in matrix and p in matrix[g]:
            matrix[g][p] += 1
    return matrix


def _score(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    result = scores(gold, predicted, labels)
    result["confusion"] = confusion(gold, predicted, labels)
    return result


def _systems(config: Any) -> dict[str, Callable[[str], tuple[str, str]]]:
    """Each system as text -> (sentiment, complaint-or-not)."""
    from shared.triage import classify_builtin, learned
    from shared.triage.learned import classify_learned

    lexicon = LexiconBaseline()

    def lexicon_system(text: str) -> tuple[str, str]:
        sentiment = lexicon.sentiment(text)
        return sentiment, "complaint" if sentiment == "negative" else "not-complaint"

    def wrap(classify: Callable[..., Any]) -> Callable[[str], tuple[str, str]]:
        def system(text: str) -> tuple[str, str]:
            triage = classify(text, config=config)
            return str(triage.sentiment), "complaint" if triage.category == "complaint" else "not-complaint"

        return system

    def before(text: str) -> tuple[str, str]:
        # The learned backend as decided on 2026-12-02: the complaint head alone, no sentiment tempering.
        saved = learned.SENTIMENT_PULL, learned.POSITIVE_NEEDS_STRONG_COMPLAINT
        learned.SENTIMENT_PULL, learned.POSITIVE_NEEDS_STRONG_COMPLAINT = 0.0, False
        try:
            return wrap(classify_learned)(text)
        finally:
            learned.SENTIMENT_PULL, learned.POSITIVE_NEEDS_STRONG_COMPLAINT = saved

    return {
        "lexicon": lexicon_system,
        "builtin": wrap(classify_builtin),
        "model_2026_12_02": before,
        "model": wrap(classify_learned),
    }


def load_complaints_rows(data: Path) -> dict[str, list[tuple[str, str]]]:
    care_handles, everything = [], []
    with (data / "complaints" / "complaints-data.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) < 4:
                continue
            item = (row[1], "complaint" if row[2].strip() == "1" else "not-complaint")
            everything.append(item)
            if not row[3].startswith("random"):
                care_handles.append(item)
    return {"care_handles": care_handles, "all": everything}


def quality(data: Path, config: Any) -> dict[str, Any]:
    systems = _systems(config)
    result: dict[str, Any] = {}
    tweeteval = load_tweeteval(data, "test")
    care = load_care_posts()["held_out"]
    complaints = load_complaints_rows(data)
    for name, system in systems.items():
        out: dict[str, Any] = {}
        predicted = [system(text) for text, _ in tweeteval]
        out["tweeteval_test_sentiment"] = _score(
            [g for _, g in tweeteval], [p[0] for p in predicted], SENTIMENT_LABELS
        )
        for part, rows in complaints.items():
            predicted = [system(text) for text, _ in rows]
            out[f"complaints_{part}"] = _score(
                [g for _, g in rows], [p[1] for p in predicted], COMPLAINT_LABELS
            )
        predicted = [system(row["text"]) for row in care]
        out["care_held_out_sentiment"] = _score(
            [r["sentiment"] for r in care], [p[0] for p in predicted], SENTIMENT_LABELS
        )
        out["care_held_out_complaint"] = _score(
            ["complaint" if r["complaint"] else "not-complaint" for r in care],
            [p[1] for p in predicted],
            COMPLAINT_LABELS,
        )
        result[name] = out
    return result


def topics(data: Path, sizes: Sequence[int | None] = (5, 10, None)) -> dict[str, Any]:
    from shared.triage.topics import MIN_SIMILARITY, UNKNOWN, TopicIndex

    def read(name: str) -> list[tuple[str, str]]:
        with (data / "banking77" / name).open(encoding="utf-8", newline="") as handle:
            return [(row["text"], row["category"]) for row in csv.DictReader(handle)]

    train, test = read("train.csv"), read("test.csv")
    by_intent: dict[str, list[str]] = defaultdict(list)
    for text, intent in train:
        by_intent[intent].append(text)
    labels = sorted(by_intent)
    result: dict[str, Any] = {}
    for size in sizes:
        chosen = [
            (intent, intent, texts[:size] if size else texts) for intent, texts in sorted(by_intent.items())
        ]
        started = time.process_time()
        index = TopicIndex(chosen, min_similarity=MIN_SIMILARITY)
        built = time.process_time() - started
        started = time.process_time()
        matches = [index.match(text) for text, _ in test]
        per_second = len(test) / max(time.process_time() - started, 1e-9)
        gold = [g for _, g in test]
        forced = scores(gold, [m.topic if m.topic != UNKNOWN else "" for m in matches], labels)
        # Without the "unknown" threshold: the nearest topic always.
        nearest = TopicIndex(chosen, min_similarity=1e-9)
        always = [nearest.match(text).topic for text, _ in test]
        result[f"n={size or 'all'}"] = {
            "examples": sum(len(t) for _, _, t in chosen),
            "accuracy_nearest_topic": scores(gold, always, labels)["accuracy"],
            "accuracy_with_unknown_threshold": forced["accuracy"],
            "macro_f1_with_unknown_threshold": forced["macro_f1"],
            "unknown_share": round(sum(1 for m in matches if m.topic == UNKNOWN) / len(matches), 4),
            "build_seconds": round(built, 2),
            "messages_per_second_77_topics": round(per_second),
        }
    return result


def language(data: Path) -> dict[str, Any]:
    from shared.triage import engine
    from shared.triage.language import UNDETERMINED, detect_language, identify

    texts = [text for text, _ in load_tweeteval(data, "test")]
    result = {}
    for name, detect in (
        ("builtin_function_words", lambda s: detect_language(engine.tokenize(s), s)[0]),
        ("model_py3langid", lambda s: identify(s, engine.tokenize(s))[0]),
    ):
        codes = [detect(engine.strip_for_language(text)) for text in texts]
        result[name] = {
            "und_share": round(sum(1 for c in codes if c == UNDETERMINED) / len(codes), 4),
            "other_language_share": round(
                sum(1 for c in codes if c not in (UNDETERMINED, "en")) / len(codes), 4
            ),
        }
    return result


def batch_speed(texts: list[str], backend: str) -> dict[str, Any]:
    """Messages/s per core through `heard triage --backend ...` (child CPU time, start-up included)."""
    payload = "".join(json.dumps({"text": text}) + "\n" for text in texts)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from infra.cli import main; sys.exit(main())",
            "triage",
            "--backend",
            backend,
        ],
        input=payload,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = run.stdout.count("\n")
    return {
        "messages": lines,
        "messages_per_second_per_core": round(lines / cpu),
        "wall_seconds": round(wall, 2),
        "exit_code": run.returncode,
    }


def latency(texts: list[str], classify: Callable[..., Any], config: Any) -> dict[str, Any]:
    classify(texts[0], config=config)  # warm: the model and tables are loaded
    timings = []
    for text in texts:
        started = time.perf_counter()
        classify(text, config=config)
        timings.append(time.perf_counter() - started)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings) * 1000, 3),
        "p99_ms": round(timings[int(len(timings) * 0.99)] * 1000, 3),
    }


def cold_start(backend: str, rounds: int = 3) -> dict[str, Any]:
    function = "classify_learned" if backend == "model" else "classify_builtin"
    module = "shared.triage.learned" if backend == "model" else "shared.triage"
    probe = (
        "import time, json\n"
        "t0 = time.perf_counter()\n"
        f"from {module} import {function} as f\n"
        "t1 = time.perf_counter()\n"
        "f('@acme my parcel still has not arrived')\n"
        "t2 = time.perf_counter()\n"
        "print(json.dumps([t1 - t0, t2 - t1]))\n"
    )
    imports, loads = [], []
    for _ in range(rounds):
        out = subprocess.run(
            [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout
        a, b = json.loads(out)
        imports.append(a)
        loads.append(b)
    return {
        "import_ms": round(min(imports) * 1000, 1),
        "first_call_ms_model_load": round(min(loads) * 1000, 1),
    }


def model_facts() -> dict[str, Any]:
    from shared.triage.model import DEFAULT_MODEL, cached

    model = cached(DEFAULT_MODEL)
    return {
        "file_bytes": DEFAULT_MODEL.stat().st_size,
        "features": {name: len(head.weights) for name, head in model.heads.items()},
        "provenance": model.provenance,
    }


def _f1(result: dict[str, Any], system: str, key: str) -> str:
    return f"{result['quality'][system][key]['macro_f1']:.3f}"


def table(result: dict[str, Any]) -> str:
    rows = [
        (
            "Sentiment macro-F1, TweetEval test (model: trained on TweetEval val, not test)",
            "tweeteval_test_sentiment",
        ),
        ("Complaint macro-F1, complaints care-handle rows (never trained on)", "complaints_care_handles"),
        ("Complaint macro-F1, complaints all rows (never trained on)", "complaints_all"),
        (
            "Sentiment macro-F1, care posts held-out half (model: trained on the other half)",
            "care_held_out_sentiment",
        ),
        (
            "Complaint macro-F1, care posts held-out half (model: trained on the other half)",
            "care_held_out_complaint",
        ),
    ]
    lines = [
        "| measure | lexicon (VADER) | builtin rules | learned model, 2026-12-02 | learned model |",
        "|---|---|---|---|---|",
    ]
    for title, key in rows:
        lines.append(f"| {title} | " + " | ".join(_f1(result, s, key) for s in SYSTEMS) + " |")
    for size, values in result.get("topics", {}).items():
        lines.append(
            f"| Banking77 accuracy, {size} examples/intent (nearest topic; with 'unknown' threshold) | – | – | – | "
            f"{values['accuracy_nearest_topic']:.3f} ({values['accuracy_with_unknown_threshold']:.3f}) |"
        )
    lang = result["language"]
    lines.append(
        f"| Language 'und' / other-language on TweetEval test (English) | – | "
        f"{lang['builtin_function_words']['und_share']:.2%} / {lang['builtin_function_words']['other_language_share']:.2%} | – | "
        f"{lang['model_py3langid']['und_share']:.2%} / {lang['model_py3langid']['other_language_share']:.2%} |"
    )
    speed = result["speed"]
    lines.append(
        "| `heard triage` batch, messages/s per core (incl. start-up) | – | "
        f"{speed['builtin']['batch']['messages_per_second_per_core']} | – | {speed['model']['batch']['messages_per_second_per_core']} |"
    )
    lines.append(
        f"| p50 / p99 warm single-message latency, ms | – | {speed['builtin']['latency']['p50_ms']} / "
        f"{speed['builtin']['latency']['p99_ms']} | – | {speed['model']['latency']['p50_ms']} / {speed['model']['latency']['p99_ms']} |"
    )
    lines.append(
        f"| import / first call (model load), ms | – | {speed['builtin']['cold']['import_ms']} / "
        f"{speed['builtin']['cold']['first_call_ms_model_load']} | – | {speed['model']['cold']['import_ms']} / "
        f"{speed['model']['cold']['first_call_ms_model_load']} |"
    )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> dict[str, object]:
    from shared.models.config import HeardConfig
    from shared.triage import classify_builtin
    from shared.triage.learned import classify_learned

    data: Path = getattr(args, "data", None) or REPO.parent / "shared" / "data"
    if not (data / "tweeteval-sentiment").is_dir():
        return {"skipped": f"no labelled data at {data}: pass --data /path/to/shared/data"}
    config = HeardConfig.model_validate_json((REPO / "config" / "heard.json").read_text(encoding="utf-8"))
    result: dict[str, Any] = {"model": model_facts()}
    result["quality"] = quality(data, config)
    result["topics"] = topics(data)
    result["language"] = language(data)
    texts = [text for text, _ in load_tweeteval(data, "val")] + [
        text for text, _ in load_complaints_rows(data)["all"]
    ]
    result["speed"] = {
        backend: {
            "batch": batch_speed(texts, backend),
            "latency": latency(texts[:1000], function, config),
            "cold": cold_start(backend),
        }
        for backend, function in (("builtin", classify_builtin), ("model", classify_learned))
    }
    result["table"] = table(result)
    print(result["table"], file=sys.stderr)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.bench_triage_model")
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    outcome = run(parser.parse_args())
    text = json.dumps(outcome, indent=2)
    print(text)
