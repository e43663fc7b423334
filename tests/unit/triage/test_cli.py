"""`heard triage`: JSON lines in, JSON lines out, bad lines reported without a traceback."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from infra.cli import main

CONFIG = {
    "teams": [{"id": "care", "name": "Care"}, {"id": "pr", "name": "PR"}],
    "default_team": "care",
    "topics": [{"id": "delivery", "operation": "logistics", "keywords": ["parcel"]}],
    "crisis_types": [
        {
            "id": "safety",
            "name": "Safety",
            "point_person": "a@example.com",
            "backup": "b@example.com",
            "team": "pr",
            "keywords": ["caught fire"],
        }
    ],
}


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "heard.json"
    path.write_text(json.dumps(CONFIG), encoding="utf-8")
    return path


def _run(monkeypatch, capsys, lines: list[str], *argv: str) -> tuple[int, list[dict]]:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    status = main(["triage", *argv])
    out = capsys.readouterr().out
    return status, [json.loads(line) for line in out.splitlines()]


def test_classifies_each_line(monkeypatch, capsys, config_file: Path) -> None:
    lines = [
        json.dumps({"text": "@acme thanks for the 3 hour delay, my parcel is lost", "platform": "x"}),
        json.dumps({"text": "my charger caught fire", "lang": "en"}),
    ]
    status, results = _run(monkeypatch, capsys, lines, "--config", str(config_file))
    assert status == 0
    assert len(results) == 2
    first, second = results
    for key in ("sentiment", "category", "topic", "language", "priority", "crisis", "action"):
        assert key in first
    assert first["category"] == "complaint"
    assert first["topic"] == "delivery"
    assert second["crisis"] == "safety"
    assert second["action"] == "escalate"


def test_bad_lines_give_errors_and_a_failing_status(monkeypatch, capsys, config_file: Path) -> None:
    lines = ["not json", json.dumps({"text": 3}), json.dumps(["a"]), json.dumps({"text": "fine thanks"})]
    status, results = _run(monkeypatch, capsys, lines, "--config", str(config_file))
    assert status == 1
    assert [r.get("line") for r in results[:3]] == [1, 2, 3]
    assert all("error" in r for r in results[:3])
    assert "error" not in results[3] and results[3]["sentiment"] == "positive"


def test_redact_option_masks_the_text(monkeypatch, capsys, config_file: Path) -> None:
    lines = [json.dumps({"text": "card 4111 1111 1111 1111 charged twice"})]
    status, results = _run(monkeypatch, capsys, lines, "--config", str(config_file), "--redact")
    assert status == 0
    assert results[0]["redacted_text"] == "card [card] charged twice"
    assert results[0]["pii"] == ["card"]


def test_author_fields_are_validated(monkeypatch, capsys, config_file: Path) -> None:
    lines = [json.dumps({"text": "hi", "followers": -5}), json.dumps({"text": "hi", "followers": 200_000})]
    status, results = _run(monkeypatch, capsys, lines, "--config", str(config_file))
    assert status == 1
    assert "error" in results[0]
    assert "high-influence" in results[1]["priority_reasons"]


def test_invalid_config_is_a_clear_error(monkeypatch, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"teams": [], "default_team": "care"}), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(SystemExit, match="invalid config"):
        main(["triage", "--config", str(bad)])


def test_default_config_of_the_repository_is_valid(monkeypatch, capsys) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[3])
    status, results = _run(monkeypatch, capsys, [json.dumps({"text": "where is my parcel?"})])
    assert status == 0
    assert results[0]["category"] in {"question", "complaint"}
