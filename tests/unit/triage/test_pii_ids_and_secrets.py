"""National ids and secrets are masked (#14): formats that carry a check must pass it, and the words that
name a secret take a value only where one is given."""

from __future__ import annotations

import time

import pytest

from shared.triage import classify, redact


@pytest.mark.parametrize(
    ("text", "kind", "gone"),
    [
        ("my SSN is 123-45-6789", "national_id", "123-45-6789"),
        ("NI number AB 12 34 56 C please", "national_id", "12 34 56"),
        ("mi DNI es 12345678Z", "national_id", "12345678Z"),
        ("NIE X1234567L", "national_id", "1234567"),
        ("CPF 529.982.247-25", "national_id", "529.982.247-25"),
        ("mon NIR 1 85 05 78 006 084 91", "national_id", "006 084"),
        ("codice fiscale RSSMRA85T10A562S", "national_id", "RSSMRA85T10A562S"),
        ("my password is hunter2!", "secret", "hunter2"),
        ("password: letmein", "secret", "letmein"),
        ("Passwort=Geheim99", "secret", "Geheim99"),
        ("my pin is 0000", "secret", "0000"),
        ("card 4111 1111 1111 1111 exp 12/27 cvv 737", "secret", "737"),
        ("the verification code is 482913", "secret", "482913"),
        ("here is our key AKIAIOSFODNN7EXAMPLE oops", "secret", "AKIAIOSFODNN7EXAMPLE"),
        ("sk_live_4eC39HqLyjWDarjtT1zdp7dc leaked", "secret", "4eC39HqLyjWDarjtT1zdp7dc"),
        ("Authorization: Bearer abcdefghijklmnopqrstuvwxyz123", "secret", "abcdefghijklmnopqrstuvwxyz123"),
        ("token eyJhbGciOi.eyJzdWIiOiIx.SflKxwRJSM", "secret", "eyJzdWIiOiIx"),
    ],
)
def test_ids_and_secrets_are_masked(text: str, kind: str, gone: str) -> None:
    masked, kinds = redact(text)
    assert kind in kinds, (masked, kinds)
    assert gone not in masked and f"[{kind}]" in masked


@pytest.mark.parametrize(
    "text",
    [
        "mi DNI es 12345678A",  # wrong check letter
        "the password reset link does not work",
        "the password is wrong again",
        "Do you have a PIN reader?",
        "pin it to the top of the page",
        "order 12345678 arrived late",
        "flight BA1234 on 12/05",
    ],
)
def test_lookalikes_are_kept(text: str) -> None:
    assert redact(text) == (text, [])


@pytest.mark.parametrize("text", ["CPF 529.982.247-26", "ref 666-12-3456"])  # bad check; area 666 unissued
def test_numbers_failing_the_id_checks_are_not_national_ids(text: str) -> None:
    assert "national_id" not in redact(text)[1]


def test_secrets_raise_the_case_priority_like_other_personal_data() -> None:
    triage = classify("I can't log in, my password is hunter2 and the app says wrong password")
    assert "secret" in triage.pii and "pii" in triage.priority_reasons


@pytest.mark.timeout(10)
def test_pathological_inputs_stay_fast() -> None:
    texts = [
        "password " * 8_000,
        "password:" * 8_000,
        "eyJ" + "a" * 60_000,
        "Bearer " + "a" * 60_000,
        "AB 12 " * 10_000,
        ("1." * 32_000)[:64_000],
        "X1234567" * 8_000,
    ]
    for text in texts:
        started = time.perf_counter()
        masked, _kinds = redact(text)
        assert time.perf_counter() - started < 2.0, text[:20]
        assert len(masked) <= len(text) + 16
