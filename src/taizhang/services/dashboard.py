"""Read side of the dashboard (领导看板): counts, due and overdue lists, progress over time.

Plain SQL to plain dicts, no domain objects. Warning lights are the ledger's rule
(:mod:`taizhang.ledger.warnings`): red when overdue, yellow when due within N working days or
when a report owed under the task's reporting cycle is missing, green otherwise, grey when done.
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
from ..storage.tables import assignments, documents, reports, tasks, units
from .calendar import workday_after

DONE = "已完成"  # 办结
CANCELLED = "已撤销"
ONGOING = "长期坚持"
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
        .where(reports.c.kind == "progress", tasks.c.recurrence.is_not(None),
               *([reports.c.task_id.in_(task_ids)] if task_ids is not None else []))
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
    facts = TaskFacts(status=row["status"], deadline_kind=row["deadline_kind"], due=row["due_on"],
                      recurrence=row["recurrence"])
    return _light(facts, today, warn_days, frozenset(reported))


@lru_cache(maxsize=4096)
def _light(facts: TaskFacts, today: date, warn_days: int, reported: frozenset[str]) -> TaskWarning:
    # Tasks share few distinct (status, deadline, cycle) facts, and counting working days is the
    # costly part: a ledger of 100,000 tasks needs a few hundred of these, not 100,000.
    return warning(facts, today, warn_days, reported)


def lights_for(conn: Connection, rows: list[dict[str, Any]], today: date, warn_days: int = 5
               ) -> dict[int, TaskWarning]:
    """The warning light of each task in ``rows`` (dicts with status, deadline_kind, due_on, recurrence)."""
    reported = _reported_periods(conn, [r["id"] for r in rows])
    return {r["id"]: task_light(r, today, warn_days, reported.get(r["id"], set())) for r in rows}


def _brief(row: dict[str, Any]) -> dict[str, Any]:
    keep = ("id", "title", "status", "percent", "due_on", "deadline_text", "doc_number", "units", "colour", "reason")
    return {k: row[k] for k in keep}


def progress_over_time(conn: Connection, today: date, weeks: int = PROGRESS_WEEKS) -> list[dict[str, Any]]:
    """Per ISO week up to ``today``: reports received and the mean percent they stated."""
    start = today - timedelta(weeks=weeks - 1, days=today.weekday())
    rows = conn.execute(
        sa.select(reports.c.submitted_on, reports.c.percent).where(reports.c.submitted_on >= start,
                                                                  reports.c.submitted_on <= today)
    )
    weekly: dict[date, list[int]] = defaultdict(list)
    for r in rows:
        weekly[r.submitted_on - timedelta(days=r.submitted_on.weekday())].append(r.percent)
    series = []
    for i in range(weeks):
        monday = start + timedelta(weeks=i)
        values = weekly.get(monday, [])
        series.append({"week": monday.isoformat(), "reports": len(values),
                       "mean_percent": round(sum(values) / len(values), 1) if values else None})
    return series


LIST_LIMIT = 20  # the first rows of each list; the counts say how many there are
DOCUMENT_LIMIT = 50  # documents in the tally, worst first


def _horizon(conn: Connection, today: date, warn_days: int) -> date:
    """The last day whose working days after ``today`` number at most ``warn_days`` (the yellow window)."""
    return workday_after(conn, today, warn_days + 1) - timedelta(days=1)


def _missing_report(conn: Connection, today: date) -> sa.ColumnElement[bool]:
    """True for a task whose cycle's latest period due before ``today`` has no progress report.

    The dashboard judges a cycle without its start day: only that latest period counts (the rule
    of ``ledger.warnings``). A report answers the period it names, or the one it was sent in.
    """
    rules = [r for r in conn.execute(sa.select(tasks.c.recurrence).where(tasks.c.recurrence.is_not(None))
                                     .distinct()).scalars() if cycles.is_rule(r)]
    clauses = []
    for rule in rules:
        collecting = cycles.current_period(rule, today)
        latest = cycles.period_containing(rule, collecting.start - timedelta(days=1))
        if latest.due >= today:
            continue
        answered = sa.exists().where(
            reports.c.task_id == tasks.c.id, reports.c.kind == "progress",
            sa.or_(reports.c.period == latest.label,
                   sa.and_(reports.c.period.is_(None), reports.c.submitted_on.between(latest.start, latest.end))))
        clauses.append(sa.and_(tasks.c.recurrence == rule, ~answered))
    return sa.or_(*clauses) if clauses else sa.false()


def _facts(conn: Connection, today: date, warning_days: int) -> dict[str, sa.ColumnElement[Any]]:
    """SQL expressions of the ledger's rule over ``tasks``: colour, open, due soon, report missing."""
    finished = tasks.c.status.in_((DONE, CANCELLED))
    judged = sa.and_(tasks.c.due_on.is_not(None), tasks.c.status != ONGOING, tasks.c.deadline_kind != "ongoing")
    missing = sa.and_(~finished, _missing_report(conn, today))
    colour = sa.case(
        (finished, "grey"),
        (sa.and_(judged, tasks.c.due_on < today), "red"),
        (sa.or_(sa.and_(judged, tasks.c.due_on <= _horizon(conn, today, warning_days)), missing), "yellow"),
        else_="green",
    )
    soon = sa.and_(~finished, tasks.c.due_on.between(today, workday_after(conn, today, DUE_SOON_WORKING_DAYS)))
    return {"colour": colour, "soon": soon, "missing": missing, "open": ~finished}


def _flag(expr: sa.ColumnElement[Any]) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((expr, 1), else_=0))


def _leading_assignments() -> sa.Select[Any]:
    """(task, unit) for each task's first-named units: its lead units, else its responsible ones."""
    lead = assignments.alias("lead")
    has_lead = sa.exists().where(lead.c.task_id == assignments.c.task_id, lead.c.role == "lead")
    return sa.select(assignments.c.task_id, assignments.c.unit_id).where(
        sa.or_(assignments.c.role == "lead", sa.and_(assignments.c.role == "responsible", ~has_lead)))


def _by_unit(conn: Connection, facts: dict[str, sa.ColumnElement[Any]]) -> list[dict[str, Any]]:
    leading = _leading_assignments().subquery()
    colour = facts["colour"]
    query = (sa.select(leading.c.unit_id, sa.func.count(), _flag(tasks.c.status == DONE), _flag(colour == "red"),
                       _flag(colour == "yellow"))
             .select_from(leading.join(tasks, tasks.c.id == leading.c.task_id)).group_by(leading.c.unit_id))
    names = dict(conn.execute(sa.select(units.c.id, units.c.name)).all())
    tally = [{"name": names.get(unit_id), "total": int(total), "done": int(done or 0), "red": int(red or 0),
              "yellow": int(yellow or 0)} for unit_id, total, done, red, yellow in conn.execute(query)]
    return sorted(tally, key=lambda e: (-e["red"], -e["total"], str(e["name"])))


def _listed(conn: Connection, condition: sa.ColumnElement[bool], today: date, warning_days: int,
            limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` tasks meeting ``condition`` (by due day), with their light and units."""
    query = (sa.select(tasks.c.id, tasks.c.title, tasks.c.status, tasks.c.percent, tasks.c.due_on,
                       tasks.c.deadline_text, tasks.c.deadline_kind, tasks.c.recurrence, documents.c.doc_number)
             .join(documents, documents.c.id == tasks.c.document_id).where(condition)
             .order_by(tasks.c.due_on, tasks.c.id).limit(limit))
    result = conn.execute(query)
    keys = list(result.keys())
    rows = [dict(zip(keys, row, strict=True)) for row in result]
    if not rows:
        return rows
    lights = lights_for(conn, rows, today, warning_days)
    ids = [r["id"] for r in rows]
    leading = _leading_assignments().where(assignments.c.task_id.in_(ids)).order_by(
        assignments.c.task_id, assignments.c.position)
    names = dict(conn.execute(sa.select(units.c.id, units.c.name)).all())
    units_of: dict[int, list[str]] = defaultdict(list)
    for task_id, unit_id in conn.execute(leading):
        units_of[task_id].append(names[unit_id])
    for row in rows:
        light = lights[row["id"]]
        row.update(colour=light.colour, reason=light.reason, units=units_of.get(row["id"], []))
    return [_brief(r) for r in rows]


def dashboard(conn: Connection, today: date, warning_days: int = 5, *, list_limit: int = LIST_LIMIT
              ) -> dict[str, Any]:
    """Everything the dashboard shows, as of ``today``, as one plain dict.

    Counted by aggregate SQL over the tasks (one pass grouped by document, status and light, one
    over the units held to account), never by reading every task: the lists carry their first
    ``list_limit`` tasks and the ``*_count`` fields how many there are.
    """
    facts = _facts(conn, today, warning_days)
    colour = facts["colour"].label("colour")
    grouped = (sa.select(tasks.c.document_id, tasks.c.status, colour, facts["soon"].label("soon"),
                         facts["missing"].label("missing"), sa.func.count().label("n"))
               .group_by(tasks.c.document_id, tasks.c.status, sa.literal_column("colour"), sa.literal_column("soon"),
                         sa.literal_column("missing")))
    by_status: dict[str, int] = defaultdict(int)
    by_colour = {"red": 0, "yellow": 0, "green": 0, "grey": 0}
    documents_tally: dict[int, dict[str, int]] = {}
    soon_count = missing_count = 0
    for document_id, status, light, soon, missing, n in conn.execute(grouped):
        by_status[status] += n
        by_colour[light] += n
        entry = documents_tally.setdefault(document_id, {"total": 0, "done": 0, "red": 0, "yellow": 0})
        entry["total"] += n
        entry["done"] += n if status == DONE else 0
        if light in ("red", "yellow"):
            entry[light] += n
        soon_count += n if soon else 0
        missing_count += n if missing else 0
    names = {row.id: row.doc_number or row.title for row in conn.execute(
        sa.select(documents.c.id, documents.c.doc_number, documents.c.title)
        .where(documents.c.id.in_(sa.select(tasks.c.document_id).distinct())))}
    by_document = sorted(({"name": names.get(doc_id), **counts} for doc_id, counts in documents_tally.items()),
                         key=lambda e: (-e["red"], -e["total"], str(e["name"])))
    overdue = sa.and_(facts["open"], facts["colour"] == "red")
    return {
        "as_of": today,
        "total": sum(by_status.values()),
        "by_status": dict(by_status),
        "by_colour": by_colour,
        "by_unit": _by_unit(conn, facts),
        "by_document": by_document[:DOCUMENT_LIMIT],
        "documents_count": len(by_document),
        "due_soon": _listed(conn, facts["soon"], today, warning_days, list_limit),
        "due_soon_count": soon_count,
        "overdue": _listed(conn, overdue, today, warning_days, list_limit),
        "overdue_count": by_colour["red"],
        # 缺报: reports owed under a reporting cycle and not received
        "missing_reports": _listed(conn, facts["missing"], today, warning_days, list_limit),
        "missing_reports_count": missing_count,
        "progress": progress_over_time(conn, today),
    }
