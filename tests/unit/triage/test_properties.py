"""Property tests: the classifier never raises, stays in range, and redaction never leaks a card."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.models.interaction import Author
from shared.triage import classify, redact
from shared.triage.pii import luhn_valid


def _with_check_digit(body: str) -> str:
    for digit in "0123456789":
        if luhn_valid(body + digit):
            return body + digit
    raise AssertionError("unreachable: one check digit always fits")


cards = st.text(alphabet="0123456789", min_size=12, max_size=18).map(_with_check_digit)
separators = st.sampled_from(["", " ", "-"])
# Surrounding text that cannot glue itself to the card's digits.
surroundings = st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs")), max_size=40)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300), waiting=st.floats(allow_nan=True), followers=st.integers(0, 10**9))
def test_classify_never_raises_and_stays_in_range(text: str, waiting: float, followers: int) -> None:
    triage = classify(
        text, waiting_minutes=waiting, author=Author(id="a", followers=followers), language=None
    )
    assert -1.0 <= triage.sentiment_score <= 1.0
    assert 0.0 <= triage.confidence <= 1.0
    assert 1 <= triage.priority <= 4
    assert triage.language == "und" or len(triage.language) == 2


@settings(max_examples=150, deadline=None)
@given(before=surroundings, after=surroundings, card=cards, separator=separators)
def test_redact_never_leaks_a_card(before: str, after: str, card: str, separator: str) -> None:
    # Given a Luhn-valid card written in groups of four, somewhere in arbitrary text
    written = separator.join(card[i : i + 4] for i in range(0, len(card), 4))
    masked, kinds = redact(f"{before} {written} {after}")
    # Then it is detected and none of its digits survive in place
    assert "card" in kinds
    assert written not in masked
    assert card not in masked.replace(" ", "").replace("-", "")


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=200))
def test_redact_is_idempotent_and_reports_what_it_masked(text: str) -> None:
    masked, kinds = redact(text)
    assert all(f"[{kind}]" in masked for kind in kinds)
    assert redact(masked)[0] == masked
