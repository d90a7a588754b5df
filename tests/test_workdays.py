"""Chinese working days: statutory holidays, 调休 make-up days, and weekends outside the calendar."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taizhang.workdays import (
    add_workdays,
    calendar_knows,
    calendar_rows,
    is_workday,
    next_workday,
    workdays_between,
)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2022, 10, 3), False),  # 国庆, a Monday
        (date(2022, 10, 8), True),  # 调休 Saturday
        (date(2022, 10, 9), True),  # 调休 Sunday
        (date(2022, 10, 15), False),  # ordinary Saturday
        (date(2022, 1, 31), False),  # 除夕 2022, a Monday
        (date(2022, 1, 29), True),  # 调休 Saturday before 春节
        (date(2022, 5, 27), True),  # ordinary Friday
    ],
)
def test_is_workday_follows_the_state_council_calendar(day, working):
    assert is_workday(day) is working


def test_outside_the_known_years_only_weekends_are_off():
    assert not calendar_knows(date(2099, 10, 1))
    assert [is_workday(date(2099, 10, d)) for d in (1, 2, 3, 4)] == [True, True, False, False]


def test_add_workdays_crosses_national_day_and_counts_make_up_days():
    assert add_workdays(date(2022, 9, 28), 10) == date(2022, 10, 17)
    assert add_workdays(date(2022, 9, 30), 1) == date(2022, 10, 8)


def test_add_workdays_backwards_skips_the_holiday():
    assert add_workdays(date(2022, 10, 10), -3) == date(2022, 9, 30)  # 10-09, 10-08 (调休), then 09-30


def test_add_zero_workdays_is_the_same_day_even_on_a_holiday():
    assert add_workdays(date(2022, 10, 1), 0) == date(2022, 10, 1)


def test_next_workday_moves_off_a_holiday_only():
    assert (next_workday(date(2022, 10, 1)), next_workday(date(2022, 9, 30))) == (
        date(2022, 10, 8),
        date(2022, 9, 30),
    )


def test_workdays_between_counts_after_start_up_to_end():
    assert workdays_between(date(2022, 9, 30), date(2022, 10, 10)) == 3
    assert workdays_between(date(2022, 10, 10), date(2022, 9, 30)) == -3
    assert workdays_between(date(2022, 5, 1), date(2022, 5, 1)) == 0


@given(st.dates(date(2019, 1, 1), date(2026, 12, 31)), st.integers(0, 40))
def test_add_workdays_and_workdays_between_agree(start, count):
    end = add_workdays(start, count)
    assert workdays_between(start, end) == count
    assert count == 0 or is_workday(end)


@given(st.dates(date(2019, 1, 1), date(2026, 12, 31)))
def test_next_workday_is_a_working_day_not_before_the_day(day):
    following = next_workday(day)
    assert following >= day and is_workday(following)
    assert all(not is_workday(day + timedelta(days=n)) for n in range((following - day).days))


def _reference_is_workday(day):
    """chinesecalendar asked directly, weekends only outside the years it knows."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def _walk(start, count):
    step, left, day = (1 if count >= 0 else -1), abs(count), start
    while left:
        day += timedelta(days=step)
        left -= _reference_is_workday(day)
    return day


def _walk_between(start, end):
    step = 1 if end > start else -1
    count, day = 0, start
    while day != end:
        day += timedelta(days=step)
        count += step if _reference_is_workday(day) else 0
    return count


# the span's edges, the calendar's first and last years, and days far outside the span
any_day = st.dates(date(1899, 11, 1), date(2200, 2, 28))


@settings(max_examples=300)
@given(any_day, st.integers(-400, 400), st.integers(-500, 500))
def test_lookups_agree_with_walking_the_calendar_day_by_day(start, count, offset):
    end = start + timedelta(days=offset)
    assert is_workday(start) == _reference_is_workday(start)
    assert add_workdays(start, count) == _walk(start, count)
    assert workdays_between(start, end) == _walk_between(start, end)


def test_calendar_rows_number_working_days_in_order():
    rows = list(calendar_rows(date(2022, 9, 29), date(2022, 10, 10)))
    assert [r["day"] for r in rows] == [date(2022, 9, 29) + timedelta(days=n) for n in range(12)]
    working = [r["day"].day for r in rows if r["is_workday"]]
    assert working == [29, 30, 8, 9, 10]  # 国庆 1–7, then the 调休 weekend
    # the N-th working day after a day is the one whose ordinal is N more
    first = rows[1]["ordinal"]  # 9-30
    assert [r["day"] for r in rows if r["is_workday"] and r["ordinal"] == first + 3] == [date(2022, 10, 10)]
