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
from ..workdays import add_workdays

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


_TASK_ROWS = sa.select(
    tasks.c.id, tasks.c.title, tasks.c.status, tasks.c.percent, tasks.c.due_on, tasks.c.deadline_text,
    tasks.c.deadline_kind, tasks.c.recurrence,
    tasks.c.document_id, documents.c.doc_number, documents.c.title.label("document_title"),
).join(documents, documents.c.id == tasks.c.document_id).order_by(tasks.c.due_on, tasks.c.id)


def _task_rows(conn: Connection) -> list[dict[str, Any]]:
    result = conn.execute(_TASK_ROWS)
    keys = list(result.keys())
    # zip with the keys read once: ``row._mapping`` per row cost a second on 100,000 tasks
    return [dict(zip(keys, row, strict=True)) for row in result]


# Unit names come from the small units table, not a join: 200,000 assignment rows each looking
# up its unit cost more than reading them.
_LEADING_ROWS = (
    sa.select(assignments.c.task_id, assignments.c.role, assignments.c.unit_id)
    .where(assignments.c.role.in_(("lead", "responsible")))
    .order_by(assignments.c.task_id, assignments.c.position)
)


def _leading_units(conn: Connection) -> dict[int, list[str]]:
    """Each task's first-named units (lead if any, else responsible): who the dashboard holds to account."""
    names = dict(conn.execute(sa.select(units.c.id, units.c.name)).all())
    leads: dict[int, list[str]] = {}
    responsible: dict[int, list[str]] = {}
    for task_id, role, unit_id in conn.execute(_LEADING_ROWS):
        (leads if role == "lead" else responsible).setdefault(task_id, []).append(names[unit_id])
    return {tid: leads.get(tid) or responsible.get(tid, []) for tid in {**responsible, **leads}}


def _tally(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    counts: dict[Any, dict[str, Any]] = {}
    for row in rows:
        for name in row[key] if isinstance(row[key], list) else [row[key]]:
            entry = counts.get(name)
            if entry is None:
                entry = counts[name] = {"name": name, "total": 0, "done": 0, "red": 0, "yellow": 0}
            entry["total"] += 1
            entry["done"] += row["status"] == DONE
            if row["colour"] in ("red", "yellow"):
                entry[row["colour"]] += 1
    return sorted(counts.values(), key=lambda e: (-e["red"], -e["total"], str(e["name"])))


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


def dashboard(conn: Connection, today: date, warning_days: int = 5) -> dict[str, Any]:
    """Everything the dashboard shows, as of ``today``, as one plain dict."""
    due_soon_until = add_workdays(today, DUE_SOON_WORKING_DAYS)
    leading = _leading_units(conn)
    reported = _reported_periods(conn)
    rows = _task_rows(conn)
    judged: dict[tuple[Any, ...], TaskWarning] = {}  # tasks with the same facts share one light
    for row in rows:
        periods = frozenset(reported.get(row["id"], ()))
        facts = (row["status"], row["deadline_kind"], row["due_on"], row["recurrence"], periods)
        light = judged.get(facts)
        if light is None:
            light = judged[facts] = task_light(row, today, warning_days, set(periods))
        row["colour"], row["reason"], row["missing"] = light.colour, light.reason, light.missing_periods
        row["units"] = leading.get(row["id"], [])
        row["document"] = row["doc_number"] or row["document_title"]
    open_rows = [r for r in rows if r["status"] not in (DONE, CANCELLED)]
    by_status: dict[str, int] = defaultdict(int)
    by_colour = {"red": 0, "yellow": 0, "green": 0, "grey": 0}
    for row in rows:
        by_status[row["status"]] += 1
        by_colour[row["colour"]] += 1
    return {
        "as_of": today,
        "total": len(rows),
        "by_status": dict(by_status),
        "by_colour": by_colour,
        "by_unit": _tally(rows, "units"),
        "by_document": _tally(rows, "document"),
        "due_soon": [_brief(r) for r in open_rows if r["due_on"] and today <= r["due_on"] <= due_soon_until],
        "overdue": [_brief(r) for r in open_rows if r["colour"] == "red"],
        # 缺报: reports owed under a reporting cycle and not received
        "missing_reports": [_brief(r) for r in open_rows if r["missing"]],
        "progress": progress_over_time(conn, today),
    }
