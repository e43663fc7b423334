"""SLA clocks in business time (R10): time zones, weekly hours, holidays."""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.models.config import BusinessCalendar, OpeningHours
from shared.rules.business_hours import add_business_minutes, business_minutes_between, is_open

WEEKDAYS_9_TO_5 = BusinessCalendar(
    timezone="Europe/London",
    week={d: [OpeningHours(start=time(9), end=time(17))] for d in ("mon", "tue", "wed", "thu", "fri")},
    holidays=[date(2026, 12, 25)],
)


def test_a_post_during_hours_is_due_an_hour_later():
    tuesday_10 = datetime(2026, 11, 17, 10, 0, tzinfo=UTC)  # London is on UTC in November
    assert add_business_minutes(WEEKDAYS_9_TO_5, tuesday_10, 60) == tuesday_10 + timedelta(hours=1)


def test_a_post_near_closing_carries_over_to_the_next_opening():
    tuesday_1630 = datetime(2026, 11, 17, 16, 30, tzinfo=UTC)
    assert add_business_minutes(WEEKDAYS_9_TO_5, tuesday_1630, 60) == datetime(
        2026, 11, 18, 9, 30, tzinfo=UTC
    )


def test_a_friday_evening_post_is_due_monday_morning():
    friday_evening = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)
    assert add_business_minutes(WEEKDAYS_9_TO_5, friday_evening, 60) == datetime(
        2026, 11, 23, 10, 0, tzinfo=UTC
    )


def test_holidays_are_skipped():
    christmas_eve_1630 = datetime(2026, 12, 24, 16, 30, tzinfo=UTC)
    assert add_business_minutes(WEEKDAYS_9_TO_5, christmas_eve_1630, 60) == datetime(
        2026, 12, 28, 9, 30, tzinfo=UTC
    )
    assert not is_open(WEEKDAYS_9_TO_5, datetime(2026, 12, 25, 11, 0, tzinfo=UTC))


def test_time_zones_and_summer_time_are_honoured():
    # 9:00 in London in July is 8:00 UTC
    assert is_open(WEEKDAYS_9_TO_5, datetime(2026, 7, 14, 8, 30, tzinfo=UTC))
    assert not is_open(WEEKDAYS_9_TO_5, datetime(2026, 7, 14, 7, 30, tzinfo=UTC))


def test_an_always_open_calendar_counts_wall_time():
    always = BusinessCalendar()
    start = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
    assert is_open(always, start)
    assert add_business_minutes(always, start, 60) == start + timedelta(hours=1)


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
    ),
    minutes=st.integers(min_value=1, max_value=60 * 40),
)
def test_due_time_is_after_start_and_open_minutes_add_up(start, minutes):
    due = add_business_minutes(WEEKDAYS_9_TO_5, start, minutes)
    assert due > start
    assert abs(business_minutes_between(WEEKDAYS_9_TO_5, start, due) - minutes) < 1e-6
