"""The learned triage backend: model file format, training, confidences and reasons on every field,
topics by example, library language detection, the human-triage lane and the `heard train` command.
Self-contained: tiny data made here, plus the model file committed in shared/triage/data/."""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from infra.cli import main
from shared.models.config import HeardConfig
from shared.models.interaction import Author, Channel, EventKind, Interaction, Platform
from shared.models.triage import Category, Sentiment, Triage
from shared.rules.routing import route
from shared.triage import classify
from shared.triage.features import features
from shared.triage.language import UNDETERMINED, identify
from shared.triage.learned import classify_learned
from shared.triage.model import DEFAULT_MODEL, ModelFileError, load
from shared.triage.topics import UNKNOWN, TopicIndex
from shared.triage.training import Example, fit_head, write_model

FIELDS = {"sentiment", "category", "topic", "language"}

TOPICS = [
    {
        "id": "delivery",
        "operation": "logistics",
        "examples": [
            "where is my parcel, the tracking has not moved in days",
            "my order still has not arrived",
            "the courier left my package at the wrong address",
            "when will my delivery come?",
        ],
    },
    {
        "id": "billing",
        "operation": "finance",
        "examples": [
            "I was charged twice for the same order",
            "when will I get my refund?",
            "there is a charge on my card I do not recognise",
            "can you send me an invoice for last month",
        ],
    },
]


def _config(**extra: object) -> HeardConfig:
    return HeardConfig.model_validate(
        {
            "teams": [{"id": "care", "name": "Care"}, {"id": "triage", "name": "Triage"}],
            "default_team": "care",
            **extra,
        }
    )


def test_a_trained_head_round_trips_through_its_plain_data_file(tmp_path: Path) -> None:
    # Given a few labelled posts, When a head is trained and written, Then the loaded file predicts them
    rows = [("i love it, great service", "positive"), ("awesome, thanks so much", "positive")] * 3
    rows += [("terrible, it broke again", "negative"), ("worst service, awful", "negative")] * 3
    examples = [Example(features(text), label) for text, label in rows]
    head = fit_head(examples, l2=1e-4, epochs=150, min_count=1)
    path = tmp_path / "m.json.gz"
    write_model(path, {"sentiment": head}, {"sources": ["made in this test"]})
    model = load(path)
    assert model.provenance == {"sources": ["made in this test"]}
    assert model.predict("sentiment", features("great service, love it")).label == "positive"
    worse = model.predict("sentiment", features("awful, it broke"))
    assert worse.label == "negative" and 0.5 < worse.confidence <= 1.0
    assert all(not reason.startswith("c:") for reason in worse.reasons)  # words and rules, not n-grams


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"format": "something-else"}).encode()))
    with pytest.raises(ModelFileError, match="not a heard-linear/1 model"):
        load(path)
    path.write_bytes(b"not gzip")
    with pytest.raises(ModelFileError, match="cannot read model"):
        load(path)


def test_the_shipped_model_records_its_provenance() -> None:
    model = load(DEFAULT_MODEL)
    assert set(model.heads) == {"sentiment", "complaint"}
    assert model.provenance["trained_with"] == "heard train"
    assert model.provenance["licences"], "the licences of the training data are recorded"


@pytest.mark.parametrize(
    "text",
    [
        "@acme thanks for the 3 hour delay, my parcel is lost",
        "love the new app, so fast!",
        "how do I change my delivery address?",
        "",
        "🙂",
    ],
)
def test_every_field_has_a_confidence_and_every_verdict_its_reasons(text: str) -> None:
    triage = classify_learned(text)
    assert set(triage.confidences) == FIELDS
    assert all(0.0 <= value <= 1.0 for value in triage.confidences.values())
    assert any(reason.startswith("category=") for reason in triage.reasons)


def test_a_sarcastic_complaint_is_a_negative_complaint() -> None:
    triage = classify_learned("@acme thanks for the 3 hour delay, my parcel is lost")
    assert triage.category == Category.COMPLAINT
    assert triage.sentiment == Sentiment.NEGATIVE


def test_praise_is_positive_praise() -> None:
    triage = classify_learned("love the new app, so fast, thank you!")
    assert triage.sentiment == Sentiment.POSITIVE
    assert triage.category == Category.PRAISE


def test_the_configuration_chooses_the_backend() -> None:
    text = "@acme my parcel is late again"
    assert classify(text, config=_config(triage_backend="model")).confidences
    assert not classify(text, config=_config()).confidences  # builtin: one overall confidence only


def test_the_shipped_configuration_triages_with_the_model_and_its_topic_examples() -> None:
    # The deployed triage Lambda reads config/heard.json: it runs the learned backend (the bundle with
    # py3langid and numpy for arm64 is checked in tests/infra/test_limits.py), with topics by example.
    shipped = HeardConfig.model_validate_json(
        (Path(__file__).parents[3] / "config" / "heard.json").read_text(encoding="utf-8")
    )
    assert shipped.triage_backend == "model"
    triage = classify("@acme my parcel still hasn't arrived, the tracking hasn't moved", config=shipped)
    assert set(triage.confidences) == FIELDS
    assert (triage.category, triage.topic) == (Category.COMPLAINT, "delivery")


def test_topics_are_assigned_from_examples_with_unknown_below_the_threshold() -> None:
    config = _config(triage_backend="model", topics=TOPICS)
    billed = classify_learned("you charged me twice, I want a refund", config=config)
    assert (billed.topic, billed.operation) == ("billing", "finance")
    parcel = classify_learned("my parcel has not arrived yet", config=config)
    assert parcel.topic == "delivery"
    assert parcel.confidences["topic"] > 0.5
    unrelated = classify_learned("zebra xylophone quartz", config=config)
    assert unrelated.topic == UNKNOWN


def test_topic_index_prefers_the_closer_topic_and_is_more_confident_when_clear() -> None:
    index = TopicIndex([(t["id"], t["operation"], t["examples"]) for t in TOPICS])  # type: ignore[misc]
    clear = index.match("I was charged twice, where is my refund")
    assert clear.topic == "billing"
    mixed = index.match("my order")
    assert mixed.confidence < clear.confidence


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("my order still has not arrived and nobody answers", "en"),
        ("Hola, todavía no ha llegado mi pedido y nadie responde", "es"),
        ("Meine Bestellung ist immer noch nicht angekommen", "de"),
        ("Ma commande n'est toujours pas arrivée", "fr"),
        ("grr", None),  # any answer, but with a confidence
    ],
)
def test_language_is_identified_with_a_confidence(text: str, language: str | None) -> None:
    code, confidence = identify(text, text.lower().split())
    assert 0.0 <= confidence <= 1.0
    if language:
        assert code == language


def test_text_without_letters_has_no_language() -> None:
    assert identify("12345 !!! 🙂", []) == (UNDETERMINED, 0.0)


def test_a_platform_language_hint_is_certain() -> None:
    triage = classify_learned("ok", language="pt-BR")
    assert (triage.language, triage.confidences["language"]) == ("pt", 1.0)


def _interaction() -> Interaction:
    return Interaction(
        platform=Platform.FACEBOOK,
        kind=EventKind.MESSAGE,
        channel=Channel.COMMENT,
        platform_id="1",
        dedupe_key="k",
        author=Author(id="a"),
        conversation_id="p",
        occurred_at=datetime(2026, 11, 17, 10, 0, tzinfo=UTC),
    )


def _triage(**confidences: float) -> Triage:
    values = {"sentiment": 0.9, "category": 0.9, "topic": 0.9, "language": 0.9, **confidences}
    return Triage(sentiment=Sentiment.NEGATIVE, category=Category.COMPLAINT, confidences=values)


def test_low_confidence_goes_to_the_human_triage_lane() -> None:
    config = _config(human_triage_team="triage", human_triage_below=0.6)
    at = datetime(2026, 11, 17, 10, 0, tzinfo=UTC)
    decision = route(config, _triage(topic=0.3), _interaction(), at)
    assert decision.team == "triage"
    assert "topic confidence 0.30" in decision.reason
    assert route(config, _triage(), _interaction(), at).team == "care"
    # Without a human-triage team configured, nothing changes.
    assert route(_config(), _triage(topic=0.3), _interaction(), at).team == "care"


def test_a_human_triage_team_must_exist() -> None:
    with pytest.raises(ValueError, match="human_triage_team names unknown team 'nobody'"):
        _config(human_triage_team="nobody")


def test_heard_train_writes_a_model_heard_triage_can_use(tmp_path: Path, monkeypatch, capsys) -> None:
    posts = tmp_path / "posts.jsonl"
    rows = [
        {"text": "@acme my parcel is lost again, useless", "sentiment": "negative", "complaint": True},
        {"text": "@acme still waiting for my refund, awful", "sentiment": "negative", "complaint": True},
        {"text": "@acme thanks, great service", "sentiment": "positive", "complaint": False},
        {"text": "@acme love it, brilliant", "sentiment": "positive", "complaint": False},
        {"text": "@acme what time do you open?", "sentiment": "neutral", "complaint": False},
        {"text": "@acme do you deliver on sundays?", "sentiment": "neutral", "complaint": False},
    ] * 2
    posts.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    out = tmp_path / "model.json.gz"
    status = main(
        [
            "train",
            "--sentiment",
            str(posts),
            "--complaint",
            str(posts),
            "--out",
            str(out),
            "--epochs",
            "50",
            "--licence",
            "test data",
        ]
    )
    assert status == 0
    report = json.loads(capsys.readouterr().out)
    assert report["bytes"] == out.stat().st_size
    model = load(out)
    assert model.provenance["sources"]["sentiment"][0]["rows"] == len(rows)
    assert model.provenance["licences"] == ["test data"]


def test_heard_train_names_a_bad_label(tmp_path: Path, capsys) -> None:
    posts = tmp_path / "posts.jsonl"
    posts.write_text(json.dumps({"text": "hi", "sentiment": "angry"}) + "\n", encoding="utf-8")
    status = main(
        ["train", "--sentiment", str(posts), "--complaint", str(posts), "--out", str(tmp_path / "m")]
    )
    assert status == 2
    assert "sentiment 'angry' is not one of" in capsys.readouterr().err


def test_heard_triage_uses_the_model_by_default_and_builtin_on_request(monkeypatch, capsys) -> None:
    for argv, expect_confidences in (([], True), (["--backend", "builtin"], False)):
        monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"text": "@acme my parcel is late"}) + "\n"))
        assert main(["triage", *argv]) == 0
        result = json.loads(capsys.readouterr().out)
        assert bool(result["confidences"]) is expect_confidences


def test_the_sentiment_head_tempers_the_complaint_probability() -> None:
    from shared.triage.learned import SENTIMENT_PULL, complaint_belief

    # A negative reading raises it, a positive one lowers it, by the pull's share; always within 0..1
    unhappy = {"negative": 0.9, "neutral": 0.05, "positive": 0.05}
    pleased = {"negative": 0.05, "neutral": 0.05, "positive": 0.9}
    assert complaint_belief(0.45, unhappy) == pytest.approx(0.45 + SENTIMENT_PULL * 0.85)
    assert complaint_belief(0.55, pleased) == pytest.approx(0.55 - SENTIMENT_PULL * 0.85)
    assert complaint_belief(0.99, unhappy) == 1.0 and complaint_belief(0.01, pleased) == 0.0


def test_a_post_read_as_positive_is_a_complaint_only_when_the_complaint_is_strong() -> None:
    from shared.triage import engine
    from shared.triage.learned import STRONG_COMPLAINT, _category

    signals = engine.analyse("@acme thank you for refunding the gift cards")
    assert _category(signals, 0.6, "positive")[0] != "complaint"
    assert _category(signals, 0.6, "neutral")[0] == "complaint"
    assert _category(signals, STRONG_COMPLAINT, "positive")[0] == "complaint"


def test_thanks_and_praise_addressed_to_a_brand_are_not_complaints() -> None:
    for text in (
        "@acme your team sorted my order so quickly, you're the best",
        "Buying an @acme kettle was one of the best decisions I've made this year",
    ):
        assert classify_learned(text).category != Category.COMPLAINT, text
