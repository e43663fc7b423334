"""The team-written care posts in bench/data are well formed and split the same way every time."""

from __future__ import annotations

import json

from bench.bench_triage import CARE_POSTS, evaluate_care, load_care_posts
from shared.triage import classify


def test_every_care_post_has_a_text_and_valid_labels() -> None:
    rows = [json.loads(line) for line in CARE_POSTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 400
    assert len({row["text"] for row in rows}) == len(rows)  # no duplicates across the halves
    for row in rows:
        assert set(row) == {"text", "sentiment", "complaint"}
        assert row["text"].strip()
        assert row["sentiment"] in {"negative", "neutral", "positive"}
        assert isinstance(row["complaint"], bool)


def test_the_split_is_stable_and_both_halves_have_every_class() -> None:
    # Given the care posts loaded twice
    first, second = load_care_posts(), load_care_posts()
    # Then the halves are identical, disjoint and each holds all three sentiments
    assert first == second
    development = {row["text"] for row in first["development"]}
    assert development.isdisjoint(row["text"] for row in first["held_out"])
    for part in first.values():
        assert {row["sentiment"] for row in part} == {"negative", "neutral", "positive"}


def test_evaluate_care_reports_sentiment_and_complaint_scores() -> None:
    rows = load_care_posts()["development"][:20]
    result = evaluate_care(rows, classify)
    assert result["sentiment"]["n"] == 20
    assert set(result["sentiment"]["per_class"]) == {"negative", "neutral", "positive"}
    assert 0.0 <= result["complaint"]["macro_f1"] <= 1.0
