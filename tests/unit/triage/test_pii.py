"""Personal data is found and masked; card numbers only when they pass the Luhn check."""

from __future__ import annotations

import pytest

from shared.triage import classify, redact
from shared.triage.pii import luhn_valid


def test_luhn() -> None:
    assert luhn_valid("4111111111111111")
    assert luhn_valid("5555555555554444")
    assert not luhn_valid("4111111111111112")


@pytest.mark.parametrize(
    "text",
    ["my card is 4111 1111 1111 1111", "card: 4111-1111-1111-1111 exp 12/27", "5555555555554444 was charged"],
)
def test_card_numbers_are_masked(text: str) -> None:
    masked, kinds = redact(text)
    assert "card" in kinds
    assert "1111 1111" not in masked and "1111-1111" not in masked and "55555555" not in masked
    assert "[card]" in masked


def test_numbers_failing_luhn_are_not_cards() -> None:
    masked, kinds = redact("my order number is 4111 1111 1111 1112")
    assert "card" not in kinds
    assert "4111 1111 1111 1112" in masked


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("call me on +44 20 7946 0958 please", "phone"),
        ("my number is 020 7946 0958", "phone"),
        ("ring 555-123-4567 after 5", "phone"),
        ("email me at jo.bloggs+care@example.co.uk", "email"),
        ("send it to 221B Baker Street, London", "address"),
        ("vivo en Calle Mayor 5, Madrid", "address"),
        ("Lieferung an Hauptstraße 12 bitte", "address"),
        ("IBAN GB82 WEST 1234 5698 7654 32", "iban"),
    ],
)
def test_personal_data_kinds(text: str, kind: str) -> None:
    masked, kinds = redact(text)
    assert kind in kinds
    assert f"[{kind}]" in masked


@pytest.mark.parametrize(
    "text",
    [
        "my order 123456 is 3 days late",
        "it cost $12.99 in 2024",
        "@acme_help I bought it via your app",
        "on 2024-01-15 at 10:30",
    ],
)
def test_ordinary_numbers_and_mentions_are_kept(text: str) -> None:
    assert redact(text) == (text, [])


def test_classify_reports_pii_and_raises_priority() -> None:
    triage = classify("Please refund me, my card 4111 1111 1111 1111 was charged twice")
    assert triage.pii == ["card"]
    assert "pii" in triage.priority_reasons


@pytest.mark.timeout(10)
def test_pathological_inputs_stay_fast() -> None:
    # Given inputs of the largest allowed size built to make naive patterns backtrack
    texts = [
        ("1-" * 32_000)[:64_000],
        ("1 " * 32_000)[:64_000],
        "a-" * 32_000,
        "calle " * 10_000,
        "1" * 64_000,
    ]
    for text in texts:
        # When redacted and classified / Then each returns, and the masked text keeps its size order
        masked, _kinds = redact(text)
        assert len(masked) <= len(text) + 16
        classify(text)
