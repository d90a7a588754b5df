"""汇总 (tallies): the running totals the database keeps for the dashboard.

Database triggers (migration ``0027_running_totals``) keep the ``tally_*`` tables as tasks, parts
and reports are written, so the dashboard counts a ledger of any size from a row or two per
document and unit: how many, 办结 and closed from ``tally_totals``; what is late before the month of
``as_of`` from the running count in ``tally_late``; the month of ``as_of`` and the yellow window
from the tasks themselves (a month's worth, by the (late_on, document) index) and, per unit, from
its parts counted by late day (``tally_late_days``).
A unit's tasks in each role, ``tally_assigned`` (migration ``0034_assigned_by_unit``), are counted
the same way for its listings (``unit_pages.count_statement``).
``rebuild`` counts the tables again for a loader that writes with the triggers off
(``bench/ledger_gen.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..ledger import cycles
from ..ledger.status import CLOSED, DONE
from ..storage.alongside import executing_alongside
from ..storage.tables import (
    ANY_ROLE,
    assignments,
    parts,
    reports,
    tally_answered,
    tally_answers,
    tally_assigned,
    tally_late,
    tally_late_days,
    tally_owing,
    tally_reports,
    tally_statuses,
    tally_totals,
    tally_unit_tasks,
    tasks,
)
from . import bulk_counts

DOCUMENT = "document"  # tasks of a document
UNIT = "unit"  # parts of a unit
_SOURCES = {DOCUMENT: (tasks, tasks.c.document_id), UNIT: (parts, parts.c.unit_id)}
_CLOSED = sorted(CLOSED)  # statuses of work no longer owed


def late_month(day: date | None) -> int:
    """The month key of a late day: year * 12 + month - 1, 0 when there is none."""
    return 0 if day is None else day.year * 12 + day.month - 1


def month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


@dataclass
class Standing:
    """One document's tasks or one unit's parts: how many, 办结 (``done``), closed (办结 or 撤销,
    ``closed``), late / due within the window."""

    total: int = 0
    done: int = 0
    closed: int = 0
    red: int = 0
    yellow: int = 0


def scope_standing(conn: Connection, scope: str, today: date, window_end: date) -> dict[int, Standing]:
    """Per document (``DOCUMENT``) or unit (``UNIT``) with any rows: rows, 办结, closed, late on
    ``today`` (``late_on <= today``) and falling due within the window (``today < late_on <= window_end``)."""
    return {
        scope_id: Standing(total, done, closed, red, yellow)
        for scope_id, total, done, closed, red, yellow in conn.execute(
            _standing(conn, scope, today, window_end)
        )
    }


@dataclass
class Ranking:
    """The documents or units with any rows: how many (``count``), their figures summed (``sums``)
    and the worst ``limit`` of them (most late, then most rows, then by id)."""

    count: int
    sums: Standing
    worst: list[tuple[int, Standing]]


def worst_standing(conn: Connection, scope: str, today: date, window_end: date, limit: int) -> Ranking:
    """:func:`scope_standing` ranked and summed by the database: a page of rows crosses to the
    client, not one per document (reading 5,000 rows into Python cost more than counting them)."""
    # materialised: PostgreSQL would otherwise look each running count up once per use of ``red``
    each = (
        _standing(conn, scope, today, window_end)
        .cte("standing")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    place = sa.func.row_number().over(order_by=(each.c.red.desc(), each.c.total.desc(), each.c.scope_id))
    summed = [sa.func.sum(column).over() for column in (each.c.total, each.c.done, each.c.closed)]
    summed += [sa.func.sum(column).over() for column in (each.c.red, each.c.yellow)]
    ranked = sa.select(each, place.label("place"), sa.func.count().over().label("scopes"), *summed).subquery()
    query = sa.select(ranked).where(ranked.c.place <= limit).order_by(ranked.c.place)
    count, sums, worst = 0, Standing(), []
    for scope_id, total, done, closed, red, yellow, _place, scopes, *totals in conn.execute(query):
        count, sums = int(scopes), Standing(*(int(n) for n in totals))
        worst.append((scope_id, Standing(total, done, closed, red, yellow)))
    return Ranking(count, sums, worst)


def _standing(conn: Connection, scope: str, today: date, window_end: date) -> sa.Select[Any]:
    """(scope id, total, done, closed, red, yellow) of each document or unit with any rows.

    A row of ``tally_totals`` per document or unit, and what was late before the month of ``today``
    (``_late_before``). The month of ``today`` and the window after it come from the rows (``_recent``)."""
    first = month_start(today)
    late_before, months = _late_before(conn, scope, late_month(first) - 1)
    recent = _recent(scope, first, today, window_end).subquery()
    late_now = sa.func.coalesce(recent.c.late, 0)
    return (
        sa.select(
            tally_totals.c.scope_id,
            tally_totals.c.total,
            tally_totals.c.done,
            tally_totals.c.closed,
            (late_before + late_now).label("red"),
            (sa.func.coalesce(recent.c.n, 0) - late_now).label("yellow"),
        )
        .select_from(months.outerjoin(recent, recent.c.scope_id == tally_totals.c.scope_id))
        .where(tally_totals.c.scope == scope, tally_totals.c.total != 0)
    )


def _late_before(conn: Connection, scope: str, month: int) -> tuple[sa.ColumnElement[int], sa.FromClause]:
    """The running count of late rows up to ``month`` of each row of ``tally_totals``, and the
    joins it needs.

    The count is the ``upto`` of the scope's latest month up to ``month``. Most documents have a row
    in that month or the one before, which the (scope, month) index gives as two ranges joined in
    one pass; the others are looked up by the key one by one (5,000 such lookups took 40-80 ms at a
    million tasks). Months after the ledger's last are read as its last, and none before its first."""
    low, high = conn.execute(
        sa.select(
            *(
                sa.select(bound(tally_late.c.late_month)).where(tally_late.c.scope == scope).scalar_subquery()
                for bound in (sa.func.min, sa.func.max)
            )
        )
    ).one()
    if low is None or month < low:
        return sa.literal_column("0"), tally_totals
    month = min(month, high)
    nearest = (
        sa.select(tally_late.c.upto)
        .where(
            tally_late.c.scope == scope,
            tally_late.c.scope_id == tally_totals.c.scope_id,
            tally_late.c.late_month <= month,
        )
        .order_by(tally_late.c.late_month.desc())
        .limit(1)
        .scalar_subquery()
    )
    joined: sa.FromClause = tally_totals
    found: list[Any] = []
    for step, at in enumerate((month, month - 1)):
        row = tally_late.alias(f"late_{step}")
        joined = joined.outerjoin(
            row,
            sa.and_(row.c.scope == scope, row.c.scope_id == tally_totals.c.scope_id, row.c.late_month == at),
        )
        found.append(row.c.upto)
    # coalesce looks a row up only when neither month has one
    return sa.func.coalesce(*found, nearest, 0), joined


def _recent(scope: str, first: date, today: date, window_end: date) -> sa.Select[Any]:
    """(scope id, late by ``today``, late by ``window_end``) of the rows late from ``first`` on."""
    if scope == UNIT:
        days = tally_late_days
        late = sa.func.sum(sa.case((days.c.late_on <= today, days.c.n), else_=0))
        return (
            sa.select(days.c.scope_id, late.label("late"), sa.func.sum(days.c.n).label("n"))
            .where(days.c.scope == UNIT, days.c.late_on >= first, days.c.late_on <= window_end)
            .group_by(days.c.scope_id)
        )
    table, column = _SOURCES[scope]
    late = sa.func.sum(sa.case((table.c.late_on <= today, 1), else_=0))
    return (
        sa.select(column.label("scope_id"), late.label("late"), sa.func.count().label("n"))
        .where(table.c.late_on >= first, table.c.late_on <= window_end)
        .group_by(column)
    )


def status_counts(conn: Connection) -> dict[str, int]:
    """The ledger's tasks by status."""
    query = sa.select(tally_statuses.c.status, tally_statuses.c.n).where(tally_statuses.c.scope == DOCUMENT)
    return {status: int(n) for status, n in conn.execute(query) if n}


@dataclass
class Owing:
    """A cycle's open tasks that no progress report answered for a period: how many (``n``), how
    many of them are neither late nor due within the window (``calm``), and that calm count for
    each document asked about (``calm_of``)."""

    n: int = 0
    calm: int = 0
    calm_of: dict[int, int] = field(default_factory=dict)


def owing(conn: Connection, rule: str, period: str, window_end: date, documents: Collection[int]) -> Owing:
    """The open tasks under ``rule`` that no progress report answered for ``period`` (a label such
    as 2022-05), summed by the database, with the calm ones of each of ``documents`` on their own.

    The open tasks of the cycle come from ``tally_owing``, less the ones answered for the period
    from ``tally_answered``: rows per document and month, whatever the size of the ledger. Only the
    month of the window's end is read from the tasks themselves, when the tallies hold any."""
    edge = late_month(window_end)
    sides = []
    for table, sign in ((tally_owing, 1), (tally_answered, -1)):
        side = sa.select(
            _one_of(table.c.document_id, documents),
            (table.c.n * sign).label("n"),
            table.c.late_month,
        ).where(table.c.recurrence == rule)
        sides.append(side.where(table.c.period == period) if table is tally_answered else side)
    both = sa.union_all(*sides).subquery()
    calm_month = sa.or_(both.c.late_month == 0, both.c.late_month > edge)
    query = sa.select(
        both.c.document_id,
        sa.func.sum(both.c.n),
        sa.func.sum(sa.case((calm_month, both.c.n), else_=0)),
        sa.func.sum(sa.case((both.c.late_month == edge, both.c.n), else_=0)),
    ).group_by(both.c.document_id)
    found, in_edge_month = Owing(), 0
    for doc, n, calm, edge_n in conn.execute(query):
        found.n += int(n)
        found.calm += int(calm)
        in_edge_month += int(edge_n)
        if doc is not None:
            found.calm_of[doc] = int(calm)
    if in_edge_month:
        _add_calm_in_edge_month(conn, found, rule, period, window_end, documents)
    return found


def _one_of(column: sa.ColumnElement[int], documents: Collection[int]) -> sa.ColumnElement[Any]:
    """The document id when it is one of ``documents``, else null: grouped by it, the rest of the
    ledger sums into one row."""
    return sa.case((column.in_(list(documents)), column), else_=sa.null()).label("document_id")


def _add_calm_in_edge_month(
    conn: Connection, found: Owing, rule: str, period: str, window_end: date, documents: Collection[int]
) -> None:
    """Count as calm the cycle's open tasks not answered for ``period`` that fall late in the
    month of ``window_end`` but after it: the tallies count by month, the window ends on a day."""
    answered = (
        sa.select(tally_answers.c.task_id)
        .where(tally_answers.c.task_id == tasks.c.id, tally_answers.c.period == period)
        .exists()
    )
    after_window = (
        sa.select(_one_of(tasks.c.document_id, documents), sa.case((answered, 0), else_=1).label("n"))
        .where(
            tasks.c.recurrence == rule,
            tasks.c.status.not_in(_CLOSED),
            tasks.c.late_on > window_end,
            tasks.c.late_on < _next_month(window_end),
        )
        .subquery()
    )
    query = sa.select(after_window.c.document_id, sa.func.sum(after_window.c.n)).group_by(
        after_window.c.document_id
    )
    for doc, n in conn.execute(query):
        found.calm += int(n or 0)
        if doc is not None:
            found.calm_of[doc] = found.calm_of.get(doc, 0) + int(n or 0)


def reports_by_day(conn: Connection, start: date, end: date) -> list[tuple[date, int, int]]:
    """(day, reports sent that day, the sum of their percents) for the days from ``start`` to ``end``."""
    query = sa.select(tally_reports.c.submitted_on, tally_reports.c.n, tally_reports.c.percent_sum).where(
        tally_reports.c.submitted_on >= start, tally_reports.c.submitted_on <= end, tally_reports.c.n > 0
    )
    return [(day, int(n), int(total)) for day, n, total in conn.execute(query)]


TABLES = (
    tally_totals,
    tally_statuses,
    tally_late,
    tally_late_days,
    tally_owing,
    tally_reports,
    tally_answers,
    tally_answered,
    tally_assigned,
    tally_unit_tasks,
)


def answered_labels(period: str | None, day: date) -> list[str]:
    """The period labels a progress report answers: the one it names, else the period of each
    frequency ``day`` falls in (labels of different frequencies never look alike)."""
    if period is not None:
        return [period]
    return [cycles.period_containing(frequency, day).label for frequency in cycles.FREQUENCIES]


def counted(conn: Connection, pairs: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Every tally row as it should be, counted from the tasks, parts, reports and assignments
    themselves (``pairs=False``: no row of ``tally_unit_tasks``, one per unit and task)."""
    out: dict[str, list[dict[str, Any]]] = {
        "tally_totals": [],
        "tally_late": [],
        "tally_late_days": [],
        "tally_statuses": [],
        "tally_owing": [],
        "tally_reports": [],
        "tally_answers": [],
        "tally_answered": [],
        "tally_assigned": [],
        "tally_unit_tasks": [],
    }
    out["tally_assigned"], out["tally_unit_tasks"] = _assigned(conn, pairs)
    for scope, (table, column) in _SOURCES.items():
        totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        months: dict[tuple[int, int], int] = defaultdict(int)
        days: dict[tuple[int, date], int] = defaultdict(int)
        grouped = sa.select(column, table.c.status, table.c.late_on, sa.func.count()).group_by(
            column, table.c.status, table.c.late_on
        )
        for scope_id, status, day, n in conn.execute(grouped):
            entry = totals[scope_id]
            entry[0] += n
            entry[1] += n if status == DONE else 0
            entry[2] += n if status in CLOSED else 0
            if day is not None:
                months[(scope_id, late_month(day))] += n
                if scope == UNIT:
                    days[(scope_id, day)] += n
        out["tally_totals"] += [
            {"scope": scope, "scope_id": k, "total": t, "done": d, "closed": c}
            for k, (t, d, c) in totals.items()
        ]
        out["tally_late_days"] += [
            {"scope": scope, "scope_id": k, "late_on": day, "n": n} for (k, day), n in days.items()
        ]
        running: dict[int, int] = defaultdict(int)
        for (scope_id, month), n in sorted(months.items()):
            running[scope_id] += n
            out["tally_late"].append(
                {"scope": scope, "scope_id": scope_id, "late_month": month, "n": n, "upto": running[scope_id]}
            )
    by_status = sa.select(tasks.c.status, sa.func.count()).group_by(tasks.c.status)
    out["tally_statuses"] = [{"scope": DOCUMENT, "status": s, "n": n} for s, n in conn.execute(by_status)]
    owing: dict[tuple[int, str, int], int] = defaultdict(int)
    open_recurring = (
        sa.select(tasks.c.document_id, tasks.c.recurrence, tasks.c.late_on, sa.func.count())
        .where(tasks.c.recurrence.is_not(None), tasks.c.status.not_in(_CLOSED))
        .group_by(tasks.c.document_id, tasks.c.recurrence, tasks.c.late_on)
    )
    for doc, rule, day, n in conn.execute(open_recurring):
        owing[(doc, rule, late_month(day))] += n
    out["tally_owing"] = [
        {"document_id": d, "recurrence": r, "late_month": m, "n": n} for (d, r, m), n in owing.items()
    ]
    by_day = sa.select(reports.c.submitted_on, sa.func.count(), sa.func.sum(reports.c.percent)).group_by(
        reports.c.submitted_on
    )
    out["tally_reports"] = [
        {"submitted_on": day, "n": n, "percent_sum": int(total or 0)}
        for day, n, total in conn.execute(by_day)
    ]
    out["tally_answers"], out["tally_answered"] = _answered(conn)
    return out


def _assigned(conn: Connection, pairs: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of ``tally_assigned`` and (when ``pairs``) ``tally_unit_tasks``, counted from the assignments."""
    a = assignments.c
    by_role = sa.select(a.unit_id, a.role, sa.func.count()).group_by(a.unit_id, a.role)
    rows = [{"unit_id": u, "role": r, "n": n} for u, r, n in conn.execute(by_role)]
    any_role = sa.select(a.unit_id, sa.func.count(sa.distinct(a.task_id))).group_by(a.unit_id)
    rows += [{"unit_id": u, "role": ANY_ROLE, "n": n} for u, n in conn.execute(any_role)]
    if not pairs:
        return rows, []
    return rows, [{"unit_id": u, "task_id": t, "n": n} for u, t, n in conn.execute(_unit_task_pairs())]


def _unit_task_pairs() -> sa.Select[Any]:
    """Each unit and task with the number of roles the unit holds in it (the rows of ``tally_unit_tasks``)."""
    a = assignments.c
    return sa.select(a.unit_id, a.task_id, sa.func.count()).group_by(a.unit_id, a.task_id)


def _answered(conn: Connection) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of ``tally_answers`` and ``tally_answered``, counted from the reports and tasks."""
    answers: dict[tuple[int, str], int] = defaultdict(int)
    progress = sa.select(reports.c.task_id, reports.c.period, reports.c.submitted_on).where(
        reports.c.kind == "progress"
    )
    for task_id, period, day in conn.execute(progress):
        for label in answered_labels(period, day):
            answers[(task_id, label)] += 1
    periods: dict[int, list[str]] = defaultdict(list)
    for task_id, label in answers:
        periods[task_id].append(label)
    answered: dict[tuple[str, str, int, int], int] = defaultdict(int)
    open_recurring = sa.select(tasks.c.id, tasks.c.recurrence, tasks.c.document_id, tasks.c.late_on).where(
        tasks.c.recurrence.is_not(None), tasks.c.status.not_in(_CLOSED)
    )
    for task_id, rule, doc, day in conn.execute(open_recurring):
        for label in periods.get(task_id, ()):
            answered[(rule, label, doc, late_month(day))] += 1
    return (
        [{"task_id": t, "period": p, "n": n} for (t, p), n in answers.items()],
        [
            {"recurrence": r, "period": p, "document_id": d, "late_month": m, "n": n}
            for (r, p, d, m), n in answered.items()
        ],
    )


_COUNT_NOW = "SET CONSTRAINTS ALL IMMEDIATE"  # the deferred triggers run now, then each write at once


def count_own_writes(conn: Connection) -> None:
    """Bring the running totals up to the transaction's own writes so far.

    On PostgreSQL the triggers count a transaction's writes as it commits (migration
    ``0032_totals_at_commit``): a transaction that reads the totals after writing, or rewrites
    them, has its writes counted first, and every later write at once. SQLite counts at once anyway.
    """
    if conn.dialect.name == "postgresql":
        bulk_counts.count_waiting(conn)  # before the triggers fire: they skip the rows it counts
        conn.execute(sa.text(_COUNT_NOW))
        bulk_counts.counting_at_once(conn)


@contextmanager
def counting_own_writes_alongside(conn: Connection) -> Iterator[None]:
    """:func:`count_own_writes` while the block computes: on PostgreSQL the server counts the
    transaction's writes meanwhile (``storage.alongside``), and the block must not use ``conn``."""
    if conn.dialect.name != "postgresql":
        yield
        return
    # one round trip: the rows written in bulk, then the triggers (which skip those rows)
    sql = f"{bulk_counts.COUNT}; {_COUNT_NOW}" if bulk_counts.waiting(conn) else _COUNT_NOW
    with executing_alongside(conn, sql):
        yield
    bulk_counts.counting_at_once(conn)


def rebuild(conn: Connection) -> None:
    """Count the tallies again from every task, part and report (after writes made with the triggers off)."""
    count_own_writes(conn)  # writes counted later would be counted twice
    rows = counted(conn, pairs=False)
    for table in TABLES:
        conn.execute(table.delete())
        if table is tally_unit_tasks:  # a row per unit and task: counted by the database, not read
            conn.execute(table.insert().from_select(["unit_id", "task_id", "n"], _unit_task_pairs()))
            continue
        found = rows[table.name]
        for start in range(0, len(found), 10_000):
            conn.execute(table.insert(), found[start : start + 10_000])
