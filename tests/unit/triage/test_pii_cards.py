"""Card numbers are masked however they are written (issue #7.8): glued to letters, separated by double
spaces, newlines, slashes, tabs or dots; Luhn still decides what is a card."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.triage import redact
from shared.triage.pii import luhn_valid


def _with_check_digit(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


def _without_check_digit(body: str) -> str:
    return next(body + d for d in "0123456789" if not luhn_valid(body + d))


cards = st.text(alphabet="0123456789", min_size=12, max_size=18).map(_with_check_digit)
not_cards = st.text(alphabet="0123456789", min_size=15, max_size=15).map(_without_check_digit)
separators = st.sampled_from(["", " ", "  ", "   ", "\n", "\r\n", "\n\n", "/", " / ", "-", "--", ".", "\t"])
# Anything but digits around the card, letters glued to it included.
glue = st.text(alphabet=st.characters(exclude_categories=("Nd", "Cs")), max_size=12)
letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZ", min_size=1, max_size=6)


def written(card: str, separator: str, size: int = 4) -> str:
    return separator.join(card[i : i + size] for i in range(0, len(card), size))


def leaked(masked: str, card: str) -> bool:
    return card in re.sub(r"[^0-9]", "", masked)


@pytest.mark.parametrize(
    "text",
    [
        "card4111111111111111",
        "4111111111111111exp",
        "my card4111111111111111please",
        "4111  1111  1111  1111",
        "4111\n1111\n1111\n1111",
        "4111\r\n1111\r\n1111\r\n1111",
        "4111/1111/1111/1111",
        "4111 / 1111 / 1111 / 1111",
        "no4111.1111.1111.1111x",
        "5555\t5555\t5555\t4444",
    ],
)
def test_the_card_shapes_that_escaped_are_masked(text: str) -> None:
    masked, kinds = redact(text)
    assert kinds == ["card"] and "[card]" in masked
    assert not leaked(masked, "4111111111111111") and not leaked(masked, "5555555555554444")


@settings(max_examples=300, deadline=None)
@given(before=glue, after=glue, card=cards, separator=separators, size=st.sampled_from([4, 5, 6]))
def test_a_luhn_valid_card_never_leaks_whatever_its_writing(
    before: str, after: str, card: str, separator: str, size: int
) -> None:
    masked, kinds = redact(before + written(card, separator, size) + after)
    assert "card" in kinds and not leaked(masked, card)


@settings(max_examples=150, deadline=None)
@given(before=letters, after=letters, first=cards, second=cards, separator=separators)
def test_two_cards_in_one_run_are_both_masked(
    before: str, after: str, first: str, second: str, separator: str
) -> None:
    text = f"{before}{written(first, separator)} {written(second, separator)}{after}"
    masked, _ = redact(text)
    assert not leaked(masked, first) and not leaked(masked, second)


@settings(max_examples=150, deadline=None)
@given(before=letters, after=letters, number=not_cards, separator=separators)
def test_numbers_failing_luhn_are_left_alone(before: str, after: str, number: str, separator: str) -> None:
    # 16 digits in groups of four that fail Luhn: no window of whole groups is a card.
    text = before + written(number, separator) + after
    masked, kinds = redact(text)
    assert "card" not in kinds


@pytest.mark.timeout(10)
def test_a_text_full_of_cards_is_masked_in_one_pass() -> None:
    text = ("4111111111111111 " * 3_760)[:64_000]
    masked, kinds = redact(text)
    assert kinds == ["card"] and masked.count("[card]") == 3_760 and "4111111111111111" not in masked
