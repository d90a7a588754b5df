"""Read side of the ledger: task list with filters, one task, documents (interface of services.queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ...errors import NotFound
from ...storage.tables import (
    assignments,
    attachments,
    documents,
    issues,
    tasks,
    unit_aliases,
    unit_members,
    units,
)

DONE = "已完成"
SORTS = {
    "due": (tasks.c.due_on.is_(None), tasks.c.due_on, tasks.c.id),
    "document": (tasks.c.document_id, tasks.c.line),
    "status": (tasks.c.status, tasks.c.id),
    "updated": (tasks.c.updated_at.desc(), tasks.c.id),
}


@dataclass(frozen=True)
class TaskFilter:
    """What ``taizhang tasks`` and ``GET /api/tasks`` filter by; None means no filter."""

    unit: str | None = None
    role: str | None = None
    document: str | None = None
    due_before: date | None = None
    due_after: date | None = None
    overdue_as_of: date | None = None
    review: bool | None = None
    status: str | None = None
    q: str | None = None
    sort: str = "document"
    limit: int | None = 50
    offset: int = 0


def _unit_ids(conn: Connection, name: str) -> list[int]:
    """The unit called ``name`` (or by that alias) and the groups it belongs to (各县(区) for 沙坡头区)."""
    own = conn.execute(sa.select(units.c.id).where(units.c.name == name)).scalar()
    if own is None:
        own = conn.execute(sa.select(unit_aliases.c.unit_id).where(unit_aliases.c.alias == name)).scalar()
    if own is None:
        return []
    groups = conn.execute(sa.select(unit_members.c.group_id).where(unit_members.c.member_id == own)).scalars()
    return [own, *groups]


def _conditions(conn: Connection, f: TaskFilter) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if f.unit:
        by_unit = sa.select(assignments.c.task_id).where(assignments.c.unit_id.in_(_unit_ids(conn, f.unit)))
        if f.role:
            by_unit = by_unit.where(assignments.c.role == f.role)
        where.append(tasks.c.id.in_(by_unit))
    elif f.role:
        where.append(tasks.c.id.in_(sa.select(assignments.c.task_id).where(assignments.c.role == f.role)))
    if f.document:
        doc_ids = sa.select(documents.c.id).where(documents.c.doc_number == f.document)
        where.append(tasks.c.document_id.in_(doc_ids))
    if f.due_before:
        where.append(tasks.c.due_on <= f.due_before)
    if f.due_after:
        where.append(tasks.c.due_on >= f.due_after)
    if f.overdue_as_of:
        where += [tasks.c.due_on < f.overdue_as_of, tasks.c.status != DONE]
    if f.review is not None:
        where.append(tasks.c.needs_review.is_(f.review))
    if f.status:
        where.append(tasks.c.status == f.status)
    for word in (f.q or "").split():
        # Chinese has no spaces between words: a substring match per space-separated term
        where.append(sa.or_(tasks.c.title.contains(word, autoescape=True), tasks.c.body.contains(word, autoescape=True)))
    return where


def _units_by_task(conn: Connection, task_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in task_ids}
    if not task_ids:
        return found
    rows = conn.execute(
        sa.select(assignments.c.task_id, assignments.c.role, assignments.c.printed, units.c.id, units.c.name)
        .join(units, units.c.id == assignments.c.unit_id)
        .where(assignments.c.task_id.in_(task_ids))
        .order_by(assignments.c.task_id, assignments.c.position)
    )
    for r in rows:
        found[r.task_id].append({"unit_id": r.id, "unit": r.name, "role": r.role, "printed": r.printed})
    return found


def _task_select() -> sa.Select:
    return sa.select(tasks, documents.c.doc_number, documents.c.title.label("document_title")).join(
        documents, documents.c.id == tasks.c.document_id
    )


def list_tasks(conn: Connection, f: TaskFilter) -> tuple[list[dict[str, Any]], int]:
    """One page of tasks matching ``f`` (plain dicts with their units) and the total matching."""
    where = _conditions(conn, f)
    total = conn.execute(sa.select(sa.func.count()).select_from(tasks).where(*where)).scalar_one()
    query = _task_select().where(*where).order_by(*SORTS.get(f.sort, SORTS["document"]))
    if f.limit is not None:
        query = query.limit(f.limit).offset(f.offset)
    rows = [dict(r._mapping) for r in conn.execute(query)]
    units_of = _units_by_task(conn, [r["id"] for r in rows])
    for row in rows:
        row["units"] = units_of[row["id"]]
    return rows, int(total)


def get_task(conn: Connection, task_id: int) -> dict[str, Any]:
    """One task with its document and units; NotFound when there is none."""
    row = conn.execute(_task_select().where(tasks.c.id == task_id)).first()
    if row is None:
        raise NotFound(f"任务 {task_id} 不存在")
    task = dict(row._mapping)
    task["units"] = _units_by_task(conn, [task_id])[task_id]
    return task


def list_documents(conn: Connection) -> list[dict[str, Any]]:
    """Every document with its task counts, in gazette order."""
    counts = (
        sa.select(
            tasks.c.document_id,
            sa.func.count().label("task_count"),
            sa.func.sum(sa.case((tasks.c.status == DONE, 1), else_=0)).label("done_count"),
        ).group_by(tasks.c.document_id).subquery()
    )
    rows = conn.execute(
        sa.select(documents, counts.c.task_count, counts.c.done_count)
        .outerjoin(counts, counts.c.document_id == documents.c.id)
        .order_by(documents.c.issue_id, documents.c.position, documents.c.id)
    )
    return [dict(r._mapping, task_count=r.task_count or 0, done_count=r.done_count or 0) for r in rows]


def get_document(conn: Connection, document_id: int) -> dict[str, Any]:
    """One document with its elements; NotFound when there is none."""
    row = conn.execute(sa.select(documents).where(documents.c.id == document_id)).first()
    if row is None:
        raise NotFound(f"文件 {document_id} 不存在")
    return dict(row._mapping)


def document_lines(conn: Connection, document_id: int) -> list[tuple[int, str]]:
    """``(line number, text)`` of the document's lines in its issue's original text."""
    doc = get_document(conn, document_id)
    if doc["issue_id"] is None or doc["line_start"] is None:
        return []
    text = conn.execute(sa.select(issues.c.source_text).where(issues.c.id == doc["issue_id"])).scalar() or ""
    lines = text.replace("\r\n", "\n").split("\n")
    end = min(doc["line_end"] or len(lines), len(lines))
    return [(n, lines[n - 1]) for n in range(doc["line_start"], end + 1)]


def get_attachment(conn: Connection, attachment_id: int) -> dict[str, Any]:
    """One stored attachment's metadata; NotFound when there is none."""
    row = conn.execute(sa.select(attachments).where(attachments.c.id == attachment_id)).first()
    if row is None:
        raise NotFound(f"附件 {attachment_id} 不存在")
    return dict(row._mapping)
