"""Chinese working days: statutory holidays, 调休 make-up days, and weekends outside the calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taizhang.workdays import add_workdays, calendar_knows, is_workday, next_workday, workdays_between


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
    assert (next_workday(date(2022, 10, 1)), next_workday(date(2022, 9, 30))) == (date(2022, 10, 8), date(2022, 9, 30))


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
