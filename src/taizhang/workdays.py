"""Chinese working days (工作日): statutory holidays and 调休 make-up days.

A thin wrapper over ``chinesecalendar`` so the rest of the code asks one question in one way.
Outside the years the calendar knows, weekends are the only days off (and we say so in the
result's ``exact`` flag rather than guessing holidays).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=8192)
def is_workday(day: date) -> bool:
    """True when ``day`` is a working day in mainland China (调休 Saturdays included)."""
    # chinesecalendar scans its whole holiday table on every call; dashboards ask about the
    # same few hundred days for every task, so the answers are cached (about 22 years of days).
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def calendar_knows(day: date) -> bool:
    """True when the holiday calendar covers ``day``'s year (outside it, only weekends are off)."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def add_workdays(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted).

    ``add_workdays(d, 0)`` is ``d``. Negative counts go backwards ("3个工作日前").
    """
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    day = start
    while remaining:
        day += timedelta(days=step)
        if is_workday(day):
            remaining -= 1
    return day


def next_workday(day: date) -> date:
    """``day`` itself when it is a working day, else the first working day after it (期限顺延)."""
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def workdays_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
    if end == start:
        return 0
    step = 1 if end > start else -1
    count, day = 0, start
    while day != end:
        day += timedelta(days=step)
        if is_workday(day):
            count += step
    return count
