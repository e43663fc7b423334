"""FAQ matching (conservative) and escalation contacts' hours."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.rules.contact_hours import is_available, parse_hours
from shared.rules.faq import FaqCandidate, best_answer

RETURNS = FaqCandidate("returns", ("return", "refund", "days"))
HOURS = FaqCandidate("opening-hours", ("opening hours", "store", "open"))


def test_a_question_with_most_keywords_gets_the_answer():
    found = best_answer("How many days do I have to return an item for a refund?", [RETURNS, HOURS])
    assert found and found.faq_id == "returns" and found.confidence == 1.0


def test_a_single_keyword_is_not_enough():
    assert best_answer("Can I return it?", [RETURNS, HOURS]) is None


def test_two_answers_fitting_equally_well_go_to_a_person():
    twin = FaqCandidate("returns-2", ("return", "refund", "days"))
    assert best_answer("How many days to return for a refund?", [RETURNS, twin]) is None


def test_keywords_match_whole_words_only():
    assert best_answer("refunded returned daysy", [RETURNS]) is None


MONDAY_10_LONDON = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
SATURDAY = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["24/7 on call", "24/7"])
def test_always_available(text):
    assert is_available(parse_hours(text), SATURDAY)


def test_office_hours_in_a_time_zone():
    hours = parse_hours("Mon-Fri 08:00-18:00 Europe/London")
    assert is_available(hours, MONDAY_10_LONDON)
    assert not is_available(hours, SATURDAY)
    assert not is_available(hours, datetime(2026, 11, 16, 18, 30, tzinfo=UTC))


def test_business_hours_and_day_lists():
    assert not is_available(parse_hours("business hours"), datetime(2026, 11, 16, 8, 59, tzinfo=UTC))
    weekend = parse_hours("Sat,Sun 10:00-16:00")
    assert is_available(weekend, SATURDAY) and not is_available(weekend, MONDAY_10_LONDON)
    wrap = parse_hours("Fri-Mon 00:00-24:00")
    assert is_available(wrap, MONDAY_10_LONDON) and not is_available(
        wrap, datetime(2026, 11, 18, 12, tzinfo=UTC)
    )


@pytest.mark.parametrize(
    "text",
    [
        "whenever",
        "Mon-Fri 18:00-08:00",
        "Mon-Fri 08:00-18:00 Mars/Olympus",
        "Funday 08:00-10:00",
        "Mon-Fri 25:00-26:00",
    ],
)
def test_hours_that_cannot_be_understood_are_refused(text):
    with pytest.raises(ValueError):
        parse_hours(text)
