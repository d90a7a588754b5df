"""Late and done counts read from the database by the one definition in ``ledger/standing.py``.

``late_clause`` is the SQL form of ``ledger.standing.is_late`` over ``tasks``, for filters and
aggregate queries; ``unit_standing`` counts each unit's own parts. The 仅逾期 filter, the API,
the 通报 and the unit pages read these, so they agree on every date.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..ledger.standing import (
    DONE_LATE,
    DONE_ON_TIME,
    LATE,
    NOT_JUDGED_KINDS,
    NOT_LATE_STATUSES,
    late_from,
    part_late_from,
    part_standing,
)
from ..storage.tables import parts, tasks, units


def late_clause(as_of: date, table: sa.Table = tasks) -> sa.ColumnElement[bool]:
    """Tasks late on ``as_of`` (``ledger.standing.is_late`` in SQL)."""
    return sa.and_(
        table.c.due_on.is_not(None),
        table.c.due_on < as_of,
        table.c.status.not_in(NOT_LATE_STATUSES),
        table.c.deadline_kind.not_in(NOT_JUDGED_KINDS),
    )


@dataclass(frozen=True)
class UnitStanding:
    """One unit's own parts on a day: how many, closed (办结), late, closed after their due day."""

    unit: str
    total: int
    done: int
    late: int
    done_late: int


def unit_standing(conn: Connection, as_of: date, task_ids: set[int] | None = None) -> dict[str, UnitStanding]:
    """Unit name → its parts' standing on ``as_of`` (of the tasks in ``task_ids``, or all)."""
    query = (
        sa.select(
            units.c.name,
            parts.c.task_id,
            parts.c.status,
            parts.c.done_at,
            tasks.c.status.label("task_status"),
            tasks.c.deadline_kind,
            tasks.c.due_on,
        )
        .join(tasks, tasks.c.id == parts.c.task_id)
        .join(units, units.c.id == parts.c.unit_id)
    )
    counts: dict[str, Counter[str]] = {}
    for row in conn.execute(query):
        if task_ids is not None and int(row.task_id) not in task_ids:
            continue
        kind = part_standing(row.status, row.task_status, row.deadline_kind, row.due_on, row.done_at, as_of)
        tally = counts.setdefault(row.name, Counter())
        tally["total"] += 1
        tally[kind] += 1
    return {
        name: UnitStanding(name, c["total"], c[DONE_ON_TIME] + c[DONE_LATE], c[LATE], c[DONE_LATE])
        for name, c in counts.items()
    }


def own_part_statuses(conn: Connection, unit_ids: set[int], task_ids: list[int]) -> dict[int, str]:
    """Task id → the status of the part one of ``unit_ids`` holds in it (of the tasks in ``task_ids``)."""
    wanted = set(task_ids)
    if not unit_ids or not wanted:
        return {}
    rows = conn.execute(
        sa.select(parts.c.task_id, parts.c.status)
        .where(parts.c.unit_id.in_(sorted(unit_ids)))
        .order_by(parts.c.id)
    )
    return {int(task_id): str(status) for task_id, status in rows if int(task_id) in wanted}


def refresh_late_on(conn: Connection, task_ids: Iterable[int] | None = None) -> int:
    """Store the day each task and each of its parts turns late (``late_on``), by the rule of
    ``ledger.standing``; of the tasks in ``task_ids``, or of all. Returns the rows changed.

    The workflow calls it whenever a task's status or deadline or a part's status changes; a ledger
    written around the services (a migration, a bulk load) calls it once for every task.
    """
    wanted = None if task_ids is None else sorted({int(t) for t in task_ids})
    if wanted is not None and not wanted:
        return 0
    chosen = [tasks.c.id.in_(wanted)] if wanted is not None else []
    task_rows = conn.execute(
        sa.select(tasks.c.id, tasks.c.status, tasks.c.deadline_kind, tasks.c.due_on, tasks.c.late_on).where(
            *chosen
        )
    ).all()
    task_changes = [
        {"row_id": r.id, "day": day}
        for r in task_rows
        if (day := late_from(r.status, r.deadline_kind, r.due_on)) != r.late_on
    ]
    part_rows = conn.execute(
        sa.select(
            parts.c.id,
            parts.c.status,
            parts.c.late_on,
            tasks.c.status.label("task_status"),
            tasks.c.deadline_kind,
            tasks.c.due_on,
        )
        .join(tasks, tasks.c.id == parts.c.task_id)
        .where(*chosen)
    ).all()
    part_changes = [
        {"row_id": r.id, "day": day}
        for r in part_rows
        if (day := part_late_from(r.status, r.task_status, r.deadline_kind, r.due_on)) != r.late_on
    ]
    return store_late_on(conn, task_changes, part_changes)


def store_late_on(
    conn: Connection, task_changes: list[dict[str, object]], part_changes: list[dict[str, object]]
) -> int:
    """Write the late days :func:`refresh_late_on` found changed ({"row_id", "day"} each); returns their count."""
    for table, changes in ((tasks, task_changes), (parts, part_changes)):
        if changes:
            conn.execute(
                table.update()
                .where(table.c.id == sa.bindparam("row_id"))
                .values(late_on=sa.bindparam("day")),
                changes,
            )
    return len(task_changes) + len(part_changes)
