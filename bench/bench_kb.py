"""Knowledge-base suggestions: ranking quality and speed (issue #11).

A knowledge base of one approved answer per intent of an intent data set (banking77's layout:
`train.csv` and `test.csv` with `text,category`): the answer's title and body are written from the
intent's name only, and it carries the first EXAMPLES questions of that intent in train.csv as its
examples (what an answer learns from use). Every test.csv question is then asked through the same
`Suggester` the API uses; the right answer must be first for >= 80% of them and in the top 3 for >= 93%.
The same is measured with the next EXAMPLES questions of each intent as examples (a second split), so
that a change that only fits one set of examples shows.

Speed: the same knowledge base padded with synthetic answers (seeded; made-up content words mixed with
the data's 150 most common words, so common terms have long postings as in a real knowledge base) to
10,000 answers; the time per suggestion is measured
over the test questions beside a tokenise-only loop in the same run (the ratio is what to compare across
machines), and the quality is reported again at that scale.

Past replies: the second index each suggestion searches (the questions of the last PAST_CASES resolved
cases, here training questions spread over every intent): its search time, and how often the nearest past case asked
about the same intent.

The data is never copied into the repository: pass the folder (`--kb-data path/to/banking77`, or
`--data` pointing at the folder that holds `banking77/`).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from shared.models.knowledge import KnowledgeAnswer, PastReply
from shared.retrieval import PastSuggester, Suggester, words

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = 10
COMMON_WORDS = 150  # the synthetic answers share the data's most common words, not its content words
SCALE = 10_000
PAST_CASES = 2000  # as many resolved cases as the API's past-reply index holds (PAST_LIMIT)
TARGET_TOP1, TARGET_TOP3, TARGET_MS = 0.80, 0.93, 50.0


def _rows(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(r["text"], r["category"]) for r in csv.DictReader(handle)]


def _answer(intent: str, examples: list[str]) -> KnowledgeAnswer:
    title = intent.replace("_", " ").strip().capitalize()
    return KnowledgeAnswer.seed(
        answer_id=f"kb-{intent.replace('_', '-')}",
        title=title,
        body=f"Hi {{first_name}}, about {title.lower()}: here is what to do.",
        examples=examples,
    )


def knowledge_base(train: list[tuple[str, str]], skip: int = 0) -> list[KnowledgeAnswer]:
    """One answer per intent with EXAMPLES examples: the first ones in train.csv, or (skip=EXAMPLES) the
    next ones, a second split that shows whether a change fits one set of examples only."""
    by_intent: dict[str, list[str]] = defaultdict(list)
    for text, intent in train:
        by_intent[intent].append(text)
    return [_answer(i, examples[skip : skip + EXAMPLES]) for i, examples in sorted(by_intent.items())]


def _pseudo_words(rng: random.Random, count: int) -> list[str]:
    syllables = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"]
    return ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(count)]


def synthetic(count: int, common: list[str], seed: int = 11) -> list[KnowledgeAnswer]:
    """`count` answers about other things: made-up content words mixed with the data's most common words
    (so the common terms' postings are as long as in a real knowledge base of that size)."""
    rng = random.Random(seed)
    content = _pseudo_words(rng, 20_000)

    def text(n: int) -> str:
        return " ".join(rng.choice(common) if rng.random() < 0.35 else rng.choice(content) for _ in range(n))

    return [
        KnowledgeAnswer.seed(
            f"syn-{n}",
            title=text(rng.randint(2, 5)),
            body=text(rng.randint(12, 30)),
            examples=[text(rng.randint(5, 14)) for _ in range(EXAMPLES)],
        )
        for n in range(count)
    ]


def with_vectors(answers: list[KnowledgeAnswer], cache: Path) -> tuple[list[KnowledgeAnswer], dict[str, Any]]:
    """The answers with their part vectors stored on them, as the API's index reads them (embedded once,
    when an answer is first indexed). Embedding 110,000 parts takes minutes, so they are kept in `cache`
    (a JSON lines file under .build/, keyed by answer id; checked against the texts on load) across runs."""
    known: dict[str, str] = {}
    if cache.exists():
        for line in cache.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            known[row["id"]] = row["vectors"]
    stored = [a.model_copy(update={"vectors": known.get(a.answer_id)}) for a in answers]
    suggester = Suggester()
    started = time.perf_counter()
    suggester.load(stored, generation=None)
    fresh = suggester.fresh_vectors()
    seconds = time.perf_counter() - started
    if fresh:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("a", encoding="utf-8") as handle:
            for answer, vectors in fresh:
                handle.write(json.dumps({"id": answer.answer_id, "vectors": vectors}) + "\n")
                known[answer.answer_id] = vectors
    parts = sum(1 + len(a.examples) for a, _ in fresh)
    embedding = {
        "answers_embedded_now": len(fresh),
        "parts_embedded_now": parts,
        "embed_seconds": round(seconds, 1),
        "parts_per_second": round(parts / seconds, 1) if fresh and seconds else None,
    }
    return [a.model_copy(update={"vectors": known.get(a.answer_id)}) for a in answers], embedding


def quality(suggester: Suggester, test: list[tuple[str, str]]) -> dict[str, Any]:
    top1 = top3 = 0
    timings = []
    for text, intent in test:
        started = time.perf_counter()
        hits = suggester.rank(text, k=3)
        timings.append((time.perf_counter() - started) * 1000)
        ids = [h.answer_id for h in hits]
        wanted = f"kb-{intent.replace('_', '-')}"
        top1 += bool(ids) and ids[0] == wanted
        top3 += wanted in ids
    timings.sort()
    return {
        "questions": len(test),
        "top1": round(top1 / len(test), 4),
        "top3": round(top3 / len(test), 4),
        "ms_per_suggestion_mean": round(statistics.fmean(timings), 2),
        "ms_per_suggestion_p95": round(timings[int(len(timings) * 0.95)], 2),
    }


def past_replies(train: list[tuple[str, str]], test: list[tuple[str, str]], count: int) -> dict[str, Any]:
    """The second index a suggestion searches: `count` resolved cases (training questions as their
    questions). How long one search takes, and how often the nearest past case has the right intent."""
    at = KnowledgeAnswer.seed("x", "x", "x", []).created_at
    pasts = [
        PastReply(case_id=f"c{n}-{intent}", question=text, reply="r", agent="a", resolved_at=at, platform="x")
        for n, (text, intent) in enumerate(train[:: max(1, len(train) // count)][:count])
    ]
    index = PastSuggester()
    started = time.perf_counter()
    index.load(pasts, 0.0)
    build = time.perf_counter() - started
    timings, right = [], 0
    for text, intent in test:
        started = time.perf_counter()
        hits = index.rank(text, 2)
        timings.append((time.perf_counter() - started) * 1000)
        right += bool(hits) and hits[0].answer_id.split("-", 1)[1] == intent
    timings.sort()
    return {
        "past_cases": len(pasts),
        "index_build_seconds": round(build, 2),
        "nearest_case_same_intent": round(right / len(test), 4),
        "ms_per_search_mean": round(statistics.fmean(timings), 2),
        "ms_per_search_p95": round(timings[int(len(timings) * 0.95)], 2),
    }


def _baseline_ms(test: list[tuple[str, str]]) -> float:
    started = time.perf_counter()
    for text, _ in test:
        words(text)
    return (time.perf_counter() - started) * 1000 / len(test)


def _folder(args: argparse.Namespace) -> Path | None:
    explicit = getattr(args, "kb_data", None)
    if explicit:
        return Path(explicit)
    data = getattr(args, "data", None)
    return Path(data) / "banking77" if data else None


def run(args: argparse.Namespace) -> dict[str, Any]:
    folder = _folder(args)
    if folder is None or not (folder / "train.csv").is_file():
        return {"skipped": "pass --data <folder holding banking77/> (or --kb-data <intent set folder>)"}
    train, test = _rows(folder / "train.csv"), _rows(folder / "test.csv")
    answers = knowledge_base(train)
    small = quality(Suggester(answers), test)
    second = quality(Suggester(knowledge_base(train, skip=EXAMPLES)), test)
    past = past_replies(train, test, PAST_CASES)
    counts = Counter(w for text, _ in train for w in words(text))
    padded = answers + synthetic(SCALE - len(answers), [w for w, _ in counts.most_common(COMMON_WORDS)])
    padded, embedding = with_vectors(padded, ROOT / ".build" / "bench-kb-vectors.jsonl")
    started = time.perf_counter()
    big_suggester = Suggester(padded)
    build_seconds = time.perf_counter() - started
    big = quality(big_suggester, test)
    baseline = _baseline_ms(test)
    return {
        "data": folder.name,
        "answers": len(answers),
        "examples_per_answer": EXAMPLES,
        "quality": small,
        "quality_second_split": second,
        "past_replies": past,
        "at_scale": {
            "answers": len(padded),
            "index_build_seconds": round(build_seconds, 2),  # with every answer's vectors stored
            "embedding": embedding,
            **big,
            "tokenise_only_ms": round(baseline, 4),
            "ratio_to_tokenise": round(big["ms_per_suggestion_mean"] / baseline, 1) if baseline else None,
        },
        "targets": {"top1": TARGET_TOP1, "top3": TARGET_TOP3, "ms_per_suggestion": TARGET_MS},
        "met": min(small["top1"], second["top1"]) >= TARGET_TOP1
        and min(small["top3"], second["top3"]) >= TARGET_TOP3
        and big["ms_per_suggestion_mean"] < TARGET_MS,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.bench_kb")
    parser.add_argument("kb_data", type=Path, help="an intent set folder with train.csv and test.csv")
    print(json.dumps(run(parser.parse_args()), indent=2))
