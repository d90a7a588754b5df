"""The warning lights count working days by the calendar's ordinals; the count must agree with a walk."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from taizhang.ledger.warnings import TaskFacts, warning
from taizhang.workdays import is_workday


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 12, 31)), st.integers(0, 800))
def test_working_days_left_in_the_reason_match_a_walk_to_the_due_day(today, offset):
    due = today + timedelta(days=offset)
    walked = sum(is_workday(today + timedelta(days=n)) for n in range(1, offset + 1))
    light = warning(TaskFacts(status="推进中", deadline_kind="date", due=due), today, warn_days=5)
    assert light.workdays_left == walked  # 0 on the due day itself


def test_working_days_left_span_national_day_holiday():
    # 2022-10-01..07 are holidays and 10-08/09 make-up working days: 9-30 → 10-10 is 3 working days
    light = warning(
        TaskFacts(status="推进中", deadline_kind="date", due=date(2022, 10, 10)), date(2022, 9, 30)
    )
    assert light.workdays_left == 3


def test_yellow_light_counts_working_days_across_spring_festival():
    # due 2022-02-08: from 01-28 the working days are 01-29 (调休), 01-30 (调休), 02-07, 02-08
    light = warning(TaskFacts(status="推进中", deadline_kind="date", due=date(2022, 2, 8)), date(2022, 1, 28))
    assert (light.colour, light.reason, light.workdays_left) == ("yellow", "距截止还有4个工作日", 4)
