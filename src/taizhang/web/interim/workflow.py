"""Writes to the ledger: reports, requests and office decisions (interface of services.workflow).

Every change checks who may make it, moves the status by the ledger rules and is recorded in the
change log in the same transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ...errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from ...services.audit import record_change
from ...storage.tables import actions, assignments, attachments, reports, tasks, unit_members, units, users
from .accounts import UserInfo

# 状态 of a task
NOT_STARTED, IN_PROGRESS, PENDING, DONE, ONGOING = "未开始", "推进中", "待审核", "已完成", "长期坚持"


@dataclass(frozen=True)
class Upload:
    """One attached file of a report, as received."""

    filename: str
    content_type: str | None
    data: bytes


def task_unit_ids(conn: Connection, task_id: int) -> set[int]:
    """Units assigned to the task in any role, with the members of assigned groups (各县(区))."""
    direct = set(conn.execute(sa.select(assignments.c.unit_id).where(assignments.c.task_id == task_id)).scalars())
    if not direct:
        return direct
    members = conn.execute(sa.select(unit_members.c.member_id).where(unit_members.c.group_id.in_(direct)))
    return direct | set(members.scalars())


def _task(conn: Connection, task_id: int) -> sa.Row:
    row = conn.execute(sa.select(tasks).where(tasks.c.id == task_id)).first()
    if row is None:
        raise NotFound(f"任务 {task_id} 不存在")
    return row


def _require_unit_of_task(conn: Connection, actor: UserInfo, task_id: int) -> sa.Row:
    task = _task(conn, task_id)
    if actor.role != "unit" or actor.unit_id not in task_unit_ids(conn, task_id):
        raise PermissionDenied("只有承办该任务的单位可以报送")
    return task


def _require_office(conn: Connection, actor: UserInfo, task_id: int) -> sa.Row:
    task = _task(conn, task_id)
    if actor.role != "office":
        raise PermissionDenied("只有督查室可以执行此操作")
    return task


def _set_status(conn: Connection, actor: UserInfo, task: sa.Row, action: str, **values: Any) -> None:
    before = {k: getattr(task, k) for k in values}
    conn.execute(tasks.update().where(tasks.c.id == task.id).values(updated_at=datetime.now(UTC), **values))
    record_change(conn, actor=actor.name, action=action, entity="task", entity_id=task.id, before=before, after=values)


def _action(conn: Connection, actor: UserInfo, task_id: int, kind: str, message: str = "") -> None:
    conn.execute(actions.insert().values(task_id=task_id, user_id=actor.id, kind=kind, message=message,
                                         at=datetime.now(UTC)))


def _store(upload: Upload, upload_dir: Path) -> tuple[str, str]:
    digest = hashlib.sha256(upload.data).hexdigest()
    upload_dir.mkdir(parents=True, exist_ok=True)
    path = upload_dir / digest  # content-addressed: a file uploaded twice is stored once
    if not path.exists():
        path.write_bytes(upload.data)
    return digest, str(path)


def submit_report(conn: Connection, actor: UserInfo, task_id: int, *, practice: str = "", results: str = "",
                  problems: str = "", next_steps: str = "", percent: int = 0, today: date,
                  period: str | None = None, uploads: list[Upload] | tuple[Upload, ...] = (),
                  upload_dir: Path = Path("uploads"), kind: str = "progress") -> int:
    """A progress report (主要做法, 成效, 存在问题, 下步打算) from a unit of the task; returns its id."""
    task = _require_unit_of_task(conn, actor, task_id)
    if not 0 <= percent <= 100:
        raise InvalidInput("完成百分比应在 0 到 100 之间")
    if kind == "progress" and not any(s.strip() for s in (practice, results, problems, next_steps)):
        raise InvalidInput("进展报告不能为空")
    report_id = conn.execute(reports.insert().values(
        task_id=task_id, unit_id=actor.unit_id, user_id=actor.id, kind=kind, period=period or today.strftime("%Y-%m"),
        practice=practice, results=results, problems=problems, next_steps=next_steps, percent=percent,
        submitted_on=today)).inserted_primary_key[0]
    for upload in uploads:
        digest, stored = _store(upload, Path(upload_dir))
        conn.execute(attachments.insert().values(report_id=report_id, filename=upload.filename,
                     content_type=upload.content_type, size=len(upload.data), sha256=digest, stored_path=stored))
    record_change(conn, actor=actor.name, action=f"report_{kind}", entity="task", entity_id=task_id,
                  after={"report_id": report_id, "percent": percent, "attachments": [u.filename for u in uploads]})
    status = IN_PROGRESS if task.status == NOT_STARTED else task.status
    _set_status(conn, actor, task, "report", percent=max(percent, task.percent), status=status)
    return int(report_id)


def request_completion(conn: Connection, actor: UserInfo, task_id: int, *, today: date, note: str = "") -> int:
    """A unit asks the office to close the task (申请办结); the task waits for review."""
    task = _task(conn, task_id)
    if task.status in (DONE, PENDING):
        raise InvalidTransition(f"任务状态为{task.status}，不能申请办结")
    report_id = submit_report(conn, actor, task_id, results=note, percent=100, today=today, kind="completion")
    _set_status(conn, actor, _task(conn, task_id), "request_completion", status=PENDING)
    return report_id


def request_extension(conn: Connection, actor: UserInfo, task_id: int, *, requested_due: date, reason: str,
                      today: date) -> int:
    """A unit asks for a later deadline (申请延期) with a reason."""
    task = _require_unit_of_task(conn, actor, task_id)
    if task.status == DONE:
        raise InvalidTransition("任务已办结，不能申请延期")
    if not reason.strip():
        raise InvalidInput("请说明延期理由")
    report_id = conn.execute(reports.insert().values(
        task_id=task_id, unit_id=actor.unit_id, user_id=actor.id, kind="extension", problems=reason,
        percent=task.percent, requested_due=requested_due, submitted_on=today)).inserted_primary_key[0]
    record_change(conn, actor=actor.name, action="request_extension", entity="task", entity_id=task_id,
                  after={"report_id": report_id, "requested_due": requested_due, "reason": reason})
    return int(report_id)


def _pending(conn: Connection, task_id: int, kind: str) -> sa.Row | None:
    return conn.execute(sa.select(reports).where(reports.c.task_id == task_id, reports.c.kind == kind,
                                                 reports.c.decision.is_(None)).order_by(reports.c.id.desc())).first()


def approve_completion(conn: Connection, actor: UserInfo, task_id: int, *, note: str = "") -> None:
    """The office closes a task whose unit asked for it (办结)."""
    task = _require_office(conn, actor, task_id)
    request = _pending(conn, task_id, "completion")
    if task.status != PENDING or request is None:
        raise InvalidTransition("该任务没有待审核的办结申请")
    conn.execute(reports.update().where(reports.c.id == request.id).values(decision="approved", decision_reason=note))
    _action(conn, actor, task_id, "办结", note)
    _set_status(conn, actor, task, "approve_completion", status=DONE, percent=100)


def return_task(conn: Connection, actor: UserInfo, task_id: int, *, reason: str) -> None:
    """The office sends a completion request back (退回) with a reason."""
    task = _require_office(conn, actor, task_id)
    request = _pending(conn, task_id, "completion")
    if task.status != PENDING or request is None:
        raise InvalidTransition("该任务没有待审核的办结申请")
    if not reason.strip():
        raise InvalidInput("请说明退回理由")
    conn.execute(reports.update().where(reports.c.id == request.id).values(decision="returned", decision_reason=reason))
    _action(conn, actor, task_id, "退回", reason)
    _set_status(conn, actor, task, "return", status=IN_PROGRESS)


def decide_extension(conn: Connection, actor: UserInfo, report_id: int, *, approve: bool, reason: str = "") -> None:
    """The office grants (new due date) or refuses an extension request."""
    request = conn.execute(sa.select(reports).where(reports.c.id == report_id, reports.c.kind == "extension")).first()
    if request is None:
        raise NotFound(f"延期申请 {report_id} 不存在")
    task = _require_office(conn, actor, request.task_id)
    if request.decision is not None:
        raise InvalidTransition("该延期申请已处理")
    decision = "approved" if approve else "refused"
    conn.execute(reports.update().where(reports.c.id == report_id).values(decision=decision, decision_reason=reason))
    _action(conn, actor, task.id, "同意延期" if approve else "不同意延期", reason)
    if approve:
        _set_status(conn, actor, task, "extend", due_on=request.requested_due)
    else:
        record_change(conn, actor=actor.name, action="refuse_extension", entity="task", entity_id=task.id,
                      after={"report_id": report_id, "reason": reason})


def reopen(conn: Connection, actor: UserInfo, task_id: int, *, reason: str = "") -> None:
    """The office reopens a closed task (重开)."""
    task = _require_office(conn, actor, task_id)
    if task.status != DONE:
        raise InvalidTransition("只有已办结的任务可以重开")
    _action(conn, actor, task_id, "重开", reason)
    _set_status(conn, actor, task, "reopen", status=IN_PROGRESS)


def chase(conn: Connection, actor: UserInfo, task_id: int, *, message: str) -> None:
    """The office chases the units of a task (催办) with a message."""
    task = _require_office(conn, actor, task_id)
    if task.status == DONE:
        raise InvalidTransition("任务已办结，无需催办")
    if not message.strip():
        raise InvalidInput("催办内容不能为空")
    _action(conn, actor, task_id, "催办", message)
    record_change(conn, actor=actor.name, action="chase", entity="task", entity_id=task_id, after={"message": message})


def timeline(conn: Connection, task_id: int) -> list[dict[str, Any]]:
    """Reports, requests and office actions on a task, oldest first, as plain dicts."""
    entries: list[dict[str, Any]] = []
    report_rows = conn.execute(
        sa.select(reports, units.c.name.label("unit"), users.c.name.label("user"))
        .join(units, units.c.id == reports.c.unit_id).outerjoin(users, users.c.id == reports.c.user_id)
        .where(reports.c.task_id == task_id).order_by(reports.c.id))
    for r in report_rows:
        files = conn.execute(sa.select(attachments.c.id, attachments.c.filename, attachments.c.size)
                             .where(attachments.c.report_id == r.id)).all()
        entries.append({"type": "report", "at": r.created_at, **dict(r._mapping),
                        "attachments": [dict(f._mapping) for f in files]})
    action_rows = conn.execute(sa.select(actions, users.c.name.label("user"))
                               .outerjoin(users, users.c.id == actions.c.user_id).where(actions.c.task_id == task_id))
    entries += [{"type": "action", **dict(a._mapping)} for a in action_rows]
    return sorted(entries, key=lambda e: (_naive(e["at"]), e["id"]))


def _naive(at: datetime | None) -> datetime:
    if at is None:
        return datetime.min
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at
