"""Read side of the dashboard (领导看板): counts, due and overdue lists, progress over time.

Plain SQL to plain dicts, no domain objects. Warning colours follow the ledger rule: red when
overdue, yellow when due within N working days, green otherwise; a closed task (已完成) is green.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..storage.tables import assignments, documents, reports, tasks, units
from ..workdays import add_workdays

DONE = "已完成"  # 办结
DUE_SOON_WORKING_DAYS = 10
PROGRESS_WEEKS = 12


def warning_colour(status: str, due_on: date | None, today: date, yellow_until: date) -> str:
    """red / yellow / green for one task; ``yellow_until`` is today plus N working days."""
    if status == DONE or due_on is None:
        return "green"
    if due_on < today:
        return "red"
    return "yellow" if due_on <= yellow_until else "green"


def _task_rows(conn: Connection) -> list[dict[str, Any]]:
    query = sa.select(
        tasks.c.id, tasks.c.title, tasks.c.status, tasks.c.percent, tasks.c.due_on, tasks.c.deadline_text,
        tasks.c.document_id, documents.c.doc_number, documents.c.title.label("document_title"),
    ).join(documents, documents.c.id == tasks.c.document_id).order_by(tasks.c.due_on, tasks.c.id)
    return [dict(r._mapping) for r in conn.execute(query)]


def _leading_units(conn: Connection) -> dict[int, list[str]]:
    """Each task's first-named units (lead if any, else responsible): who the dashboard holds to account."""
    rows = conn.execute(
        sa.select(assignments.c.task_id, assignments.c.role, units.c.name)
        .join(units, units.c.id == assignments.c.unit_id)
        .where(assignments.c.role.in_(("lead", "responsible")))
        .order_by(assignments.c.task_id, assignments.c.position)
    )
    by_role: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by_role[r.task_id][r.role].append(r.name)
    return {tid: roles.get("lead") or roles.get("responsible", []) for tid, roles in by_role.items()}


def _tally(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    counts: dict[Any, dict[str, Any]] = {}
    for row in rows:
        for name in row[key] if isinstance(row[key], list) else [row[key]]:
            entry = counts.setdefault(name, {"name": name, "total": 0, "done": 0, "red": 0, "yellow": 0})
            entry["total"] += 1
            entry["done"] += row["status"] == DONE
            if row["colour"] in ("red", "yellow"):
                entry[row["colour"]] += 1
    return sorted(counts.values(), key=lambda e: (-e["red"], -e["total"], str(e["name"])))


def _brief(row: dict[str, Any]) -> dict[str, Any]:
    keep = ("id", "title", "status", "percent", "due_on", "deadline_text", "doc_number", "units", "colour")
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
    yellow_until = add_workdays(today, warning_days)
    due_soon_until = add_workdays(today, DUE_SOON_WORKING_DAYS)
    leading = _leading_units(conn)
    rows = _task_rows(conn)
    for row in rows:
        row["colour"] = warning_colour(row["status"], row["due_on"], today, yellow_until)
        row["units"] = leading.get(row["id"], [])
        row["document"] = row["doc_number"] or row["document_title"]
    open_rows = [r for r in rows if r["status"] != DONE]
    by_status: dict[str, int] = defaultdict(int)
    by_colour = {"red": 0, "yellow": 0, "green": 0}
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
        "progress": progress_over_time(conn, today),
    }
