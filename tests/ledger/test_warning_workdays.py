"""The warning lights count working days from a shared per-day table; it must agree with the calendar."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from taizhang.ledger.warnings import TaskFacts, _workdays_until, warning
from taizhang.workdays import workdays_between


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 12, 31)), st.integers(-400, 800))
def test_workdays_until_agrees_with_workdays_between(today, offset):
    due = today + timedelta(days=offset)
    assert _workdays_until(today, due) == workdays_between(today, due)


def test_workdays_until_spans_national_day_holiday():
    # 2022-10-01..07 are holidays and 10-08/09 make-up working days: 9-30 → 10-10 is 3 working days
    assert _workdays_until(date(2022, 9, 30), date(2022, 10, 10)) == 3


def test_yellow_light_counts_working_days_across_spring_festival():
    # due 2022-02-08: from 01-28 the working days are 01-29 (调休), 01-30 (调休), 02-07, 02-08
    light = warning(TaskFacts(status="推进中", deadline_kind="date", due=date(2022, 2, 8)), date(2022, 1, 28))
    assert (light.colour, light.reason, light.workdays_left) == ("yellow", "距截止还有4个工作日", 4)
