"""The working-day calendar (工作日历) in the database: "the N-th working day after X" by one lookup.

The ``workdays`` table holds ``taizhang.workdays``'s calendar with an ordinal per day; a day the
table does not hold (a settings' ``as_of`` range wider than the migration filled) is counted by
``taizhang.workdays`` itself, which gives the same answer.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..storage.tables import workdays
from ..workdays import add_workdays


def workday_after(conn: Connection, day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself not counted); ``count`` ≥ 0."""
    if count <= 0:
        return day
    base = sa.select(workdays.c.ordinal).where(workdays.c.day == day).scalar_subquery()
    found = conn.execute(
        sa.select(workdays.c.day).where(workdays.c.ordinal == base + count, workdays.c.is_workday)
    ).scalar()
    return found if found is not None else add_workdays(day, count)
