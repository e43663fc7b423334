"""Offline language detection: the languages care teams cover, 'und' when unsure, hints win."""

from __future__ import annotations

import pytest

from shared.triage import classify


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("My order still has not arrived and nobody answers my emails", "en"),
        ("Mi pedido todavía no ha llegado y nadie responde a mis correos", "es"),
        ("Ma commande n'est toujours pas arrivée et personne ne répond", "fr"),
        ("Meine Bestellung ist immer noch nicht angekommen und niemand antwortet", "de"),
        ("Il mio ordine non è ancora arrivato e nessuno risponde alle mie email", "it"),
        ("O meu pedido ainda não chegou e ninguém responde aos meus emails", "pt"),
        ("Mijn bestelling is nog steeds niet aangekomen en niemand reageert op mijn mails", "nl"),
    ],
)
def test_detects_supported_languages(text: str, language: str) -> None:
    assert classify(text).language == language


@pytest.mark.parametrize("text", ["", "ok", "12345", "👍👍", "@acme"])
def test_undetermined_when_unsure(text: str) -> None:
    assert classify(text).language == "und"


def test_hint_wins_and_is_normalised() -> None:
    assert classify("Obrigado pela ajuda", language="pt-BR").language == "pt"
    assert classify("thanks", language="ES").language == "es"


def test_invalid_hint_is_ignored() -> None:
    assert classify("My order still has not arrived and nobody answers", language="??").language == "en"


@pytest.mark.parametrize(
    "text",
    [
        "Mi pedido todavía no ha llegado, es una vergüenza",
        "Meine Bestellung ist immer noch nicht angekommen, unverschämt",
        "Ma commande n'est toujours pas arrivée, c'est honteux",
    ],
)
def test_complaints_in_other_languages(text: str) -> None:
    triage = classify(text)
    assert triage.category == "complaint"
    assert triage.sentiment == "negative"
