"""立项: tasks the office creates itself, from a leader's instruction, a meeting, a proposal, an
inspection finding or a document, and their cancellation (撤销).

A task always belongs to a document; a task created by hand belongs to the document it came
from: an imported one when the source names its 发文字号, else a source record (a document
without issue whose ``doc_type`` is the source kind, e.g. 领导批示, and whose title names the
instruction or meeting). Units go through the same list splitter and directory as imported
tasks, deadlines through the same parser, with the day of 交办 (today) as the anchor of a
relative deadline (10个工作日内).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, UnknownUnit
from ..extract.deadlines import due_from_relative, parse_deadline
from ..extract.docnumbers import normalise as doc_number_in
from ..extract.model import Deadline
from ..extract.unit_lists import split_units
from ..extract.unit_names import level_of, needs_prefix, restore_prefix
from ..ledger import permissions as perm
from ..ledger.status import initial_status, next_status
from ..storage.tables import assignments, documents, reporting_cycles, tasks
from .attachments import Upload, attach_to_task, check_uploads
from .audit import record_change
from .notifications import record_handover
from .parts import sync_parts
from .standing import refresh_late_on
from .timeline import record_action
from .units import resolve_unit
from .user_info import UserInfo
from .workflow import locked_task, required_text, update_task, with_reason

SOURCE_KINDS = ("领导批示", "会议议定事项", "建议提案", "督查发现", "文件")
ROLE_NAMES = {"lead": "牵头单位", "responsible": "责任单位", "cooperating": "配合单位"}
CANCEL = "撤销"
MANUAL = "manual"  # tasks.source of a task created by hand
MAX_TASK_FILES = 5  # the default of ``max_attachments``: files on one new task, as on one report


@dataclass(frozen=True)
class TaskDraft:
    """What the office types to create a task; unit fields are printed lists (市财政局、市医保局)."""

    source_kind: str
    source_ref: str
    title: str
    body: str = ""
    lead: Sequence[str] = field(default_factory=tuple)
    responsible: Sequence[str] = field(default_factory=tuple)
    cooperating: Sequence[str] = field(default_factory=tuple)
    deadline_text: str | None = None
    is_public: bool = False


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def unit_names(printed: Sequence[str]) -> list[str]:
    """Each printed list split by the documents' own rules, in order, without repeats.

    As in documents, a level prefix dropped after the first name is restored across the list
    (市财政局、人力资源社会保障局 → 市人力资源社会保障局).
    """
    names: list[str] = []
    for text in printed:
        if text and text.strip():
            parts = list(split_units(text.strip()).names)
            level = next((lv for lv in map(level_of, parts) if lv), None)
            names.extend(restore_prefix(parts, level))
    return list(dict.fromkeys(n.strip() for n in names if n.strip()))


def row_level(names: Sequence[str]) -> str | None:
    """The level (市, 县 ...) the first prefixed name of a task's units prints, if any."""
    return next((lv for lv in map(level_of, names) if lv), None)


def resolve_printed(conn: Connection, name: str, level: str | None) -> int:
    """The unit of a printed name; a department printed without the level its task's other units
    print (医保局 beside 市卫生健康委) is looked up with it. Raises UnknownUnit."""
    try:
        return resolve_unit(conn, name)
    except UnknownUnit:
        if level and not level_of(name) and needs_prefix(name):
            return resolve_unit(conn, f"{level}{name}")
        raise


def resolve_roles(conn: Connection, draft: TaskDraft) -> list[tuple[str, int, str]]:
    """(role, unit id, printed) for every unit of the draft; an unknown name is refused in Chinese."""
    resolved: list[tuple[str, int, str]] = []
    by_role = {role: unit_names(getattr(draft, role)) for role in ROLE_NAMES}
    level = row_level([n for names in by_role.values() for n in names])
    for role, names in by_role.items():
        for name in names:
            try:
                resolved.append((role, resolve_printed(conn, name, level), name))
            except UnknownUnit as exc:
                raise InvalidInput(
                    f"{ROLE_NAMES[role]}“{name}”不在单位名录中：请先在单位名录中添加该单位或别名"
                ) from exc
    if not resolved:
        raise InvalidInput("请至少填写一个牵头单位或责任单位")
    return resolved


def read_deadline(text: str | None, handed_over: date) -> Deadline:
    """The deadline as the extractor reads it; a relative one counts from ``handed_over`` (交办)."""
    deadline = parse_deadline(text, signed=handed_over)
    if deadline.kind == "relative":
        try:
            deadline = Deadline(
                kind="relative",
                due=due_from_relative(deadline, handed_over),
                text=deadline.text,
                recurrence=deadline.recurrence,
                working_days=deadline.working_days,
                anchor=deadline.anchor,
            )
        except ValueError as exc:
            raise InvalidInput(f"完成时限“{text}”无法换算成日期") from exc
    if deadline.kind == "other":
        raise InvalidInput(
            f"完成时限“{text}”无法识别：可写 2023年6月底前、10个工作日内、每月25日前、长期坚持"
        )
    return deadline


def source_document(conn: Connection, actor: UserInfo, kind: str | None, ref: str) -> int:
    """The document a hand-made task belongs to, found or created (audited).

    ``kind`` None (a workbook's 文件 column) finds a document of any kind by its number or title,
    and creates a 文件 when none has it.
    """
    if kind is not None and kind not in SOURCE_KINDS:
        raise InvalidInput(f"任务来源应为{'、'.join(SOURCE_KINDS)}之一，而不是“{kind}”")
    ref = (ref or "").strip()
    if not ref:
        raise InvalidInput("请填写任务来源的文件、会议或批示名称")
    number = doc_number_in(ref)
    if number is not None:
        found = conn.execute(sa.select(documents.c.id).where(documents.c.doc_number == number)).scalar()
        if found is not None:
            return int(found)
    query = sa.select(documents.c.id).where(documents.c.title == ref)
    if kind is not None:
        query = query.where(documents.c.issue_id.is_(None), documents.c.doc_type == kind)
    found = conn.execute(query.order_by(documents.c.issue_id.is_(None).desc(), documents.c.id)).scalar()
    if found is not None:
        return int(found)
    values = {
        "issue_id": None,
        "doc_number": number,
        "title": ref,
        "doc_type": kind or "文件",
        "status": "有效",
        "addressees": [],
        "enclosed": [],
        "attachments": [],
        "cited_doc_numbers": [],
        "review_notes": [],
    }
    doc_id = int(conn.execute(documents.insert().values(**values)).inserted_primary_key[0])
    record_change(conn, actor=actor.name, action="create", entity="document", entity_id=doc_id, after=values)
    return doc_id


def insert_task(
    conn: Connection,
    actor: UserInfo,
    doc_id: int,
    key: str,
    draft: TaskDraft,
    resolved: Sequence[tuple[str, int, str]],
    deadline: Deadline,
    *,
    source: str,
    label: str | None = None,
    line: int = 0,
) -> int:
    """Store one task with its units and reporting cycle, every row in the change log."""
    values: dict[str, Any] = {
        "document_id": doc_id,
        "key": key[:200],
        "source": source,
        "label": label,
        "title": draft.title.strip(),
        "body": (draft.body or "").strip(),
        "line": line,
        "line_start": line,
        "line_end": line,
        "deadline_kind": deadline.kind,
        "deadline_text": (draft.deadline_text or "").strip() or None,
        "due_on": deadline.due,
        "recurrence": deadline.recurrence,
        "working_days": deadline.working_days,
        "status": initial_status(deadline.kind),
        "needs_review": False,
        "review_notes": [],
        "is_public": bool(draft.is_public),
        "created_at": _now(),
        "updated_at": _now(),
    }
    task_id = int(conn.execute(tasks.insert().values(**values)).inserted_primary_key[0])
    stored = []
    taken: set[tuple[int, str]] = set()
    for position, (role, unit_id, printed) in enumerate(resolved):
        if (unit_id, role) in taken:
            continue
        taken.add((unit_id, role))
        conn.execute(
            assignments.insert().values(
                task_id=task_id, unit_id=unit_id, role=role, printed=printed[:200], position=position
            )
        )
        stored.append({"unit_id": unit_id, "role": role, "printed": printed})
    record_change(
        conn,
        actor=actor.name,
        action="create",
        entity="task",
        entity_id=task_id,
        after={**values, "units": stored},
    )
    sync_parts(conn, task_id, actor=actor.name)
    record_handover(conn, actor, task_id)  # 交办: each unit is told of its part
    if deadline.kind == "recurring" and deadline.recurrence:
        cycle = {
            "document_id": doc_id,
            "task_id": task_id,
            "rule": deadline.recurrence,
            "line": line,
            "starts_on": values["created_at"].date(),
        }
        cycle_id = conn.execute(reporting_cycles.insert().values(**cycle)).inserted_primary_key[0]
        record_change(
            conn, actor=actor.name, action="create", entity="reporting_cycle", entity_id=cycle_id, after=cycle
        )
    return task_id


def create_task(
    conn: Connection,
    actor: UserInfo,
    draft: TaskDraft,
    *,
    today: date,
    uploads: Sequence[Upload] = (),
    upload_dir: Path | None = None,
    max_files: int = MAX_TASK_FILES,
) -> int:
    """立项: create a task from ``draft``, with its files (立项附件); today is its day of 交办.
    Returns the task id.

    Raises PermissionDenied (not the office), InvalidInput (no title, no unit, an unknown unit,
    an unreadable deadline, an unknown source kind, more than ``max_files`` files, a file without
    a name or over the size limit).
    """
    perm.require(perm.can_create_task(actor), f"{actor.name} 无权立项：只有督查室可以新建任务")
    if not (draft.title or "").strip():
        raise InvalidInput("请填写任务名称")
    check_uploads(uploads, max_files, "一项任务")
    if uploads and upload_dir is None:
        raise ValueError("保存立项附件需要上传目录")
    resolved = resolve_roles(conn, draft)
    deadline = read_deadline(draft.deadline_text, today)
    doc_id = source_document(conn, actor, draft.source_kind, draft.source_ref)
    task_id = insert_task(
        conn, actor, doc_id, f"{MANUAL}|{secrets.token_hex(8)}", draft, resolved, deadline, source=MANUAL
    )
    if uploads and upload_dir is not None:
        attach_to_task(conn, actor, task_id, uploads, upload_dir)
    return task_id


def cancel_task(conn: Connection, actor: UserInfo, task_id: int, *, reason: str, today: date) -> None:
    """撤销: the office cancels a task with a reason; it stays in the ledger, greyed, with no action left."""
    perm.require(perm.can_cancel_task(actor), f"{actor.name} 无权撤销任务：只有督查室可以撤销")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("撤销任务须写明理由")
    task = locked_task(conn, task_id)
    status = next_status(task.status, "cancel", task.deadline_kind)
    record_action(conn, actor, task_id, CANCEL, reason)
    conn.execute(tasks.update().where(tasks.c.id == task_id).values(status=status, updated_at=_now()))
    refresh_late_on(conn, [task_id])
    record_change(
        conn,
        actor=actor.name,
        action="cancel",
        entity="task",
        entity_id=task_id,
        before={"status": task.status},
        after={"status": status, "reason": reason},
    )


def edit_task(
    conn: Connection,
    actor: UserInfo,
    task_id: int,
    *,
    title: str | None = None,
    body: str | None = None,
    lead: Sequence[str] | None = None,
    responsible: Sequence[str] | None = None,
    cooperating: Sequence[str] | None = None,
    deadline_text: str | None = None,
    is_public: bool | None = None,
    reason: str,
    today: date,
) -> None:
    """Edit a task: None leaves a field; units are printed lists, the deadline is read again.

    A relative deadline counts from the task's creation (its 交办). Every change is in the change
    log with the office's reason (修改理由), which is required: nothing changes without one.
    """
    perm.require(perm.can_edit_task(actor), f"{actor.name} 无权修改任务：只有督查室可以修改")
    reason = required_text(reason, "修改理由")
    task = locked_task(conn, task_id)  # a cancel it waited for is seen, not overwritten
    if task.status == "已撤销":
        raise InvalidInput(f"任务 {task_id} 已撤销，不能再修改")
    fields: dict[str, Any] = {}
    if deadline_text is not None and deadline_text.strip() != (task.deadline_text or ""):
        handed_over = task.created_at.date() if task.created_at else today
        deadline = read_deadline(deadline_text, handed_over)
        fields.update(
            deadline_text=deadline_text.strip() or None, due_on=deadline.due, deadline_kind=deadline.kind
        )
    lists = {
        role: unit_names(names) if names is not None else None
        for role, names in (("lead", lead), ("responsible", responsible), ("cooperating", cooperating))
    }
    for role, names in lists.items():
        for name in names or ():
            try:
                resolve_unit(conn, name)
            except UnknownUnit as exc:
                raise InvalidInput(f"{ROLE_NAMES[role]}“{name}”不在单位名录中") from exc
    if body is not None and body.strip() != (task.body or ""):
        conn.execute(tasks.update().where(tasks.c.id == task_id).values(body=body.strip(), updated_at=_now()))
        record_change(
            conn,
            actor=actor.name,
            action="edit",
            entity="task",
            entity_id=task_id,
            before={"body": task.body},
            after=with_reason({"body": body.strip()}, reason),
        )
    update_task(
        conn,
        actor,
        task_id,
        title=title,
        lead=lists["lead"],
        responsible=lists["responsible"],
        cooperating=lists["cooperating"],
        is_public=is_public,
        reason=reason,
        **fields,
    )
