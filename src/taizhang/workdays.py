"""Chinese working days (工作日): statutory holidays and 调休 make-up days.

A thin wrapper over ``chinesecalendar`` so the rest of the code asks one question in one way.
Outside the years the calendar knows, weekends are the only days off (and we say so in the
result's ``exact`` flag rather than guessing holidays).

Counting is a lookup, not a walk: every day of ``SPAN_FIRST``..``SPAN_LAST`` gets its ordinal
(working days since the span began), so "working days between A and B" and "the N-th working
day after A" cost the same whatever the distance. The database keeps the same calendar as the
``workdays`` table (:func:`calendar_rows`) for SQL that counts working days.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

SPAN_FIRST = date(1900, 1, 1)  # days outside the span are counted by walking, as before
SPAN_LAST = date(2199, 12, 31)


def _known_years() -> range:
    """The years ``chinesecalendar`` holds holidays for."""
    return range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


def _is_workday(day: date) -> bool:
    # chinesecalendar's own is_workday validates the date against its year range on every call;
    # the same rule read straight from its tables is what the span is built from
    if day.year in _known_years():
        return day in chinese_calendar.workdays or (
            day.weekday() < 5 and day not in chinese_calendar.holidays
        )
    return day.weekday() < 5


@lru_cache(maxsize=1)
def _span() -> tuple[bytes, array[int]]:
    """Per day of the span: working-day flag, and ordinal = working days from SPAN_FIRST through it."""
    years = _known_years()
    flags = bytearray()
    ordinals = array("l")
    count = 0
    day = SPAN_FIRST
    one = timedelta(days=1)
    holidays, workdays = chinese_calendar.holidays, chinese_calendar.workdays
    while day <= SPAN_LAST:
        if day.year in years:
            working = day in workdays or (day.weekday() < 5 and day not in holidays)
        else:
            working = day.weekday() < 5
        flags.append(working)
        count += working
        ordinals.append(count)
        day += one
    return bytes(flags), ordinals


def _index(day: date) -> int | None:
    """Position of ``day`` in the span, or None outside it."""
    if SPAN_FIRST <= day <= SPAN_LAST:
        return (day - SPAN_FIRST).days
    return None


def is_workday(day: date) -> bool:
    """True when ``day`` is a working day in mainland China (调休 Saturdays included)."""
    i = _index(day)
    if i is None:
        return _is_workday(day)
    return bool(_span()[0][i])


def calendar_knows(day: date) -> bool:
    """True when the holiday calendar covers ``day``'s year (outside it, only weekends are off)."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def ordinal(day: date) -> int | None:
    """Working days from the start of the span through ``day``; None outside the span."""
    i = _index(day)
    return None if i is None else _span()[1][i]


def add_workdays(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted).

    ``add_workdays(d, 0)`` is ``d``. Negative counts go backwards ("3个工作日前").
    """
    if count == 0:
        return start
    found = _add_by_ordinal(start, count)
    return found if found is not None else _add_by_walking(start, count)


def _add_by_ordinal(start: date, count: int) -> date | None:
    """The answer read off the span's ordinals, or None when it falls outside the span."""
    i = _index(start)
    if i is None:
        return None
    ordinals = _span()[1]
    # forwards: the first day whose ordinal reaches start's + count is that working day;
    # backwards: the k-th working day before start has the ordinal of the day before start - k + 1
    target = ordinals[i] + count if count > 0 else (ordinals[i - 1] if i else 0) + count + 1
    if target < 1:
        return None
    j = bisect_left(ordinals, target)
    return SPAN_FIRST + timedelta(days=j) if j < len(ordinals) else None


def _add_by_walking(start: date, count: int) -> date:
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
    if is_workday(day):
        return day
    return add_workdays(day, 1)


def workdays_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier).

    Backwards the count runs from the day before ``start`` down to ``end`` included.
    """
    one = timedelta(days=1)
    first, last = (
        (ordinal(start), ordinal(end)) if end >= start else (ordinal(start - one), ordinal(end - one))
    )
    if first is not None and last is not None:
        return last - first
    if end == start:
        return 0
    step = 1 if end > start else -1
    count, day = 0, start
    while day != end:
        day += timedelta(days=step)
        if is_workday(day):
            count += step
    return count


def calendar_rows(first: date, last: date) -> Iterator[dict[str, object]]:
    """Rows of the ``workdays`` table for ``first``..``last``: day, is_workday, ordinal.

    The ordinal counts working days from the start of the span through the day, so "N working
    days after X" in SQL is the working day whose ordinal is X's plus N.
    """
    day = max(first, SPAN_FIRST)
    end = min(last, SPAN_LAST)
    flags, ordinals = _span()
    while day <= end:
        i = (day - SPAN_FIRST).days
        yield {"day": day, "is_workday": bool(flags[i]), "ordinal": int(ordinals[i])}
        day += timedelta(days=1)
