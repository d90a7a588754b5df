"""A task's timeline (进展时间线): reports with attachments, office actions and changes, in order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import NotFound
from ..storage.tables import actions, attachments, change_log, reports, tasks, units, users
from .audit import history, record_change
from .change_text import action_word, actor_word, describe


class Actor(Protocol):
    """Who writes a timeline entry: a logged-in user (``UserInfo``) or a named process."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class NamedActor:
    """An actor known only by name (the CLI, a directory sync): its entries have no user row."""

    name: str
    id: int = 0


_REPORT_WORDS = {"progress": "进展报告", "completion": "申请办结", "extension": "申请延期"}
_DECISION_WORDS = {"approved": "已同意", "refused": "不同意", "returned": "已退回"}


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.min.replace(tzinfo=UTC)
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.replace(microsecond=0)


def _report_text(r: sa.Row) -> str:
    if r.kind == "progress":
        parts = [
            ("主要做法", r.practice),
            ("成效", r.results),
            ("存在问题", r.problems),
            ("下步打算", r.next_steps),
        ]
        body = "；".join(f"{label}：{text}" for label, text in parts if text)
        return f"{_REPORT_WORDS['progress']}（{r.percent}%）{body}"
    text = f"{_REPORT_WORDS.get(r.kind, r.kind)}：{r.practice}"
    if r.requested_due:
        text += f"（申请延至{r.requested_due.isoformat()}）"
    if r.decision:
        text += f"【{_DECISION_WORDS.get(r.decision, r.decision)}{'：' + r.decision_reason if r.decision_reason else ''}】"
    return text


def _report_entries(conn: Connection, task_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        sa.select(reports, users.c.name.label("user_name"), units.c.name.label("unit_name"))
        .select_from(
            reports.outerjoin(users, users.c.id == reports.c.user_id).join(
                units, units.c.id == reports.c.unit_id
            )
        )
        .where(reports.c.task_id == task_id)
    ).all()
    files: dict[int, list[dict[str, Any]]] = {}
    if rows:
        for a in conn.execute(
            sa.select(attachments)
            .where(attachments.c.report_id.in_([r.id for r in rows]))
            .order_by(attachments.c.id)
        ):
            files.setdefault(a.report_id, []).append(
                {
                    "id": a.id,
                    "filename": a.filename,
                    "content_type": a.content_type,
                    "size": a.size,
                    "sha256": a.sha256,
                }
            )
    return [
        {
            "kind": "report",
            "report_kind": r.kind,
            "id": r.id,
            "who": r.user_name or r.unit_name,
            "unit": r.unit_name,
            "when": _utc(r.created_at),
            "on": r.submitted_on,
            "text": _report_text(r),
            "percent": r.percent,
            "period": r.period,
            "practice": r.practice,
            "results": r.results,
            "problems": r.problems,
            "next_steps": r.next_steps,
            "requested_due": r.requested_due,
            "decision": r.decision,
            "decision_reason": r.decision_reason,
            "attachments": files.get(r.id, []),
        }
        for r in rows
    ]


def _action_entries(conn: Connection, task_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        sa.select(actions, users.c.name.label("user_name"))
        .select_from(actions.outerjoin(users, users.c.id == actions.c.user_id))
        .where(actions.c.task_id == task_id)
    ).all()
    return [
        {
            "kind": "action",
            "action": r.kind,
            "id": r.id,
            "who": r.user_name or actor_word(None),
            "when": _utc(r.at),
            "text": f"{action_word(r.kind)}：{r.message}" if r.message else action_word(r.kind),
        }
        for r in rows
    ]


def _change_entries(conn: Connection, task_id: int) -> list[dict[str, Any]]:
    return [
        {
            "kind": "change",
            "action": e["action"],
            "id": e["id"],
            "who": actor_word(e["actor"]),
            "when": _utc(e["at"]),
            "text": describe(e["actor"], e["action"], e["before"], e["after"]),
            "before": e["before"],
            "after": e["after"],
        }
        for e in history(conn, "task", task_id)
    ]


def _log_positions(conn: Connection, entity: str, ids: list[int]) -> dict[int, int]:
    """For each record, the id of its first change-log entry: the true order of events."""
    if not ids:
        return {}
    rows = conn.execute(
        sa.select(change_log.c.entity_id, sa.func.min(change_log.c.id))
        .where(change_log.c.entity == entity, change_log.c.entity_id.in_(ids))
        .group_by(change_log.c.entity_id)
    )
    return {int(r[0]): int(r[1]) for r in rows}


def timeline(conn: Connection, task_id: int) -> list[dict[str, Any]]:
    """Reports (with attachments), actions and change-log entries of a task, oldest first.

    Each entry has ``kind`` (report, action, change), ``who``, ``when`` (UTC) and ``text``.
    Timestamps have second precision, so events of one second keep the change log's order.
    """
    if conn.execute(sa.select(tasks.c.id).where(tasks.c.id == task_id)).first() is None:
        raise NotFound(f"没有编号为 {task_id} 的任务")
    entries = _report_entries(conn, task_id) + _action_entries(conn, task_id) + _change_entries(conn, task_id)
    position = {
        "report": _log_positions(conn, "report", [e["id"] for e in entries if e["kind"] == "report"]),
        "action": _log_positions(conn, "action", [e["id"] for e in entries if e["kind"] == "action"]),
    }

    def order(entry: dict[str, Any]) -> tuple[datetime, float]:
        if entry["kind"] == "change":
            return entry["when"], float(entry["id"])
        logged = position[entry["kind"]].get(entry["id"])
        return entry["when"], (logged - 0.5) if logged is not None else float("inf")

    return sorted(entries, key=order)


def record_action(
    conn: Connection, actor: Actor, task_id: int, kind: str, message: str, unit_id: int | None = None
) -> int:
    """Add one entry to a task's timeline (催办, 撤销, 批示…) and log it in the change log; its id."""
    at = datetime.now(UTC).replace(microsecond=0)
    values = {"task_id": task_id, "user_id": actor.id or None, "kind": kind, "message": message, "at": at}
    action_id = int(conn.execute(actions.insert().values(**values, unit_id=unit_id)).inserted_primary_key[0])
    after: dict[str, Any] = {"task_id": int(task_id), "message": message}
    if unit_id is not None:
        after["unit_id"] = unit_id
    record_change(conn, actor=actor.name, action=kind, entity="action", entity_id=action_id, after=after)
    return action_id
