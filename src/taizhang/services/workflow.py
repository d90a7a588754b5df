"""The task workflow: progress reports, completion and extension requests, office decisions,
chasing (催办), review corrections, split and merge. The timeline is in ``timeline.py``.

Every function runs inside the caller's unit of work, checks permissions with
``ledger.permissions``, moves status with ``ledger.status`` and records each change with
``services.audit.record_change`` (actor = the user's name).

A unit works on its own part of a task (``services.parts``): its reports, requests and the
office's decisions move that part, and the task's status and percent are then settled from
its parts. The office's decisions take ``unit=`` (a unit id) to act on one unit's part; without
it they act on every part waiting for that decision.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, InvalidTransition, NotFound
from ..extract.model import DEADLINE_KINDS
from ..ledger import permissions as perm
from ..ledger.status import CANCELLED, CLOSED, DONE, PENDING_REVIEW, initial_status, next_status
from ..storage.tables import (
    actions,
    assignments,
    parts,
    reporting_cycles,
    reports,
    tasks,
)
from . import parts as part_rows
from .attachments import Upload, store_upload
from .audit import change_batch, record_change
from .notifications import part_units, record_handover
from .standing import refresh_late_on
from .timeline import record_action as _add_action
from .timeline import timeline  # noqa: F401  (the task page and API ask the workflow for it)
from .units import resolve_unit
from .user_info import UserInfo

# Action kinds on the timeline (actions.kind), as the office says them.
CHASE, APPROVE, RETURN, EXTEND, REFUSE_EXTENSION, REOPEN = "催办", "办结", "退回", "延期", "不予延期", "重开"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _task(conn: Connection, task_id: int, *, lock: bool = True) -> sa.Row:
    """The task row; locked on PostgreSQL so two decisions on one task cannot both pass the rules
    (the change log's lock comes last, at commit: services/audit.append_at_commit)."""
    query = sa.select(tasks).where(tasks.c.id == task_id)
    if lock and conn.dialect.name == "sqlite":
        # SQLite has no row locks: a no-op write takes the database's write lock before we read
        conn.execute(tasks.update().where(tasks.c.id == task_id).values(status=tasks.c.status))
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound(f"没有编号为 {task_id} 的任务")
    return row


def locked_task(conn: Connection, task_id: int) -> sa.Row:
    """The task row, locked before it is read, for a writer that judges the task and then changes it:
    a writer that waited for another writer of the same task sees the task as that one left it."""
    return _task(conn, task_id)


def required_text(text: str | None, what: str) -> str:
    """The text without its edges, or 请填写<what> when nothing is left: every reason is required so."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(f"请填写{what}")
    return text


def task_unit_ids(conn: Connection, task_id: int) -> frozenset[int]:
    """Assigned unit ids plus the members of assigned groups (中宁县 acts on a 各县(区) task)."""
    return part_rows.task_units(conn, task_id).unit_ids()


def _set_task(
    conn: Connection, actor: UserInfo, task: sa.Row, action: str, *, reason: str | None = None, **values: Any
) -> None:
    """Update the task's columns and log before/after of exactly the columns that change, with the
    office's reason (理由) when it gave one."""
    changed = {k: v for k, v in values.items() if getattr(task, k) != v}
    if changed:
        conn.execute(tasks.update().where(tasks.c.id == task.id).values(**changed, updated_at=_now()))
        refresh_late_on(conn, [int(task.id)])
    record_change(
        conn,
        actor=actor.name,
        action=action,
        entity="task",
        entity_id=int(task.id),
        before={k: getattr(task, k) for k in changed},
        after=with_reason(changed, reason),
    )


def with_reason(after: dict[str, Any], reason: str | None) -> dict[str, Any]:
    """A change log's ``after`` with the reason the office gave (修改、拆分理由), when it gave one."""
    return {**after, "reason": reason} if reason else after


def _own_part(
    conn: Connection, task: sa.Row, unit_id: int, action: str, units: part_rows.TaskUnits
) -> tuple[sa.Row | None, str]:
    """The acting unit's part and its status after ``action``; (None, task status) for a task without parts.

    A unit with no part of its own (a cooperating unit) may report, but not ask for completion.
    Its callers settle the task after moving the unit's part, which refreshes the late days; without
    a part of the unit they are refreshed here.
    """
    if task.status == CANCELLED:
        next_status(task.status, action, task.deadline_kind)  # raises: nothing applies to a cancelled task
    changed, have = part_rows.synced_parts(
        conn, int(task.id), units=units, refresh=False, deadline_kind=task.deadline_kind
    )
    part = part_rows.unit_part(conn, int(task.id), unit_id) if changed else have.get(unit_id)
    if part is None and not changed:
        refresh_late_on(conn, [int(task.id)])
    if part is not None:
        return part, next_status(part.status, action, task.deadline_kind)
    if (
        action != "report"
        and conn.execute(
            sa.select(sa.func.count()).select_from(parts).where(parts.c.task_id == task.id)
        ).scalar()
    ):
        raise InvalidTransition(
            f"本单位在任务 {task.id} 中没有自己的分项（配合单位）：只有牵头单位和责任单位可以申请办结"
        )
    return None, next_status(task.status, action, task.deadline_kind)


def named_unit(conn: Connection, name: str | None) -> int | None:
    """The id of the unit a decision names (``unit=`` of 办结, 退回, 重开, 催办); None for a blank name."""
    return resolve_unit(conn, name) if name and name.strip() else None


def _has_parts(conn: Connection, task_id: int) -> bool:
    part_rows.sync_parts(conn, task_id)
    query = sa.select(sa.func.count()).select_from(parts).where(parts.c.task_id == task_id)
    return bool(conn.execute(query).scalar())


def _unit_for_task(conn: Connection, actor: UserInfo, task_id: int, allowed: bool, what: str) -> int:
    perm.require(allowed, f"{actor.name} 无权{what}任务 {task_id}：该任务不属于本单位")
    assert actor.unit_id is not None  # only unit users pass the own-task checks
    return actor.unit_id


def _report_with_key(conn: Connection, actor: UserInfo, key: str, task_id: int) -> int | None:
    """The id of the actor's report stored under ``key``, or None; a key of another task is refused."""
    query = sa.select(reports.c.id, reports.c.task_id).where(
        reports.c.user_id == actor.id, reports.c.idempotency_key == key
    )
    found = conn.execute(query).first()
    if found is not None and found.task_id != task_id:
        raise InvalidTransition(f"Idempotency-Key {key} 已用于任务 {found.task_id} 的报告，请为新报告换一个")
    return None if found is None else int(found.id)


def submit_report(
    conn: Connection,
    actor: UserInfo,
    task_id: int,
    *,
    practice: str,
    results: str,
    problems: str,
    next_steps: str,
    percent: int,
    today: date,
    period: str | None = None,
    uploads: Sequence[Upload] = (),
    upload_dir: Path,
    idempotency_key: str | None = None,
) -> int:
    """Store a progress report (主要做法, 成效, 存在问题, 下步打算) with its files; returns its id.

    A second call by the same user with the same ``idempotency_key`` stores nothing and returns
    the first report's id (a client retrying after a timeout).

    Raises PermissionDenied (not the actor's task), InvalidInput (empty report, percent outside
    0–100), InvalidTransition (a completed task: reopen it first; a key used for another task).
    """
    task = _task(conn, task_id)
    units = part_rows.task_units(conn, task_id)
    unit_id = _unit_for_task(conn, actor, task_id, perm.can_report(actor, units.unit_ids()), "报送")
    if idempotency_key:
        stored = _report_with_key(conn, actor, idempotency_key, task_id)
        if stored is not None:
            return stored
    texts = [(t or "").strip() for t in (practice, results, problems, next_steps)]
    if not any(texts):
        raise InvalidInput("报送内容为空：请至少填写主要做法、成效、存在问题、下步打算中的一项")
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        raise InvalidInput(f"完成进度应为 0 到 100 的整数，而不是 {percent!r}")
    if period is not None and (not period.strip() or len(period.strip()) > 10):
        raise InvalidInput(f"报送期间应形如 2022-05，而不是 {period!r}")
    # the report's entries (report, part, task) go in one INSERT, and the log's head is signed once
    with change_batch(conn):
        part, status = _own_part(conn, task, unit_id, "report", units)
        report_id = int(
            conn.execute(
                reports.insert().values(
                    task_id=task_id,
                    unit_id=unit_id,
                    user_id=actor.id,
                    kind="progress",
                    period=period.strip() if period else None,
                    practice=texts[0],
                    results=texts[1],
                    problems=texts[2],
                    next_steps=texts[3],
                    percent=percent,
                    submitted_on=today,
                    created_at=_now(),
                    idempotency_key=idempotency_key or None,
                )
            ).inserted_primary_key[0]
        )
        files = [store_upload(conn, u, upload_dir, report_id=report_id) for u in uploads]
        record_change(
            conn,
            actor=actor.name,
            action="submit",
            entity="report",
            entity_id=report_id,
            before=None,
            after={"task_id": task_id, "percent": percent, "period": period, "attachments": files},
        )
        if part is not None:
            part_rows.set_part(conn, actor.name, part, "report", status=status, percent=percent)
            part_rows.settle_task(conn, task_id, actor=actor.name, action="report")
        elif not _has_parts(conn, task_id):
            _set_task(conn, actor, task, "report", status=status, percent=percent)
    return report_id


def _request(
    conn: Connection,
    actor: UserInfo,
    task: sa.Row,
    unit_id: int,
    kind: str,
    today: date,
    text: str,
    requested_due: date | None = None,
) -> int:
    result = conn.execute(
        reports.insert().values(
            task_id=task.id,
            unit_id=unit_id,
            user_id=actor.id,
            kind=kind,
            practice=text,
            percent=task.percent,
            requested_due=requested_due,
            submitted_on=today,
            created_at=_now(),
        )
    )
    report_id = int(result.inserted_primary_key[0])
    record_change(
        conn,
        actor=actor.name,
        action=f"request_{kind}",
        entity="report",
        entity_id=report_id,
        before=None,
        after={"task_id": int(task.id), "text": text, "requested_due": requested_due},
    )
    return report_id


def request_completion(conn: Connection, actor: UserInfo, task_id: int, *, note: str, today: date) -> int:
    """A unit asks the office to close the task (申请办结); returns the request's report id."""
    task = _task(conn, task_id)
    units = part_rows.task_units(conn, task_id)
    allowed = perm.can_request_completion(actor, units.unit_ids())
    unit_id = _unit_for_task(conn, actor, task_id, allowed, "申请办结")
    part, status = _own_part(conn, task, unit_id, "request_completion", units)
    report_id = _request(conn, actor, task, unit_id, "completion", today, (note or "").strip())
    if part is None:
        _set_task(conn, actor, task, "request_completion", status=status)
    else:
        part_rows.set_part(conn, actor.name, part, "request_completion", status=status)
        part_rows.settle_task(conn, task_id, actor=actor.name, action="request_completion")
    return report_id


def _pending(conn: Connection, task_id: int, kind: str, unit_id: int | None = None) -> sa.Row | None:
    query = sa.select(reports).where(
        reports.c.task_id == task_id, reports.c.kind == kind, reports.c.decision.is_(None)
    )
    if unit_id is not None:
        query = query.where(reports.c.unit_id == unit_id)
    return conn.execute(query.order_by(reports.c.id.desc())).first()


def request_extension(
    conn: Connection, actor: UserInfo, task_id: int, *, requested_due: date, reason: str, today: date
) -> int:
    """A unit asks for a later deadline (申请延期); returns the request's report id."""
    task = _task(conn, task_id)
    allowed = perm.can_request_extension(actor, task_unit_ids(conn, task_id))
    unit_id = _unit_for_task(conn, actor, task_id, allowed, "申请延期")
    reason = required_text(reason, "延期理由")
    next_status(task.status, "extend", task.deadline_kind)
    if requested_due <= today or (task.due_on is not None and requested_due <= task.due_on):
        raise InvalidInput(f"申请的日期 {requested_due} 必须晚于今天和现有截止日期")
    if _pending(conn, task_id, "extension") is not None:
        raise InvalidTransition(f"任务 {task_id} 已有一项待审批的延期申请")
    return _request(conn, actor, task, unit_id, "extension", today, reason, requested_due)


def _decide(conn: Connection, actor: UserInfo, report: sa.Row, decision: str, reason: str) -> None:
    conn.execute(
        reports.update().where(reports.c.id == report.id).values(decision=decision, decision_reason=reason)
    )
    record_change(
        conn,
        actor=actor.name,
        action=decision,
        entity="report",
        entity_id=int(report.id),
        before={"decision": None},
        after={"decision": decision, "decision_reason": reason},
    )


def _decide_parts(
    conn: Connection,
    actor: UserInfo,
    task: sa.Row,
    action: str,
    unit: int | None,
    today: date,
    decision: str | None,
    reason: str,
) -> bool:
    """Move one unit's part (or every eligible part) and decide their waiting completion requests.

    Returns False for a task without parts, which the caller moves as a whole.
    """
    if task.status == CANCELLED:
        next_status(task.status, action, task.deadline_kind)  # raises: nothing applies to a cancelled task
    if not _has_parts(conn, int(task.id)):
        if unit is not None:
            raise NotFound(f"该单位在任务 {task.id} 中没有分项")
        return False
    eligible = (DONE,) if action == "reopen" else (PENDING_REVIEW,)
    moved = part_rows.move_parts(conn, actor.name, task, action, unit_id=unit, eligible=eligible, today=today)
    for part in moved if decision else ():
        pending = _pending(conn, int(task.id), "completion", int(part.unit_id))
        if pending is not None:
            _decide(conn, actor, pending, decision, reason)
    part_rows.settle_task(conn, int(task.id), actor=actor.name, action=action)
    return True


def approve_completion(
    conn: Connection, actor: UserInfo, task_id: int, *, note: str = "", today: date, unit: int | None = None
) -> None:
    """The office approves completion (办结) of one unit's part, or of every part that asked for it.

    A part becomes 已完成 (长期坚持 for 完成并长期坚持 work); the task follows its parts.
    """
    perm.require(perm.can_approve(actor), f"{actor.name} 无权审批办结：仅督查室可以审批办结")
    task = _task(conn, task_id)
    note = (note or "").strip()
    _add_action(conn, actor, task_id, APPROVE, note, unit)
    if not _decide_parts(conn, actor, task, "approve", unit, today, "approved", note):
        status = next_status(task.status, "approve", task.deadline_kind)
        pending = _pending(conn, task_id, "completion")
        if pending is not None:
            _decide(conn, actor, pending, "approved", note)
        _set_task(conn, actor, task, "approve", status=status, percent=100)


def return_task(
    conn: Connection, actor: UserInfo, task_id: int, *, reason: str, today: date, unit: int | None = None
) -> None:
    """The office returns a completion request with a reason (退回); that part is 推进中 again."""
    perm.require(perm.can_return(actor), f"{actor.name} 无权退回任务：仅督查室可以退回任务")
    task = _task(conn, task_id)
    reason = required_text(reason, "退回理由")
    _add_action(conn, actor, task_id, RETURN, reason, unit)
    if not _decide_parts(conn, actor, task, "return", unit, today, "returned", reason):
        status = next_status(task.status, "return", task.deadline_kind)
        pending = _pending(conn, task_id, "completion")
        if pending is not None:
            _decide(conn, actor, pending, "returned", reason)
        _set_task(conn, actor, task, "return", status=status)


def decide_extension(
    conn: Connection,
    actor: UserInfo,
    report_id: int,
    *,
    approve: bool,
    reason: str,
    today: date,
    task_id: int | None = None,
) -> None:
    """The office grants (tasks.due_on moves to the requested date) or refuses (reason required).

    ``task_id``, when given (the task in a URL), must be the request's task, else NotFound.
    """
    perm.require(perm.can_decide_extension(actor), f"{actor.name} 无权审批延期：仅督查室可以审批延期")
    query = sa.select(reports).where(reports.c.id == report_id)
    report = conn.execute(query).first()
    if report is None or report.kind != "extension" or task_id not in (None, report.task_id):
        raise NotFound(
            f"任务 {task_id} 没有编号为 {report_id} 的延期申请"
            if task_id
            else f"没有编号为 {report_id} 的延期申请"
        )
    task = _task(conn, report.task_id)  # the task first, as every other decision locks it
    report = conn.execute(query.with_for_update()).one()
    if report.decision is not None:
        raise InvalidTransition(f"延期申请 {report_id} 已经审批：{report.decision}")
    reason = (reason or "").strip() if approve else required_text(reason, "不同意的理由")
    next_status(task.status, "extend", task.deadline_kind)
    _decide(conn, actor, report, "approved" if approve else "refused", reason)
    if approve:
        _add_action(
            conn, actor, task.id, EXTEND, f"截止日期延至{report.requested_due.isoformat()} {reason}".strip()
        )
        _set_task(conn, actor, task, "extend", due_on=report.requested_due)
    else:
        _add_action(conn, actor, task.id, REFUSE_EXTENSION, reason)


def reopen(
    conn: Connection, actor: UserInfo, task_id: int, *, reason: str, today: date, unit: int | None = None
) -> None:
    """The office reopens a completed part (重开) of one unit, or every completed part, with a reason."""
    perm.require(perm.can_reopen(actor), f"{actor.name} 无权重开任务：仅督查室可以重开任务")
    task = _task(conn, task_id)
    reason = required_text(reason, "重开理由")
    _add_action(conn, actor, task_id, REOPEN, reason, unit)
    if not _decide_parts(conn, actor, task, "reopen", unit, today, None, reason):
        _set_task(conn, actor, task, "reopen", status=next_status(task.status, "reopen", task.deadline_kind))


def chase(
    conn: Connection, actor: UserInfo, task_id: int, *, message: str, today: date, unit: int | None = None
) -> int:
    """The office chases the task's units (催办), or one unit about its part; the message also goes
    into their next digest.

    Returns the action id. Raises InvalidTransition for a completed task or part.
    """
    perm.require(perm.can_chase(actor), f"{actor.name} 无权催办：仅督查室可以催办")
    task = _task(conn, task_id)
    message = required_text(message, "催办内容")
    if task.status in CLOSED:
        raise InvalidTransition(f"任务 {task_id} 状态为{task.status}，无需催办")
    if unit is not None:
        part_rows.sync_parts(conn, task_id)
        part = part_rows.unit_part(conn, task_id, unit)
        if part is None:
            raise NotFound(f"该单位在任务 {task_id} 中没有分项")
        if part.status == DONE:
            raise InvalidTransition(f"该单位在任务 {task_id} 中的分项已办结，无需催办")
    return _add_action(conn, actor, task_id, CHASE, message, unit)


# Review corrections (审核修正) --------------------------------------------------------------


def _unit_names(conn: Connection, task_id: int, role: str) -> list[str]:
    rows = conn.execute(
        sa.select(assignments.c.printed)
        .where(assignments.c.task_id == task_id, assignments.c.role == role)
        .order_by(assignments.c.position, assignments.c.id)
    )
    return [r[0] for r in rows]


def _replace_role(conn: Connection, task_id: int, role: str, names: Sequence[str]) -> None:
    resolved: dict[int, str] = {}
    for name in names:
        if name and name.strip():
            resolved.setdefault(resolve_unit(conn, name), name.strip())
    conn.execute(assignments.delete().where(assignments.c.task_id == task_id, assignments.c.role == role))
    for position, (unit_id, printed) in enumerate(resolved.items()):
        conn.execute(
            assignments.insert().values(
                task_id=task_id, unit_id=unit_id, role=role, printed=printed[:200], position=position
            )
        )


def _field_changes(task: sa.Row, **fields: Any) -> dict[str, Any]:
    values = {k: v for k, v in fields.items() if v is not None}
    if "title" in values:
        values["title"] = required_text(values["title"], "任务标题")
    kind = values.get("deadline_kind")
    if kind is not None and kind not in DEADLINE_KINDS:
        raise InvalidInput(f"时限类型应为 {'、'.join(DEADLINE_KINDS)} 之一，而不是 {kind!r}")
    if kind is not None and task.status == initial_status(task.deadline_kind):
        values["status"] = initial_status(kind)  # not yet worked on: start in the new kind's status
    return values


def update_task(
    conn: Connection,
    actor: UserInfo,
    task_id: int,
    *,
    title: str | None = None,
    lead: Sequence[str] | None = None,
    responsible: Sequence[str] | None = None,
    cooperating: Sequence[str] | None = None,
    deadline_text: str | None = None,
    due_on: date | None = None,
    deadline_kind: str | None = None,
    is_public: bool | None = None,
    mark_reviewed: bool = False,
    reason: str | None = None,
) -> None:
    """Office review corrections; None leaves a field as it is, a unit list replaces that role.

    Unit names resolve through the unit directory (aliases too); raises UnknownUnit otherwise.
    ``reason`` (an edit's 修改理由) goes with every change-log entry the call writes.
    """
    perm.require(perm.can_edit_task(actor), f"{actor.name} 无权修改任务：仅督查室可以修改任务")
    task = _task(conn, task_id)
    values = _field_changes(
        task,
        title=title,
        deadline_text=deadline_text,
        due_on=due_on,
        deadline_kind=deadline_kind,
        is_public=is_public,
    )
    if mark_reviewed:
        values["needs_review"] = False
    before_units: dict[str, list[str]] = {}
    after_units: dict[str, list[str]] = {}
    had_parts = set(part_units(conn, task_id))
    for role, names in (("lead", lead), ("responsible", responsible), ("cooperating", cooperating)):
        if names is None:
            continue
        before_units[role] = _unit_names(conn, task_id, role)
        _replace_role(conn, task_id, role, names)
        after_units[role] = _unit_names(conn, task_id, role)
        if before_units[role] == after_units[role]:
            del before_units[role], after_units[role]
    if after_units:
        record_change(
            conn,
            actor=actor.name,
            action="assign",
            entity="task",
            entity_id=int(task_id),
            before=before_units,
            after=with_reason(after_units, reason),
        )
    if values:
        _set_task(conn, actor, task, "review" if mark_reviewed else "edit", reason=reason, **values)
    if "deadline_kind" in values:
        part_rows.reset_initial(conn, task_id, task.deadline_kind, values["deadline_kind"])
    if after_units or "deadline_kind" in values:
        part_rows.sync_parts(conn, task_id, actor=actor.name)
        part_rows.settle_task(conn, task_id, actor=actor.name)
    if after_units:
        record_handover(conn, actor, task_id, had_parts)  # 交办 to the units given a part now


def _copy_task(conn: Connection, task: sa.Row, title: str, key: str) -> int:
    skip = {"id", "key", "title", "created_at", "updated_at", "status", "percent"}
    values = {k: v for k, v in task._mapping.items() if k not in skip}
    values.update(key=key[:200], title=title, status=initial_status(task.deadline_kind), percent=0)
    new_id = int(conn.execute(tasks.insert().values(**values)).inserted_primary_key[0])
    for row in conn.execute(sa.select(assignments).where(assignments.c.task_id == task.id)).all():
        conn.execute(
            assignments.insert().values(
                task_id=new_id, unit_id=row.unit_id, role=row.role, printed=row.printed, position=row.position
            )
        )
    part_rows.sync_parts(conn, new_id)
    return new_id


def split_task(
    conn: Connection, actor: UserInfo, task_id: int, titles: Sequence[str], *, reason: str
) -> list[int]:
    """Split one task into several (the first title stays on the original); returns their ids.

    The new tasks copy the original's document, source line, units and deadline. The office's
    reason (拆分理由, required) is in the change log of the original and of every new task.
    """
    perm.require(perm.can_edit_task(actor), f"{actor.name} 无权拆分任务：仅督查室可以拆分任务")
    reason = required_text(reason, "拆分理由")
    task = _task(conn, task_id)
    clean = [t.strip() for t in titles if t and t.strip()]
    if len(clean) < 2:
        raise InvalidInput("拆分至少需要两个非空标题")
    ids = [int(task.id)]
    for n, title in enumerate(clean[1:], start=2):
        new_id = _copy_task(conn, task, title, f"{task.key}/split-{secrets.token_hex(4)}-{n}")
        record_change(
            conn,
            actor=actor.name,
            action="split",
            entity="task",
            entity_id=new_id,
            before=None,
            after={"from_task": int(task.id), "title": title, "reason": reason},
        )
        ids.append(new_id)
    _set_task(conn, actor, task, "split", reason=reason, title=clean[0])
    return ids


def _merged_title(rows: Sequence[sa.Row]) -> str:
    return "；".join(dict.fromkeys(r.title for r in rows))


def merge_tasks(conn: Connection, actor: UserInfo, task_ids: Sequence[int]) -> int:
    """Merge tasks of one document into the first (reports, actions and units move to it).

    The others are deleted, each with its last state in the change log. Returns the kept id.
    """
    perm.require(perm.can_edit_task(actor), f"{actor.name} 无权合并任务：仅督查室可以合并任务")
    ids = list(dict.fromkeys(int(i) for i in task_ids))
    if len(ids) < 2:
        raise InvalidInput("合并至少需要两项不同的任务")
    rows = [_task(conn, i) for i in ids]
    if len({r.document_id for r in rows}) > 1:
        raise InvalidInput("只能合并同一文件的任务")
    keep, others = rows[0], rows[1:]
    other_ids = [int(r.id) for r in others]
    for table in (reports, actions, reporting_cycles):
        conn.execute(table.update().where(table.c.task_id.in_(other_ids)).values(task_id=keep.id))
    have = {
        (r.unit_id, r.role)
        for r in conn.execute(
            sa.select(assignments.c.unit_id, assignments.c.role).where(assignments.c.task_id == keep.id)
        )
    }
    for row in conn.execute(
        sa.select(assignments)
        .where(assignments.c.task_id.in_(other_ids))
        .order_by(assignments.c.task_id, assignments.c.position)
    ).all():
        if (row.unit_id, row.role) not in have:
            have.add((row.unit_id, row.role))
            conn.execute(
                assignments.insert().values(
                    task_id=keep.id,
                    unit_id=row.unit_id,
                    role=row.role,
                    printed=row.printed,
                    position=len(have),
                )
            )
    _merge_parts(conn, int(keep.id), other_ids)
    for row in others:
        conn.execute(tasks.delete().where(tasks.c.id == row.id))
        record_change(
            conn,
            actor=actor.name,
            action="merged_away",
            entity="task",
            entity_id=int(row.id),
            before={"key": row.key, "title": row.title, "status": row.status},
            after={"merged_into": int(keep.id)},
        )
    _set_task(
        conn,
        actor,
        keep,
        "merge",
        title=_merged_title(rows),
        line_start=min(r.line_start for r in rows),
        line_end=max(r.line_end for r in rows),
        percent=min(r.percent for r in rows),
    )
    part_rows.sync_parts(conn, int(keep.id), actor=actor.name)
    part_rows.settle_task(conn, int(keep.id), actor=actor.name)
    return int(keep.id)


def _merge_parts(conn: Connection, keep_id: int, other_ids: Sequence[int]) -> None:
    """A unit's part of a merged-away task moves to the kept task, unless it has one there already."""
    table = parts
    have = set(conn.execute(sa.select(table.c.unit_id).where(table.c.task_id == keep_id)).scalars())
    for row in conn.execute(
        sa.select(table).where(table.c.task_id.in_(other_ids)).order_by(table.c.id)
    ).all():
        if row.unit_id in have:
            conn.execute(table.delete().where(table.c.id == row.id))
        else:
            have.add(row.unit_id)
            conn.execute(table.update().where(table.c.id == row.id).values(task_id=keep_id))
