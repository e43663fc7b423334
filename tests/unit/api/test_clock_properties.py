"""The clock's written form is sortable and readable for every year, and moments from outside are refused
unless they are in Heard's sane range (issue #7, item 3: a period starting in year 735 broke Reports)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from functions.api.schemas import ReportRequest
from shared import clock

# Every moment datetime can hold once in UTC (astimezone must not overflow at the ends).
moments = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.timezones()
).filter(lambda m: m.utcoffset() is not None)
offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


def _to_ms(moment: datetime) -> datetime:
    at = moment.astimezone(UTC)
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


@given(moments)
def test_every_moment_is_written_in_24_characters_and_read_back(moment: datetime) -> None:
    written = clock.iso(moment)
    assert len(written) == 24 and written.endswith("Z")
    assert clock.parse_iso(written) == _to_ms(moment)


@given(moments, moments)
def test_string_order_is_time_order_for_every_year(a: datetime, b: datetime) -> None:
    # DynamoDB sort keys and SLA checks compare the strings
    if _to_ms(a) < _to_ms(b):
        assert clock.iso(a) < clock.iso(b)
    elif _to_ms(a) == _to_ms(b):
        assert clock.iso(a) == clock.iso(b)
    else:
        assert clock.iso(a) > clock.iso(b)


def test_years_before_1000_are_zero_padded() -> None:
    assert clock.iso(datetime(735, 3, 4, 5, 6, 7, 8000, tzinfo=UTC)) == "0735-03-04T05:06:07.008Z"
    assert clock.iso(datetime(735, 1, 1, tzinfo=UTC)) < clock.iso(datetime(2026, 1, 1, tzinfo=UTC))


@given(st.integers(min_value=1, max_value=999))
def test_timestamps_stored_with_a_short_year_are_still_readable(year: int) -> None:
    # what the old iso() wrote: "735-01-01T00:00:00.000Z"
    assert clock.parse_iso(f"{year}-01-01T00:00:00.000Z") == datetime(year, 1, 1, tzinfo=UTC)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)))
def test_moments_in_the_sane_range_are_accepted(moment: datetime) -> None:
    assert clock.sane(moment) == moment and ReportRequest(start=moment).start == moment


@given(
    st.one_of(
        st.datetimes(max_value=datetime(1999, 12, 31, 23, 59, 59), timezones=st.just(UTC)),
        st.datetimes(min_value=datetime(2200, 1, 1, 0, 0, 1), timezones=st.just(UTC)),
    )
)
def test_moments_outside_the_sane_range_are_refused(moment: datetime) -> None:
    assert not clock.is_sane(moment)
    with pytest.raises(ValidationError, match="must be between"):
        ReportRequest(start=moment)


@given(st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2199, 12, 30)), offsets)
def test_offsets_at_the_edges_are_judged_in_utc(local: datetime, offset: timezone) -> None:
    moment = local.replace(tzinfo=offset)
    assert clock.is_sane(moment)
    assert clock.parse_iso(clock.iso(moment)) == _to_ms(moment)


def test_edges_exactly() -> None:
    assert clock.is_sane(clock.EARLIEST) and clock.is_sane(clock.LATEST)
    assert not clock.is_sane(clock.EARLIEST - timedelta(milliseconds=1))
    assert not clock.is_sane(clock.LATEST + timedelta(milliseconds=1))
    # one minute before 2000 in UTC, though 2000 already in Paris
    assert not clock.is_sane(datetime(2000, 1, 1, 0, 59, tzinfo=timezone(timedelta(hours=1))))


@pytest.mark.parametrize("value", ["2026-01-01T00:00:00", "2026-06-01 12:00"])
def test_a_moment_without_a_time_zone_is_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="time zone"):
        ReportRequest(start=value)  # type: ignore[arg-type]
