"""Parts of tasks in the database: kept in step with assignments and group membership, moved one
unit at a time by the workflow, and the task's status and percent settled from them.

``ledger.parts`` holds the rules; this module reads and writes rows and records every change.
Call :func:`sync_parts` after a task's units change, :func:`settle_task` after a part moves.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidTransition, NotFound
from ..ledger import permissions as perm
from ..ledger.parts import PartState, TaskState, expected_parts, task_state
from ..ledger.standing import late_from, part_late_from, part_standing
from ..ledger.status import CLOSED, DONE, initial_status, next_status
from ..storage.tables import assignments, parts, tasks, units
from ..workdays import add_workdays
from .audit import record_change
from .database import insert_returning_ids
from .groups import group_members, groups_containing
from .notifications import part_units, record_handover
from .standing import refresh_late_on, store_late_on
from .timeline import NamedActor
from .user_info import UserInfo

VERBS = {"approve": "办结", "return": "退回", "reopen": "重开"}


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class TaskUnits:
    """A task's assigned units and its groups' members, read once for the checks and parts of one request."""

    assigned: list[tuple[int, str]]  # (unit id, role) in the task's order
    members: dict[int, list[int]]  # group id → the units it stands for

    def unit_ids(self) -> frozenset[int]:
        """Assigned unit ids plus the members of assigned groups (中宁县 acts on a 各县(区) task)."""
        return frozenset({u for u, _ in self.assigned}.union(*self.members.values()))

    def wanted(self) -> dict[int, str]:
        """unit id → role of the parts the assignments call for (groups expanded)."""
        return expected_parts(self.assigned, self.members)


def task_units(conn: Connection, task_id: int) -> TaskUnits:
    """The task's :class:`TaskUnits`."""
    assigned = [
        (int(u), str(r))
        for u, r in conn.execute(
            sa.select(assignments.c.unit_id, assignments.c.role)
            .where(assignments.c.task_id == task_id)
            .order_by(assignments.c.position, assignments.c.id)
        )
    ]
    return TaskUnits(assigned, group_members(conn, {u for u, _ in assigned}))


def wanted_parts(conn: Connection, task_id: int) -> dict[int, str]:
    """unit id → role of the parts the task's assignments call for (groups expanded)."""
    return task_units(conn, task_id).wanted()


def part_rows(conn: Connection, task_id: int) -> list[sa.Row]:
    """The task's parts with their unit names, in unit id order."""
    return list(
        conn.execute(
            sa.select(parts, units.c.name.label("unit_name"))
            .join(units, units.c.id == parts.c.unit_id)
            .where(parts.c.task_id == task_id)
            .order_by(parts.c.id)
        )
    )


def sync_parts(
    conn: Connection,
    task_id: int,
    *,
    actor: str = "system",
    units: TaskUnits | None = None,
    refresh: bool = True,
) -> bool:
    """Add the parts the task's units call for and drop those no longer called for; True if any changed.

    A new part starts in the task kind's first status; a unit whose role changed keeps its state.
    ``units``: the task's units when the caller has read them already. ``refresh=False`` leaves the
    late days of an unchanged task to the caller, which settles the task next (a changed one is
    settled here).
    """
    return synced_parts(conn, task_id, actor=actor, units=units, refresh=refresh)[0]


def synced_parts(
    conn: Connection,
    task_id: int,
    *,
    actor: str = "system",
    units: TaskUnits | None = None,
    refresh: bool = True,
    deadline_kind: str | None = None,
) -> tuple[bool, dict[int, sa.Row]]:
    """:func:`sync_parts`, and the task's parts by unit id as they were read when none changed (empty
    when some did): a writer that goes on to move its unit's part need not read it again.
    ``deadline_kind``: the task's, when the caller has read the task already."""
    if deadline_kind is None:
        found = conn.execute(sa.select(tasks.c.deadline_kind).where(tasks.c.id == task_id)).first()
        if found is None:
            raise NotFound(f"没有编号为 {task_id} 的任务")
        deadline_kind = found.deadline_kind
    wanted = (units or task_units(conn, task_id)).wanted()
    have = {int(r.unit_id): r for r in conn.execute(sa.select(parts).where(parts.c.task_id == task_id))}
    changed = False
    for unit_id, role in wanted.items():
        row = have.get(unit_id)
        if row is None:
            conn.execute(
                parts.insert().values(
                    task_id=task_id,
                    unit_id=unit_id,
                    role=role,
                    status=initial_status(deadline_kind),
                    percent=0,
                    assigned_on=_now().date(),
                    updated_at=_now(),
                )
            )
            changed = True
        elif row.role != role:
            conn.execute(parts.update().where(parts.c.id == row.id).values(role=role))
            changed = True
    gone = [row for unit_id, row in have.items() if unit_id not in wanted]
    if gone:
        conn.execute(parts.delete().where(parts.c.id.in_([r.id for r in gone])))
        changed = True
    if changed:
        record_change(
            conn,
            actor=actor,
            action="sync",
            entity="task_parts",
            entity_id=int(task_id),
            before={"units": sorted(have)},
            after={"units": sorted(wanted)},
        )
        settle_task(conn, task_id, actor=actor)
    elif refresh:
        refresh_late_on(conn, [task_id])
    return changed, {} if changed else have


def add_parts(
    conn: Connection, new_tasks: list[tuple[int, str, list[tuple[int, str]]]], *, actor: str
) -> None:
    """Parts of tasks just inserted, which have none yet: what :func:`sync_parts` does for each, with
    one query for the groups' members and one INSERT for all parts.

    ``new_tasks`` holds (task id, deadline kind, its (unit id, role) assignments in their order).
    """
    members = group_members(conn, {unit for _, _, assigned in new_tasks for unit, _ in assigned})
    wanted = [(task_id, kind, expected_parts(assigned, members)) for task_id, kind, assigned in new_tasks]
    now = _now()
    rows = [
        {
            "task_id": task_id,
            "unit_id": unit_id,
            "role": role,
            "status": initial_status(kind),
            "percent": 0,
            "assigned_on": now.date(),
            "updated_at": now,
        }
        for task_id, kind, units_wanted in wanted
        for unit_id, role in units_wanted.items()
    ]
    if rows:
        insert_returning_ids(conn, parts, rows)  # sealed at commit by the ids it names
    for task_id, kind, units_wanted in wanted:
        if not units_wanted:
            continue
        record_change(
            conn,
            actor=actor,
            action="sync",
            entity="task_parts",
            entity_id=int(task_id),
            before={"units": []},
            after={"units": sorted(units_wanted)},
        )
        current = TaskState(initial_status(kind), 0)
        states = [PartState(u, role, initial_status(kind), 0) for u, role in units_wanted.items()]
        if task_state(states, current) != current:
            settle_task(conn, task_id, actor=actor)


def sync_group(conn: Connection, group_id: int, *, actor: str = "system") -> int:
    """Bring the parts of every task assigned to a group, or to a group holding it, in step with its
    members; returns tasks changed.

    A member that gains a part is handed it (交办) as the task's first units were: a notice on the
    task's timeline, in its portal and digest, and the part counts toward its 签收 from today.
    """
    task_ids = (
        conn.execute(
            sa.select(assignments.c.task_id)
            .where(assignments.c.unit_id.in_({group_id} | groups_containing(conn, {group_id})))
            .distinct()
            .order_by(assignments.c.task_id)
        )
        .scalars()
        .all()
    )
    changed = 0
    for task_id in task_ids:
        before = set(part_units(conn, int(task_id)))
        if sync_parts(conn, int(task_id), actor=actor):
            changed += 1
            if before:  # a task whose parts were never built gets them lazily, without a notice
                record_handover(conn, NamedActor(actor), int(task_id), before)
    return changed


def sync_all(conn: Connection, *, actor: str = "system") -> int:
    """Parts for every task of the ledger (a ledger written without them); returns tasks changed."""
    task_ids = conn.execute(sa.select(tasks.c.id).order_by(tasks.c.id)).scalars().all()
    return sum(sync_parts(conn, int(t), actor=actor) for t in task_ids)


def settle_task(conn: Connection, task_id: int, *, actor: str, action: str = "settle") -> TaskState:
    """Set the task's status and percent to what its parts say (``ledger.parts.task_state``).

    The change is logged on the task under ``action`` (the workflow step that moved a part). The
    task and its parts are read in one statement, which also gives their late days (as
    ``standing.refresh_late_on`` would find them): a report settles its task on every call.
    """
    rows = conn.execute(
        sa.select(
            parts,
            tasks.c.status.label("task_status"),
            tasks.c.percent.label("task_percent"),
            tasks.c.deadline_kind,
            tasks.c.due_on,
            tasks.c.late_on.label("task_late_on"),
        )
        .join(tasks, tasks.c.id == parts.c.task_id)
        .where(parts.c.task_id == task_id)
    ).all()
    if not rows:  # a task without parts: nothing to derive, its own late day as always
        task = conn.execute(sa.select(tasks.c.status, tasks.c.percent).where(tasks.c.id == task_id)).one()
        refresh_late_on(conn, [task_id])
        return TaskState(task.status, int(task.percent))
    first = rows[0]
    current = TaskState(first.task_status, int(first.task_percent))
    derived = task_state([PartState(int(r.unit_id), r.role, r.status, int(r.percent)) for r in rows], current)
    if derived != current:
        conn.execute(
            tasks.update()
            .where(tasks.c.id == task_id)
            .values(status=derived.status, percent=derived.percent, updated_at=_now())
        )
        record_change(
            conn,
            actor=actor,
            action=action,
            entity="task",
            entity_id=int(task_id),
            before={"status": current.status, "percent": current.percent},
            after={"status": derived.status, "percent": derived.percent},
        )
    # the parts' and the task's late day follow their statuses
    task_day = late_from(derived.status, first.deadline_kind, first.due_on)
    store_late_on(
        conn,
        [{"row_id": task_id, "day": task_day}] if task_day != first.task_late_on else [],
        [
            {"row_id": r.id, "day": day}
            for r in rows
            if (day := part_late_from(r.status, derived.status, first.deadline_kind, first.due_on))
            != r.late_on
        ],
    )
    return derived


def unit_part(conn: Connection, task_id: int, unit_id: int) -> sa.Row | None:
    """The part of ``unit_id`` in the task, or None."""
    return conn.execute(
        sa.select(parts).where(parts.c.task_id == task_id, parts.c.unit_id == unit_id)
    ).first()


def set_part(conn: Connection, actor: str, part: sa.Row, action: str, **values: Any) -> None:
    """Update one part and log before/after of exactly the columns that change."""
    changed = {k: v for k, v in values.items() if getattr(part, k) != v}
    if not changed:
        return
    conn.execute(parts.update().where(parts.c.id == part.id).values(**changed, updated_at=_now()))
    record_change(
        conn,
        actor=actor,
        action=action,
        entity="part",
        entity_id=int(part.id),
        before={
            "task_id": int(part.task_id),
            "unit_id": int(part.unit_id),
            **{k: getattr(part, k) for k in changed},
        },
        after=changed,
    )


def move_parts(
    conn: Connection,
    actor: str,
    task: sa.Row,
    action: str,
    *,
    unit_id: int | None,
    eligible: tuple[str, ...],
    today: date,
) -> list[sa.Row]:
    """Apply an office ``action`` (approve, return, reopen) to one unit's part, or to every eligible part.

    With ``unit_id`` the unit's part must exist and the rules must allow the action on it; without,
    every part in ``eligible`` statuses moves, and none eligible is refused. Returns the parts moved.
    """
    rows = list(conn.execute(sa.select(parts).where(parts.c.task_id == task.id).order_by(parts.c.id)))
    if unit_id is not None:
        chosen = [r for r in rows if int(r.unit_id) == unit_id]
        if not chosen:
            raise NotFound(f"该单位在任务 {task.id} 中没有分项")
    else:
        chosen = [r for r in rows if r.status in eligible]
        if not chosen:
            next_status(task.status, action, task.deadline_kind)  # raises, naming the task's status
            raise InvalidTransition(f"任务 {task.id} 没有可以{VERBS.get(action, action)}的分项")
    for row in chosen:
        status = next_status(row.status, action, task.deadline_kind)
        values: dict[str, Any] = {"status": status}
        if action == "approve":
            values.update(percent=100, done_at=today if status == DONE else row.done_at or today)
        elif action == "reopen":
            values.update(done_at=None)
        set_part(conn, actor, row, action, **values)
    return chosen


def reset_initial(conn: Connection, task_id: int, old_kind: str | None, new_kind: str | None) -> None:
    """A task whose deadline kind changed before anyone worked on it: untouched parts start anew."""
    conn.execute(
        parts.update()
        .where(parts.c.task_id == task_id, parts.c.status == initial_status(old_kind))
        .values(status=initial_status(new_kind))
    )


def acknowledge(conn: Connection, actor: UserInfo, task_id: int) -> dict[str, Any]:
    """签收: the actor's unit acknowledges receipt of its part of the task (once; a second time is a no-op).

    Raises PermissionDenied (not a unit user, or the unit has no part of its own in the task).
    """
    sync_parts(conn, task_id)
    part = unit_part(conn, task_id, actor.unit_id) if actor.unit_id is not None else None
    allowed = perm.can_acknowledge(actor, {int(part.unit_id)} if part is not None else set())
    perm.require(allowed, f"{actor.name} 不能签收任务 {task_id}：本单位在该任务中没有自己的分项")
    assert part is not None
    if part.acknowledged_at is None:
        set_part(conn, actor.name, part, "acknowledge", acknowledged_at=_now(), acknowledged_by=actor.name)
        part = unit_part(conn, task_id, int(part.unit_id))
    assert part is not None
    return {
        "unit_id": int(part.unit_id),
        "acknowledged_at": part.acknowledged_at,
        "acknowledged_by": part.acknowledged_by,
    }


def acknowledge_by(assigned_on: date, days: int) -> date:
    """The last day to sign for (签收) a part handed over on ``assigned_on``: ``days`` working days later."""
    return add_workdays(assigned_on, days)


def unacknowledged(
    conn: Connection, as_of: date, days: int, *, unit_ids: Set[int] | None = None
) -> list[dict[str, Any]]:
    """Open parts not signed for (未签收) more than ``days`` working days after their 交办, oldest first.

    A part without its own day of 交办 counts from its task's creation. ``unit_ids`` keeps one
    unit's parts (a unit user's list). Each: task_id, title, unit_id, unit, role, assigned_on, due_by.
    """
    query = (
        sa.select(
            parts.c.task_id,
            parts.c.unit_id,
            parts.c.role,
            parts.c.assigned_on,
            tasks.c.title,
            tasks.c.created_at,
            units.c.name.label("unit"),
        )
        .join(tasks, tasks.c.id == parts.c.task_id)
        .join(units, units.c.id == parts.c.unit_id)
        .where(parts.c.acknowledged_at.is_(None), parts.c.status != DONE, tasks.c.status.not_in(CLOSED))
        .order_by(parts.c.task_id, parts.c.id)
    )
    if unit_ids is not None:
        query = query.where(parts.c.unit_id.in_(sorted(unit_ids)))
    found = []
    for row in conn.execute(query):
        handed = row.assigned_on or (row.created_at.date() if row.created_at else None)
        if handed is None or acknowledge_by(handed, days) >= as_of:
            continue
        found.append(
            {
                "task_id": int(row.task_id),
                "title": row.title,
                "unit_id": int(row.unit_id),
                "unit": row.unit,
                "role": row.role,
                "assigned_on": handed,
                "due_by": acknowledge_by(handed, days),
            }
        )
    return sorted(found, key=lambda f: (f["assigned_on"], f["task_id"], f["unit"]))


def part_views(
    conn: Connection, task_id: int, as_of: date, ack_days: int | None = None
) -> list[dict[str, Any]]:
    """The task's parts as the task page and API show them, with each part's standing on ``as_of``;
    with ``ack_days``, ``ack_overdue`` says the part is still unsigned past its 签收 deadline."""
    task = conn.execute(
        sa.select(tasks.c.status, tasks.c.deadline_kind, tasks.c.due_on, tasks.c.created_at).where(
            tasks.c.id == task_id
        )
    ).first()
    if task is None:
        raise NotFound(f"没有编号为 {task_id} 的任务")
    return [
        {
            "unit": r.unit_name,
            "role": r.role,
            "status": r.status,
            "percent": int(r.percent),
            "acknowledged_at": r.acknowledged_at,
            "acknowledged_by": r.acknowledged_by,
            "done_at": r.done_at,
            "assigned_on": r.assigned_on,
            "ack_overdue": _ack_overdue(r, task, as_of, ack_days),
            "standing": part_standing(
                r.status, task.status, task.deadline_kind, task.due_on, r.done_at, as_of
            ),
        }
        for r in part_rows(conn, task_id)
    ]


def _ack_overdue(part: sa.Row, task: sa.Row, as_of: date, days: int | None) -> bool:
    """True when the open part is unsigned past ``days`` working days after its 交办."""
    if days is None or part.acknowledged_at is not None or part.status == DONE or task.status in CLOSED:
        return False
    handed = part.assigned_on or (task.created_at.date() if task.created_at else None)
    return handed is not None and acknowledge_by(handed, days) < as_of
