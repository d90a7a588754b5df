"""The decision catalogue (重大行政决策事项目录): decision items, their 承办单位 and procedure steps.

The import stores each catalogue row as a decision item linked to the task the row also is, with
one step per statutory procedure (``extract.decisions.PROCEDURES``); a procedure the catalogue
leaves out is 不适用. The office moves steps and marks the flags that make a decision need the
larger expert panel. Units read the decisions they handle.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, NotFound, PermissionDenied
from ..extract.decisions import PROCEDURES, DecisionItem
from ..ledger import permissions as perm
from ..ledger.consultation_rules import COMPLEXITY_FLAGS
from ..ledger.decision_steps import DONE, NOT_APPLICABLE, NOT_STARTED, Step, check_change, stage
from ..storage.tables import documents, tasks, units
from ..storage.tables_procedures import consultations, decision_items, decision_steps, decision_units
from .audit import record_change
from .database import insert_returning_ids
from .units import DirectoryIndex, ensure_unit
from .user_info import UserInfo


def decision_key(item: DecisionItem) -> str:
    """Finds the same catalogue row again: document, label and a digest of the title."""
    digest = hashlib.sha1(item.title.encode("utf-8")).hexdigest()[:12]
    return f"{item.doc_number or ''}|{item.label or ''}|{digest}"


def _step_rows(decision_id: int, item: DecisionItem) -> list[dict[str, Any]]:
    rows = []
    for position, procedure in enumerate(PROCEDURES):
        listed = procedure.name in item.procedures
        rows.append(
            {
                "decision_id": decision_id,
                "procedure": procedure.name,
                "article": procedure.article,
                "required": procedure.required and listed,
                "state": NOT_STARTED if listed else NOT_APPLICABLE,
                "note": "" if listed else "目录未列此程序",
                "position": position,
            }
        )
    return rows


def _unit_rows(
    conn: Connection, index: DirectoryIndex, decision_id: int, item: DecisionItem, actor: str
) -> list[dict[str, Any]]:
    taken: set[int] = set()
    rows = []
    for position, printed in enumerate(item.units):
        unit_id, _ = ensure_unit(conn, index, printed, actor=actor)
        if unit_id not in taken:
            taken.add(unit_id)
            rows.append(
                {"decision_id": decision_id, "unit_id": unit_id, "printed": printed, "position": position}
            )
    return rows


def _tasks_by_line(conn: Connection, doc_ids: set[int]) -> dict[tuple[int, int], int]:
    """(document id, line) → the first task on that line, for the documents given, in one query."""
    found: dict[tuple[int, int], int] = {}
    if doc_ids:
        query = sa.select(tasks.c.document_id, tasks.c.line, tasks.c.id).where(
            tasks.c.document_id.in_(doc_ids)
        )
        for doc_id, line, task_id in conn.execute(query.order_by(tasks.c.id)):
            found.setdefault((int(doc_id), int(line)), int(task_id))
    return found


def store_decisions(
    conn: Connection, items: Iterable[DecisionItem], doc_ids: dict[str | None, int], *, actor: str
) -> int:
    """Store new decision items (a row stored before is kept as it is); returns how many were new."""
    index = DirectoryIndex.load(conn)
    items = [item for item in items if item.doc_number in doc_ids]
    keys = [decision_key(item) for item in items]
    stored = set(
        conn.execute(sa.select(decision_items.c.key).where(decision_items.c.key.in_(keys))).scalars()
    )
    task_at = _tasks_by_line(conn, {doc_ids[item.doc_number] for item in items})
    new: list[tuple[DecisionItem, dict[str, Any]]] = []
    for item, key in zip(items, keys, strict=True):
        if key in stored:
            continue
        stored.add(key)
        doc_id = doc_ids[item.doc_number]
        values = {
            "key": key,
            "document_id": doc_id,
            "task_id": task_at.get((doc_id, item.line)),
            "catalogue": item.catalogue,
            "label": item.label,
            "title": item.title,
            "units_printed": list(item.units),
            "deadline_text": item.deadline_text,
            "due_on": item.deadline.due,
            "line": item.line,
            "procedures_source": item.procedures_source,
            "flags": [],
        }
        new.append((item, values))
    # the rows of all new items go in one statement per table, not three for each item
    decision_ids = insert_returning_ids(conn, decision_items, [values for _, values in new])
    unit_rows: list[dict[str, Any]] = []
    step_rows: list[dict[str, Any]] = []
    for decision_id, (item, values) in zip(decision_ids, new, strict=True):
        unit_rows += _unit_rows(conn, index, decision_id, item, actor)
        step_rows += _step_rows(decision_id, item)
        record_change(
            conn,
            actor=actor,
            action="create",
            entity="decision",
            entity_id=decision_id,
            after={**values, "procedures": list(item.procedures)},
        )
    for table, rows in ((decision_units, unit_rows), (decision_steps, step_rows)):
        if rows:
            conn.execute(table.insert(), rows)
    return len(new)


# Reading ---------------------------------------------------------------------------------------


def _steps(conn: Connection, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    query = (
        sa.select(decision_steps)
        .where(decision_steps.c.decision_id.in_(ids))
        .order_by(decision_steps.c.position)
    )
    for r in conn.execute(query):
        found.setdefault(r.decision_id, []).append(
            {
                "procedure": r.procedure,
                "article": r.article,
                "required": bool(r.required),
                "state": r.state,
                "done_on": r.done_on,
                "note": r.note,
            }
        )
    return found


def _units(conn: Connection, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    query = (
        sa.select(decision_units.c.decision_id, units.c.id, units.c.name, decision_units.c.printed)
        .join(units, units.c.id == decision_units.c.unit_id)
        .where(decision_units.c.decision_id.in_(ids))
        .order_by(decision_units.c.position)
    )
    for r in conn.execute(query):
        found.setdefault(r.decision_id, []).append({"unit_id": r.id, "name": r.name, "printed": r.printed})
    return found


def _consultations(conn: Connection, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    query = sa.select(consultations).where(consultations.c.decision_id.in_(ids)).order_by(consultations.c.id)
    for r in conn.execute(query):
        found.setdefault(r.decision_id, []).append(
            {
                "id": r.id,
                "form": r.form,
                "status": r.status,
                "meeting_on": r.meeting_on,
                "is_public": r.is_public,
            }
        )
    return found


def _visible(user: UserInfo | None, unit_rows: list[dict[str, Any]]) -> bool:
    if user is None or user.role != perm.UNIT:
        return True
    return bool(user.unit_ids & {u["unit_id"] for u in unit_rows})


def list_decisions(
    conn: Connection, user: UserInfo | None = None, *, document: int | None = None, unit_id: int | None = None
) -> list[dict[str, Any]]:
    """Decision items in catalogue order with units, steps, stage and consultations.

    A unit user sees the decisions their unit handles; office and leaders see all. ``unit_id``
    keeps the decisions one unit handles (its page lists them).
    """
    query = (
        sa.select(decision_items, documents.c.doc_number)
        .join(documents, documents.c.id == decision_items.c.document_id)
        .order_by(decision_items.c.document_id, decision_items.c.line)
    )
    if document is not None:
        query = query.where(decision_items.c.document_id == document)
    rows = list(conn.execute(query))
    ids = [r.id for r in rows]
    steps, unit_rows, consulted = _steps(conn, ids), _units(conn, ids), _consultations(conn, ids)
    found = []
    for r in rows:
        if not _visible(user, unit_rows.get(r.id, [])):
            continue
        if unit_id is not None and unit_id not in {u["unit_id"] for u in unit_rows.get(r.id, [])}:
            continue
        mine = steps.get(r.id, [])
        found.append(
            {
                "id": r.id,
                "doc_number": r.doc_number,
                "document_id": r.document_id,
                "task_id": r.task_id,
                "catalogue": r.catalogue,
                "label": r.label,
                "title": r.title,
                "units": unit_rows.get(r.id, []),
                "deadline_text": r.deadline_text,
                "due_on": r.due_on,
                "line": r.line,
                "procedures_source": r.procedures_source,
                "flags": list(r.flags or []),
                "decided_on": r.decided_on,
                "steps": mine,
                "stage": stage([Step(s["procedure"], s["state"], s["required"]) for s in mine]),
                "consultations": consulted.get(r.id, []),
            }
        )
    return found


def get_decision(conn: Connection, decision_id: int, user: UserInfo | None = None) -> dict[str, Any]:
    """One decision item as ``list_decisions`` gives it.

    Raises:
        NotFound: no such item.
        PermissionDenied: a unit user asks for a decision their unit does not handle.
    """
    row = conn.execute(
        sa.select(decision_items.c.document_id).where(decision_items.c.id == decision_id)
    ).first()
    if row is None:
        raise NotFound(f"没有编号为 {decision_id} 的决策事项")
    found = [d for d in list_decisions(conn, None, document=row.document_id) if d["id"] == decision_id]
    if not _visible(user, found[0]["units"]):
        raise PermissionDenied("该决策事项不由本单位承办")
    return found[0]


# Writing ---------------------------------------------------------------------------------------


def update_step(
    conn: Connection,
    actor: str,
    decision_id: int,
    procedure: str,
    *,
    state: str,
    done_on: date | None = None,
    note: str = "",
    today: date,
) -> dict[str, Any]:
    """Move one procedure step (未开始/进行中/已完成/不适用); completing 集体讨论决定 decides the item.

    Raises:
        NotFound: no such decision.
        InvalidTransition: the steps' order or the law forbids the change.
    """
    item = get_decision(conn, decision_id)
    check_change(
        [Step(s["procedure"], s["state"], s["required"]) for s in item["steps"]], procedure, state, note
    )
    before = next(s for s in item["steps"] if s["procedure"] == procedure)
    day = (done_on or today) if state == DONE else None
    after = {"state": state, "done_on": day, "note": note.strip() or before["note"]}
    conn.execute(
        decision_steps.update()
        .where(decision_steps.c.decision_id == decision_id, decision_steps.c.procedure == procedure)
        .values(**after)
    )
    record_change(
        conn,
        actor=actor,
        action="update",
        entity="decision_step",
        entity_id=decision_id,
        before={"procedure": procedure, **{k: before[k] for k in after}},
        after={"procedure": procedure, **after},
    )
    if procedure == "集体讨论决定":
        decided = day if state == DONE else None
        conn.execute(
            decision_items.update().where(decision_items.c.id == decision_id).values(decided_on=decided)
        )
    return get_decision(conn, decision_id)


def set_flags(conn: Connection, actor: str, decision_id: int, flags: Iterable[str]) -> dict[str, Any]:
    """Mark what makes a decision need the larger panel (wide, contested, sensitive).

    Raises:
        InvalidInput: an unknown flag.
    """
    wanted = sorted(set(flags))
    unknown = [f for f in wanted if f not in COMPLEXITY_FLAGS]
    if unknown:
        raise InvalidInput(f"未知的事项标记：{'、'.join(unknown)}（可选：{'、'.join(COMPLEXITY_FLAGS)}）")
    item = get_decision(conn, decision_id)
    conn.execute(decision_items.update().where(decision_items.c.id == decision_id).values(flags=wanted))
    record_change(
        conn,
        actor=actor,
        action="update",
        entity="decision",
        entity_id=decision_id,
        before={"flags": item["flags"]},
        after={"flags": wanted},
    )
    return get_decision(conn, decision_id)
