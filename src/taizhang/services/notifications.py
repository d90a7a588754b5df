"""What a unit is told about its tasks: each 交办 of a part to it, each leader's 批示 on its tasks,
each 催办 of its part or of the whole task.

The facts are timeline actions (``actions``): a 交办 names the unit it hands a part to, a 批示 or a
催办 of the whole task has no unit and concerns every unit with a part, a 催办 of one part names
that unit. The same reading feeds the unit portal's 通知 and the daily digest (``reminders``),
so the two always tell the same things.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..storage.tables import actions, assignments, documents, parts, tasks, units, users
from .timeline import Actor, record_action

HANDOVER = "交办"
INSTRUCTION = "批示"
CHASE = "催办"
KINDS = (HANDOVER, INSTRUCTION, CHASE)
ROLE_WORDS = {"lead": "牵头单位", "responsible": "责任单位", "cooperating": "配合单位"}
RECENT = 20  # notices shown on the unit portal


def part_units(conn: Connection, task_id: int) -> dict[int, str]:
    """unit id → role of the task's parts (the concrete units, groups expanded)."""
    rows = conn.execute(sa.select(parts.c.unit_id, parts.c.role).where(parts.c.task_id == task_id))
    return {int(u): str(r) for u, r in rows}


def record_handover(
    conn: Connection, actor: Actor, task_id: int, before: Set[int] = frozenset()
) -> list[int]:
    """交办: one timeline action per unit that has a part now and had none in ``before``; their ids.

    Call it with the part units read before a change of the task's units (none for a new task).
    """
    now = part_units(conn, task_id)
    new = [u for u in now if u not in before]
    if not new:
        return []
    names = dict(conn.execute(sa.select(units.c.id, units.c.name).where(units.c.id.in_(new))).all())
    return [
        record_action(
            conn, actor, task_id, HANDOVER, f"{names[u]}（{ROLE_WORDS.get(now[u], now[u])}）", unit_id=u
        )
        for u in sorted(new, key=lambda u: str(names[u]))
    ]


def task_units(conn: Connection, task_id: int) -> set[int]:
    """Every unit on the task: its parts' units and its assigned units (groups included)."""
    query = sa.union(
        sa.select(parts.c.unit_id).where(parts.c.task_id == task_id),
        sa.select(assignments.c.unit_id).where(assignments.c.task_id == task_id),
    )
    return {int(u) for u in conn.execute(query).scalars()}


def concerns(notice_unit: int | None, kind: str, unit_ids: Set[int]) -> bool:
    """Whether an action on a task of the unit concerns it: it names the unit, or (a 批示, a 催办 of
    the whole task) names none; a 交办 always names the unit it hands a part to."""
    if notice_unit is not None:
        return notice_unit in unit_ids
    return kind != HANDOVER


def _tasks_of(unit_ids: Set[int]) -> sa.Select:
    """Ids of the tasks the units are on: a part of their own, or any role (directly or via a group)."""
    ids = sorted(unit_ids)
    return sa.union(
        sa.select(parts.c.task_id).where(parts.c.unit_id.in_(ids)),
        sa.select(assignments.c.task_id).where(assignments.c.unit_id.in_(ids)),
    )


def notices_for_units(
    conn: Connection,
    unit_ids: Set[int],
    *,
    kinds: Iterable[str] = KINDS,
    limit: int = RECENT,
    above: int = 0,
) -> list[dict[str, Any]]:
    """The actions of ``kinds`` on the units' tasks that concern them, newest first, each with its task
    (only those with an id above ``above``).

    Each notice: action_id, kind, message, at, who, task_id, title, doc_number, unit_id (the unit it
    names, or None for the whole task).
    """
    if not unit_ids:
        return []
    query = (
        notice_query(list(kinds))
        .where(actions.c.task_id.in_(_tasks_of(unit_ids)))
        .order_by(actions.c.id.desc())
    )
    if above:
        query = query.where(actions.c.id > above)
    found: list[dict[str, Any]] = []
    for row in conn.execute(query):
        if concerns(row.unit_id, row.kind, unit_ids):
            found.append(as_notice(row))
            if len(found) >= limit:
                break
    return found


def notice_query(kinds: list[str]) -> sa.Select:
    """Actions of ``kinds`` with their author, task title and document number."""
    return (
        sa.select(
            actions.c.id,
            actions.c.kind,
            actions.c.message,
            actions.c.at,
            actions.c.task_id,
            actions.c.unit_id,
            users.c.name.label("who"),
            tasks.c.title,
            documents.c.doc_number,
        )
        .select_from(
            actions.join(tasks, tasks.c.id == actions.c.task_id)
            .join(documents, documents.c.id == tasks.c.document_id)
            .outerjoin(users, users.c.id == actions.c.user_id)
        )
        .where(actions.c.kind.in_(kinds))
    )


def as_notice(row: sa.Row) -> dict[str, Any]:
    """One action as a notice (plain data)."""
    return {
        "action_id": int(row.id),
        "kind": row.kind,
        "message": row.message,
        "at": row.at,
        "who": row.who or "督查室",
        "task_id": int(row.task_id),
        "title": row.title,
        "doc_number": row.doc_number,
        "unit_id": int(row.unit_id) if row.unit_id is not None else None,
    }
