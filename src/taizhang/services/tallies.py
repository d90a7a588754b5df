"""汇总 (tallies): tasks per document and parts per unit by status and month of their late day.

Database triggers (migration ``0018_tallies``) keep the ``tallies`` table as tasks and parts are
written, so the dashboard counts a ledger of any size from a few rows per document and unit: the
months before ``as_of`` from the tallies, the month of ``as_of`` and the yellow window from the
rows themselves (a month's worth, by the (late_on, document) and (late_on, unit) indexes).
``scope_standing`` gives those counts; ``rebuild`` makes the table again for a loader that writes
with the triggers off (``bench/ledger_gen.py``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..ledger.status import CLOSED, DONE
from ..storage.tables import parts, tallies, tasks

DOCUMENT = "document"  # tasks of a document
UNIT = "unit"  # parts of a unit
_SOURCES = {DOCUMENT: (tasks, tasks.c.document_id), UNIT: (parts, parts.c.unit_id)}


def late_month(day: date | None) -> int:
    """The month key of a late day: year * 12 + month - 1, 0 when there is none."""
    return 0 if day is None else day.year * 12 + day.month - 1


def month_start(day: date) -> date:
    return day.replace(day=1)


@dataclass
class Standing:
    """One document's tasks or one unit's parts: how many, 办结 (``done``), closed (办结 or 撤销,
    ``closed``), late / due within the window."""

    total: int = 0
    done: int = 0
    closed: int = 0
    red: int = 0
    yellow: int = 0


def _of_status(wanted: sa.ColumnElement[bool]) -> sa.ColumnElement[Any]:
    return sa.func.sum(sa.case((wanted, tallies.c.n), else_=0))


def scope_standing(conn: Connection, scope: str, today: date, window_end: date) -> dict[int, Standing]:
    """Per document (``DOCUMENT``) or unit (``UNIT``): rows, 办结, closed, late on ``today``
    (``late_on <= today``) and falling due within the window (``today < late_on <= window_end``).

    Summed per document or unit by the database: a row each, not one per status and month."""
    table, column = _SOURCES[scope]
    first = month_start(today)
    out: dict[int, Standing] = {}
    before = sa.and_(tallies.c.late_month > 0, tallies.c.late_month < late_month(first))
    query = (
        sa.select(
            tallies.c.scope_id,
            sa.func.sum(tallies.c.n),
            _of_status(tallies.c.status == DONE),
            _of_status(tallies.c.status.in_(sorted(CLOSED))),
            _of_status(before),
        )
        .where(tallies.c.scope == scope)
        .group_by(tallies.c.scope_id)
    )
    for scope_id, n, done, closed, late_before in conn.execute(query):
        out[scope_id] = Standing(int(n), int(done or 0), int(closed or 0), int(late_before or 0))
    # the month of ``today`` and the window after it, from the rows: at most a month and a window's worth
    late = sa.func.sum(sa.case((table.c.late_on <= today, 1), else_=0))
    recent = (
        sa.select(column, late, sa.func.count())
        .where(table.c.late_on >= first, table.c.late_on <= window_end)
        .group_by(column)
    )
    for scope_id, red, n in conn.execute(recent):
        entry = out.get(scope_id)
        if entry is None:  # only if the tallies were not kept (a loader with the triggers off)
            entry = out[scope_id] = Standing()
        entry.red += int(red or 0)
        entry.yellow += n - int(red or 0)
    return out


def status_counts(conn: Connection, scope: str) -> dict[str, int]:
    """Rows of every document (``DOCUMENT``) or unit (``UNIT``) by status."""
    query = (
        sa.select(tallies.c.status, sa.func.sum(tallies.c.n))
        .where(tallies.c.scope == scope)
        .group_by(tallies.c.status)
    )
    return {status: int(n) for status, n in conn.execute(query) if n}


def rebuild(conn: Connection) -> None:
    """Count the tallies again from every task and part (after writes made with the triggers off)."""
    conn.execute(tallies.delete())
    for scope, (table, column) in _SOURCES.items():
        counts: dict[tuple[int, str, int], int] = defaultdict(int)
        grouped = sa.select(column, table.c.status, table.c.late_on, sa.func.count()).group_by(
            column, table.c.status, table.c.late_on
        )
        for scope_id, status, day, n in conn.execute(grouped):
            counts[(scope_id, status, late_month(day))] += n
        rows = [
            {"scope": scope, "scope_id": k[0], "status": k[1], "late_month": k[2], "n": n}
            for k, n in counts.items()
        ]
        for start in range(0, len(rows), 10_000):
            conn.execute(tallies.insert(), rows[start : start + 10_000])
