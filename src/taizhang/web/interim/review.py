"""Review of what the extractor flagged: correct units and deadline, split, merge, mark reviewed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ...errors import InvalidInput, PermissionDenied, UnknownUnit
from ...services.audit import record_change
from ...storage.tables import assignments, tasks, unit_aliases, units
from .accounts import UserInfo
from .workflow import _task

ROLES = ("lead", "responsible", "cooperating")


def _require_office(actor: UserInfo) -> None:
    if actor.role != "office":
        raise PermissionDenied("只有督查室可以审核任务")


def _resolve(conn: Connection, name: str) -> int:
    found = conn.execute(sa.select(units.c.id).where(units.c.name == name)).scalar()
    if found is None:
        found = conn.execute(sa.select(unit_aliases.c.unit_id).where(unit_aliases.c.alias == name)).scalar()
    if found is None:
        raise UnknownUnit(name)
    return int(found)


def _units_of(conn: Connection, task_id: int) -> dict[str, list[str]]:
    rows = conn.execute(sa.select(assignments.c.role, units.c.name).join(units, units.c.id == assignments.c.unit_id)
                        .where(assignments.c.task_id == task_id).order_by(assignments.c.position))
    found: dict[str, list[str]] = {role: [] for role in ROLES}
    for r in rows:
        found.setdefault(r.role, []).append(r.name)
    return found


def _replace_units(conn: Connection, task_id: int, by_role: dict[str, list[str]]) -> None:
    resolved = [(role, name, _resolve(conn, name)) for role in ROLES for name in by_role.get(role, [])]
    conn.execute(assignments.delete().where(assignments.c.task_id == task_id))
    seen: set[tuple[int, str]] = set()
    for position, (role, name, unit_id) in enumerate(resolved):
        if (unit_id, role) not in seen:
            seen.add((unit_id, role))
            conn.execute(assignments.insert().values(task_id=task_id, unit_id=unit_id, role=role, printed=name,
                                                     position=position))


def update_task(conn: Connection, actor: UserInfo, task_id: int, *, units_by_role: dict[str, list[str]] | None = None,
                due_on: date | None = None, deadline_text: str | None = None, mark_reviewed: bool = False) -> None:
    """Correct a task's units and deadline; ``mark_reviewed`` clears its review flag."""
    _require_office(actor)
    task = _task(conn, task_id)
    before: dict[str, Any] = {"units": _units_of(conn, task_id), "due_on": task.due_on,
                              "deadline_text": task.deadline_text, "needs_review": task.needs_review}
    values: dict[str, Any] = {"updated_at": datetime.now(UTC)}
    if units_by_role is not None:
        _replace_units(conn, task_id, units_by_role)
    if due_on is not None:
        values["due_on"] = due_on
        values["deadline_kind"] = "date" if task.deadline_kind in ("none", "other") else task.deadline_kind
    if deadline_text is not None:
        values["deadline_text"] = deadline_text
    if mark_reviewed:
        values["needs_review"] = False
    conn.execute(tasks.update().where(tasks.c.id == task_id).values(**values))
    after = {"units": _units_of(conn, task_id), "due_on": values.get("due_on", task.due_on),
             "deadline_text": values.get("deadline_text", task.deadline_text),
             "needs_review": values.get("needs_review", task.needs_review)}
    record_change(conn, actor=actor.name, action="review", entity="task", entity_id=task_id, before=before, after=after)


def split_task(conn: Connection, actor: UserInfo, task_id: int, titles: list[str]) -> list[int]:
    """Split one task into several with the given titles; each keeps the units, deadline and source lines."""
    _require_office(actor)
    titles = [t.strip() for t in titles if t.strip()]
    if len(titles) < 2:
        raise InvalidInput("拆分至少需要两个任务标题")
    task = _task(conn, task_id)
    roles = _units_of(conn, task_id)
    conn.execute(tasks.update().where(tasks.c.id == task_id).values(title=titles[0], updated_at=datetime.now(UTC)))
    new_ids = [task_id]
    copy = {k: v for k, v in task._mapping.items() if k not in ("id", "key", "title", "created_at", "updated_at")}
    for n, title in enumerate(titles[1:], start=2):
        new_id = conn.execute(tasks.insert().values(**copy, key=f"{task.key}#split{n}", title=title)).inserted_primary_key[0]
        _replace_units(conn, new_id, roles)
        new_ids.append(int(new_id))
    record_change(conn, actor=actor.name, action="split", entity="task", entity_id=task_id,
                  before={"title": task.title}, after={"tasks": new_ids, "titles": titles})
    return new_ids


def merge_tasks(conn: Connection, actor: UserInfo, task_ids: list[int]) -> int:
    """Merge tasks into the first: titles joined, units united; the others are removed."""
    _require_office(actor)
    if len(set(task_ids)) < 2:
        raise InvalidInput("合并至少需要选择两个任务")
    rows = [_task(conn, i) for i in dict.fromkeys(task_ids)]
    keep = rows[0]
    united: dict[str, list[str]] = {role: [] for role in ROLES}
    for row in rows:
        for role, names in _units_of(conn, row.id).items():
            united[role] += [n for n in names if n not in united[role]]
    title = "；".join(r.title for r in rows)
    conn.execute(tasks.update().where(tasks.c.id == keep.id).values(
        title=title, line_end=max(r.line_end for r in rows), updated_at=datetime.now(UTC)))
    _replace_units(conn, keep.id, united)
    for row in rows[1:]:
        conn.execute(tasks.delete().where(tasks.c.id == row.id))
    record_change(conn, actor=actor.name, action="merge", entity="task", entity_id=keep.id,
                  before={"tasks": [r.id for r in rows], "titles": [r.title for r in rows]}, after={"title": title})
    return int(keep.id)


def set_public(conn: Connection, actor: UserInfo, task_id: int, public: bool) -> None:
    """Publish (or withdraw) a task's progress on the public site (政务公开)."""
    _require_office(actor)
    task = _task(conn, task_id)
    conn.execute(tasks.update().where(tasks.c.id == task_id).values(is_public=public, updated_at=datetime.now(UTC)))
    record_change(conn, actor=actor.name, action="publish" if public else "unpublish", entity="task",
                  entity_id=task_id, before={"is_public": task.is_public}, after={"is_public": public})
