"""Read side of the dashboard (领导看板): counts, due and overdue lists, progress over time.

Plain SQL to plain dicts, no domain objects. Warning lights are the ledger's rule
(:mod:`taizhang.ledger.warnings`): red when overdue, yellow when due within N working days or
when a report owed under the task's reporting cycle is missing, green otherwise, grey when done.

Counted by aggregate SQL, never by reading tasks: each task and each part stores the day it turns
late (``late_on``, by ``ledger.standing``), so on any ``as_of`` red is ``late_on <= as_of`` and
due within the yellow window is ``late_on`` up to the window's end, which the ``workdays`` table
gives by one lookup. Per document and per unit the months before ``as_of`` come from the running
totals the database keeps (``services.tallies``), the month of ``as_of`` from the rows; the tasks
owing a report from the open tasks of each cycle it keeps, less those it keeps as answered.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..ledger import cycles
from ..ledger.warnings import TaskFacts, TaskWarning, warning
from ..storage.tables import assignments, documents, reports, tally_answers, tasks, units
from . import tallies
from .calendar import workday_after

DONE = "已完成"  # 办结
CANCELLED = "已撤销"
DUE_SOON_WORKING_DAYS = 10
PROGRESS_WEEKS = 12


def _reported_periods(conn: Connection, task_ids: list[int] | None = None) -> dict[int, set[str]]:
    """Per task with a reporting cycle, the periods its progress reports answer.

    A report names its period when the unit gave one; otherwise it answers the period of the
    day it was submitted on (a 每月25日前 report sent on 20 May answers 2022-05).
    """
    rows = conn.execute(
        sa.select(reports.c.task_id, reports.c.period, reports.c.submitted_on, tasks.c.recurrence)
        .join(tasks, tasks.c.id == reports.c.task_id)
        .where(
            reports.c.kind == "progress",
            tasks.c.recurrence.is_not(None),
            *([reports.c.task_id.in_(task_ids)] if task_ids is not None else []),
        )
    )
    found: dict[int, set[str]] = defaultdict(set)
    for r in rows:
        if r.period:
            found[r.task_id].add(r.period)
        elif cycles.is_rule(r.recurrence):
            found[r.task_id].add(cycles.period_containing(r.recurrence, r.submitted_on).label)
    return found


def task_light(row: dict[str, Any], today: date, warn_days: int, reported: set[str]) -> TaskWarning:
    """The warning light (colour red/yellow/green/grey, reason, missing periods) of one task row."""
    facts = TaskFacts(
        status=row["status"],
        deadline_kind=row["deadline_kind"],
        due=row["due_on"],
        recurrence=row["recurrence"],
    )
    return _light(facts, today, warn_days, frozenset(reported))


@lru_cache(maxsize=4096)
def _light(facts: TaskFacts, today: date, warn_days: int, reported: frozenset[str]) -> TaskWarning:
    # Tasks share few distinct (status, deadline, cycle) facts, and counting working days is the
    # costly part: a ledger of 100,000 tasks needs a few hundred of these, not 100,000.
    return warning(facts, today, warn_days, reported)


def lights_for(
    conn: Connection, rows: list[dict[str, Any]], today: date, warn_days: int = 5
) -> dict[int, TaskWarning]:
    """The warning light of each task in ``rows`` (dicts with status, deadline_kind, due_on, recurrence)."""
    reported = _reported_periods(conn, [r["id"] for r in rows])
    return {r["id"]: task_light(r, today, warn_days, reported.get(r["id"], set())) for r in rows}


def _brief(row: dict[str, Any]) -> dict[str, Any]:
    keep = (
        "id",
        "title",
        "status",
        "percent",
        "due_on",
        "deadline_text",
        "doc_number",
        "units",
        "colour",
        "reason",
    )
    return {k: row[k] for k in keep}


def progress_over_time(conn: Connection, today: date, weeks: int = PROGRESS_WEEKS) -> list[dict[str, Any]]:
    """Per ISO week up to ``today``: reports received and the mean percent they stated (from the
    reports counted by day, ``tally_reports``)."""
    start = today - timedelta(weeks=weeks - 1, days=today.weekday())
    weekly: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for day, n, total in tallies.reports_by_day(conn, start, today):
        week = weekly[day - timedelta(days=day.weekday())]
        week[0] += n
        week[1] += total
    series = []
    for i in range(weeks):
        monday = start + timedelta(weeks=i)
        n, total = weekly.get(monday, (0, 0))
        series.append(
            {
                "week": monday.isoformat(),
                "reports": n,
                "mean_percent": round(total / n, 1) if n else None,
            }
        )
    return series


LIST_LIMIT = 20  # the first rows of each list; the counts say how many there are
DOCUMENT_LIMIT = 50  # documents in the tally, worst first
UNIT_LIMIT = 100  # units in the tally, worst first
FINISHED = (DONE, CANCELLED)


def _window_end(conn: Connection, today: date, warn_days: int) -> date:
    """The last ``late_on`` of work due within ``warn_days`` working days of ``today`` (the yellow window).

    Due within the window means a due day up to the day before the (warn_days + 1)-th working day
    after ``today``; ``late_on`` is the day after the due day.
    """
    return workday_after(conn, today, warn_days + 1)


def _cycles() -> sa.Select[Any]:
    """The distinct reporting cycles of the ledger, found by stepping through the cycle index from
    one value to the next (a recursive query): PostgreSQL read every recurring task for DISTINCT,
    90 ms at a million tasks, where the steps are a few index lookups."""
    first = sa.select(sa.func.min(tasks.c.recurrence).label("rule")).where(tasks.c.recurrence.is_not(None))
    found = first.cte("cycles", recursive=True)
    following = sa.select(sa.func.min(tasks.c.recurrence)).where(tasks.c.recurrence > found.c.rule)
    found = found.union_all(sa.select(following.scalar_subquery()).where(found.c.rule.is_not(None)))
    return sa.select(found.c.rule).where(found.c.rule.is_not(None))


_CYCLES = _cycles()


def _owed(conn: Connection, today: date) -> list[tuple[str, str]]:
    """Each reporting cycle whose latest period due before ``today`` has passed, with that
    period's label (the tasks answered in it are kept in ``tally_answers``).

    The dashboard judges a cycle without its start day: only that latest period counts (the rule
    of ``ledger.warnings``). A report answers the period it names, or the one it was sent in.
    """
    rules = [r for r in conn.execute(_CYCLES).scalars().all() if cycles.is_rule(r)]
    owed = []
    for rule in rules:
        collecting = cycles.current_period(rule, today)
        latest = cycles.period_containing(rule, collecting.start - timedelta(days=1))
        if latest.due >= today:
            continue
        owed.append((rule, latest.label))
    return owed


def _tally(rows: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda e: (-e["red"], -e["total"], str(e["name"])))[:limit]


def _by_unit(conn: Connection, today: date, window_end: date) -> tuple[list[dict[str, Any]], int]:
    """Per unit, its own parts (``ledger.standing``): how many, 办结, late, due within the window."""
    standing = tallies.scope_standing(conn, tallies.UNIT, today, window_end)
    names = dict(conn.execute(sa.select(units.c.id, units.c.name)).all())
    rows = [
        {
            "name": names.get(unit_id),
            "total": s.total,
            "done": s.done,
            "red": s.red,
            "yellow": s.yellow,
        }
        for unit_id, s in standing.items()
        if s.total
    ]
    return _tally(rows, UNIT_LIMIT), len(rows)


def _leading_assignments() -> sa.Select[Any]:
    """(task, unit) for each task's first-named units: its lead units, else its responsible ones."""
    lead = assignments.alias("lead")
    has_lead = sa.exists().where(lead.c.task_id == assignments.c.task_id, lead.c.role == "lead")
    return sa.select(assignments.c.task_id, assignments.c.unit_id).where(
        sa.or_(assignments.c.role == "lead", sa.and_(assignments.c.role == "responsible", ~has_lead))
    )


def _listed(
    conn: Connection,
    condition: sa.ColumnElement[bool],
    order: Any,
    today: date,
    warning_days: int,
    limit: int,
) -> list[dict[str, Any]]:
    """The first ``limit`` tasks meeting ``condition`` in ``order``, with their light and units."""
    query = _LIST_COLUMNS.where(condition).order_by(order, tasks.c.id).limit(limit)
    return _lit(conn, [dict(r._mapping) for r in conn.execute(query)], today, warning_days)


# A list's rows read their document's number by primary key rather than by a join: with ``tasks``
# alone in FROM the planner can walk the list's order index and stop after one page.
_LIST_COLUMNS = sa.select(
    tasks.c.id,
    tasks.c.title,
    tasks.c.status,
    tasks.c.percent,
    tasks.c.due_on,
    tasks.c.deadline_text,
    tasks.c.deadline_kind,
    tasks.c.recurrence,
    sa.select(documents.c.doc_number)
    .where(documents.c.id == tasks.c.document_id)
    .scalar_subquery()
    .label("doc_number"),
)


def _missing_listed(
    conn: Connection, owed: list[tuple[str, str]], today: date, warning_days: int, limit: int
) -> list[dict[str, Any]]:
    """The first ``limit`` tasks owing a report: dated ones by due day, then undated ones by id.

    Each cycle's tasks are walked in the order of ``ix_tasks_recurrence_due`` (cycle, due day, id),
    each task's answered periods probed by key (``NOT EXISTS`` in ``tally_answers``), and the walk
    stops after ``limit``: sorting every task owing (a tenth of a ledger with monthly reports) grew
    with the ledger, and probing the reports read every report of the ledger when few tasks owed.
    """
    dated: list[dict[str, Any]] = []
    undated: list[dict[str, Any]] = []
    for rule, period in owed:
        answered = sa.select(tally_answers.c.task_id).where(
            tally_answers.c.task_id == tasks.c.id, tally_answers.c.period == period
        )
        owing = sa.and_(tasks.c.recurrence == rule, tasks.c.status.not_in(FINISHED), ~answered.exists())
        for found, due, order in (
            (dated, tasks.c.due_on.is_not(None), tasks.c.due_on),
            (undated, tasks.c.due_on.is_(None), tasks.c.id),
        ):
            query = _LIST_COLUMNS.where(owing, due).order_by(order, tasks.c.id).limit(limit)
            found.extend(dict(r._mapping) for r in conn.execute(query))
    dated.sort(key=lambda r: (r["due_on"], r["id"]))
    undated.sort(key=lambda r: r["id"])
    return _lit(conn, (dated + undated)[:limit], today, warning_days)


def _lit(
    conn: Connection, rows: list[dict[str, Any]], today: date, warning_days: int
) -> list[dict[str, Any]]:
    """List rows with their light and first-named units, cut to the fields the dashboard shows."""
    if not rows:
        return rows
    lights = lights_for(conn, rows, today, warning_days)
    ids = [r["id"] for r in rows]
    leading = (
        _leading_assignments()
        .add_columns(units.c.name)
        .join(units, units.c.id == assignments.c.unit_id)
        .where(assignments.c.task_id.in_(ids))
        .order_by(assignments.c.task_id, assignments.c.position)
    )
    units_of: dict[int, list[str]] = defaultdict(list)
    for task_id, _unit_id, name in conn.execute(leading):
        units_of[task_id].append(name)
    for row in rows:
        light = lights[row["id"]]
        row.update(colour=light.colour, reason=light.reason, units=units_of.get(row["id"], []))
    return [_brief(r) for r in rows]


def _task_counts(
    conn: Connection, today: date, window_end: date, owed: list[tuple[str, str]]
) -> dict[str, Any]:
    """Counts by status, light and document: the tallies, the rows of the month of ``today``, and
    the tasks owing each cycle's report, summed by the database; per document only the worst
    ``DOCUMENT_LIMIT`` the dashboard lists."""
    by_status = tallies.status_counts(conn)
    ranking = tallies.worst_standing(conn, tallies.DOCUMENT, today, window_end, DOCUMENT_LIMIT)
    s = ranking.sums
    by_colour = {
        "red": s.red,  # finished work stores no late day
        "yellow": s.yellow,
        "green": s.total - s.closed - s.red - s.yellow,
        "grey": s.closed,
    }
    per_document = {
        document_id: {"total": d.total, "done": d.done, "red": d.red, "yellow": d.yellow}
        for document_id, d in ranking.worst
    }
    # a report owed and missing turns an otherwise green (calm) task yellow
    missing_count = 0
    for rule, period in owed:
        found = tallies.owing(conn, rule, period, window_end, per_document)
        missing_count += found.n
        by_colour["green"] -= found.calm
        by_colour["yellow"] += found.calm
        for document_id, calm_n in found.calm_of.items():
            per_document[document_id]["yellow"] += calm_n
    return {
        "by_status": dict(by_status),
        "by_colour": by_colour,
        "per_document": per_document,
        "documents_count": ranking.count,
        "missing_count": missing_count,
    }


def _by_document(conn: Connection, per_document: dict[int, dict[str, int]]) -> list[dict[str, Any]]:
    worst = _tally([{"id": doc_id, "name": None, **c} for doc_id, c in per_document.items()], DOCUMENT_LIMIT)
    names = {
        row.id: row.doc_number or row.title
        for row in conn.execute(
            sa.select(documents.c.id, documents.c.doc_number, documents.c.title).where(
                documents.c.id.in_([e["id"] for e in worst])
            )
        )
    }
    rows = [{**{k: v for k, v in e.items() if k != "id"}, "name": names.get(e["id"])} for e in worst]
    return sorted(rows, key=lambda e: (-e["red"], -e["total"], str(e["name"])))


def dashboard(
    conn: Connection, today: date, warning_days: int = 5, *, list_limit: int = LIST_LIMIT
) -> dict[str, Any]:
    """Everything the dashboard shows, as of ``today``, as one plain dict.

    Counted by aggregate SQL (the tallies per document and unit, and the rows late or falling due
    in the month of ``today``), never by reading every task: the lists carry their first
    ``list_limit`` tasks and the ``*_count`` fields how many there are.
    """
    window_end = _window_end(conn, today, warning_days)
    owed = _owed(conn, today)
    counts = _task_counts(conn, today, window_end, owed)
    by_unit, units_count = _by_unit(conn, today, window_end)
    soon = sa.and_(
        tasks.c.status.not_in(FINISHED),
        tasks.c.due_on.between(today, workday_after(conn, today, DUE_SOON_WORKING_DAYS)),
    )
    soon_count = conn.execute(sa.select(sa.func.count()).where(soon)).scalar_one()
    overdue = tasks.c.late_on <= today
    return {
        "as_of": today,
        "total": sum(counts["by_status"].values()),
        "by_status": counts["by_status"],
        "by_colour": counts["by_colour"],
        "by_unit": by_unit,
        "units_count": units_count,
        "by_document": _by_document(conn, counts["per_document"]),
        "documents_count": counts["documents_count"],
        "due_soon": _listed(conn, soon, tasks.c.due_on, today, warning_days, list_limit),
        "due_soon_count": soon_count,
        "overdue": _listed(conn, overdue, tasks.c.late_on, today, warning_days, list_limit),
        "overdue_count": counts["by_colour"]["red"],
        # 缺报: reports owed under a reporting cycle and not received
        "missing_reports": _missing_listed(conn, owed, today, warning_days, list_limit),
        "missing_reports_count": counts["missing_count"],
        "progress": progress_over_time(conn, today),
    }
