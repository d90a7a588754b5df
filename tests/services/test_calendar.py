"""The working-day calendar in the database answers as ``taizhang.workdays`` does, for any day."""

from __future__ import annotations

from datetime import date

import chinese_calendar
import pytest

from taizhang.services.calendar import workday_after
from taizhang.services.dashboard import dashboard
from taizhang.workdays import add_workdays


@pytest.mark.parametrize(
    ("day", "count"),
    [
        (date(2022, 9, 30), 1),  # 国庆: the next working day is the 调休 Saturday 10-08
        (date(2022, 9, 28), 10),
        (date(2022, 1, 28), 4),  # across 春节 and its 调休 weekend
        (date(2000, 1, 1), 6),  # the first day of the table
        (date(2100, 12, 20), 15),  # runs past the table's last day: counted without it
        (date(2150, 3, 1), 3),  # far outside the table
        (date(2022, 6, 30), 0),
    ],
)
def test_lookup_agrees_with_the_calendar(ledger, day, count):
    with ledger.engine.connect() as conn:
        assert workday_after(conn, day, count) == add_workdays(day, count)


@pytest.mark.parametrize("as_of", [date(2000, 1, 3), date(2022, 6, 30), date(2099, 12, 31)])
def test_the_dashboard_never_walks_the_holiday_calendar_day_by_day(ledger, monkeypatch, as_of):
    add_workdays(as_of, 1)  # the calendar's ordinals are built once per process, before the watch

    def walked(day):
        raise AssertionError(f"asked chinesecalendar about {day}: counting walked the calendar")

    monkeypatch.setattr(chinese_calendar, "is_workday", walked)
    with ledger.engine.connect() as conn:
        board = dashboard(conn, as_of)
    assert board["total"] > 0
