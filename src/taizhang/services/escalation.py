"""Escalation of one unit's part of a task: 催办 → 督办函 → 约谈, and leaders' 批示 on tasks.

Each step is a row of ``escalations`` for (task, unit) and an action on the task's timeline
(kind = the step, the message naming the unit), both in the change log. A 督办函 needs an
earlier 催办 of that unit on that task, a 约谈 an earlier 督办函: the office climbs the ladder
one step at a time. A 督办函 is numbered within its year (督办〔2023〕3号) and written as a Word
letter in 公文 layout by ``export.letters``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, InvalidTransition, NotFound
from ..ledger import permissions as perm
from ..ledger.status import CLOSED
from ..storage.tables import assignments, documents, tasks, units
from ..storage.tables_cycle import escalations, instructions
from .audit import record_change
from .intake import TaskDraft, create_task
from .timeline import record_action
from .units import resolve_unit
from .user_info import UserInfo
from .workflow import task_unit_ids

CHASE, LETTER, TALK = "催办", "督办函", "约谈"
STEPS = (CHASE, LETTER, TALK)
LETTER_PREFIX = "督办"
INSTRUCTION = "批示"
REPLY_DAYS = 5  # working days a 督办函 gives for a reply, unless the letter or the settings say otherwise
MAX_REPLY_DAYS = 60


@dataclass(frozen=True)
class Talk:
    """A 约谈: who was talked to and the outcome (the day is the step's day)."""

    talk_with: str
    outcome: str = ""


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def letter_number(year: int, serial: int) -> str:
    """督办〔2023〕3号."""
    return f"{LETTER_PREFIX}〔{year}〕{serial}号"


def checked_reply_days(days: int) -> int:
    """The reply time of a 督办函, refused in Chinese outside 1–60 working days."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_REPLY_DAYS:
        raise InvalidInput(f"督办函的答复时限应为1至{MAX_REPLY_DAYS}个工作日，而不是“{days}”")
    return days


def _open_task(conn: Connection, task_id: int) -> sa.Row:
    task = conn.execute(sa.select(tasks).where(tasks.c.id == task_id)).first()
    if task is None:
        raise NotFound(f"没有编号为 {task_id} 的任务")
    if task.status in CLOSED:
        raise InvalidTransition(f"任务 {task_id} {task.status}，无需督办")
    return task


def _unit_of_task(conn: Connection, task_id: int, unit: str) -> tuple[int, str]:
    unit_id = resolve_unit(conn, unit)
    if unit_id not in task_unit_ids(conn, task_id):
        raise InvalidInput(f"“{unit}”不是任务 {task_id} 的承办单位")
    name = conn.execute(sa.select(units.c.name).where(units.c.id == unit_id)).scalar_one()
    return unit_id, str(name)


def _steps_done(conn: Connection, task_id: int, unit_id: int) -> set[str]:
    rows = conn.execute(
        sa.select(escalations.c.step).where(
            escalations.c.task_id == task_id, escalations.c.unit_id == unit_id
        )
    )
    return {r[0] for r in rows}


def escalate(
    conn: Connection,
    actor: UserInfo,
    task_id: int,
    unit: str,
    step: str,
    *,
    message: str,
    today: date,
    talk: Talk | None = None,
    reply_days: int = REPLY_DAYS,
) -> int:
    """One step on (task, unit); returns the escalation id. A 督办函 asks for a reply within
    ``reply_days`` working days of its date.

    Raises PermissionDenied (not the office), InvalidInput (unknown step, a unit not on the task,
    a 约谈 without whom, a reply time outside 1–60 working days), InvalidTransition (a closed task,
    a step before its predecessor).
    """
    perm.require(perm.can_escalate(actor), f"{actor.name} 无权督办：只有督查室可以催办、发督办函、约谈")
    if step not in STEPS:
        raise InvalidInput(f"督办步骤应为{'、'.join(STEPS)}之一，而不是“{step}”")
    _open_task(conn, task_id)
    unit_id, unit_name = _unit_of_task(conn, task_id, unit)
    done = _steps_done(conn, task_id, unit_id)
    before = STEPS[STEPS.index(step) - 1] if step != CHASE else None
    if before is not None and before not in done:
        raise InvalidTransition(f"对{unit_name}发{step}之前须先{before}")
    message = (message or "").strip()
    values: dict[str, Any] = {
        "task_id": task_id,
        "unit_id": unit_id,
        "step": step,
        "dated": today,
        "message": message,
        "user_id": actor.id or None,
        "at": _now(),
    }
    if step == LETTER:
        last = conn.execute(
            sa.select(sa.func.max(escalations.c.serial)).where(escalations.c.year == today.year)
        )
        serial = int(last.scalar() or 0) + 1
        values.update(
            year=today.year,
            serial=serial,
            letter_number=letter_number(today.year, serial),
            reply_days=checked_reply_days(reply_days),
        )
    if step == TALK:
        if talk is None or not talk.talk_with.strip():
            raise InvalidInput("约谈须写明约谈对象")
        values.update(talk_with=talk.talk_with.strip()[:200], outcome=(talk.outcome or "").strip())
    escalation_id = int(conn.execute(escalations.insert().values(**values)).inserted_primary_key[0])
    record_change(
        conn, actor=actor.name, action=step, entity="escalation", entity_id=escalation_id, after=values
    )
    record_action(conn, actor, task_id, step, _describe(unit_name, values), unit_id=unit_id)
    return escalation_id


def _describe(unit_name: str, values: dict[str, Any]) -> str:
    text = f"{unit_name}：{values['message']}".rstrip("：")
    if values.get("letter_number"):
        text = f"{unit_name}：{values['letter_number']} {values['message']}".rstrip()
    if values.get("talk_with"):
        text = f"{unit_name}：约谈{values['talk_with']}" + (
            f"，{values['outcome']}" if values.get("outcome") else ""
        )
    return text


def _timeline(conn: Connection, actor: UserInfo, task_id: int, kind: str, message: str) -> None:
    record_action(conn, actor, task_id, kind, message)


def late_parts(
    conn: Connection, today: date, *, unit: str | None = None, document: str | None = None
) -> list[tuple[int, int]]:
    """(task id, unit id) of every lead or responsible unit of a task due before ``today`` and not closed."""
    query = (
        sa.select(assignments.c.task_id, assignments.c.unit_id)
        .join(tasks, tasks.c.id == assignments.c.task_id)
        .where(
            tasks.c.due_on < today,
            tasks.c.status.not_in(CLOSED),
            assignments.c.role.in_(("lead", "responsible")),
        )
        .order_by(assignments.c.task_id, assignments.c.position)
    )
    if unit:
        query = query.where(assignments.c.unit_id == resolve_unit(conn, unit))
    if document:
        doc = conn.execute(
            sa.select(documents.c.id).where(
                sa.or_(documents.c.doc_number == document.strip(), documents.c.title == document.strip())
            )
        ).scalar()
        if doc is None and document.strip().isdigit():
            doc = int(document.strip())
        if doc is None:
            raise NotFound(f"没有文件“{document}”")
        query = query.where(tasks.c.document_id == doc)
    return list(dict.fromkeys((int(r.task_id), int(r.unit_id)) for r in conn.execute(query)))


def chase_late(
    conn: Connection,
    actor: UserInfo,
    today: date,
    *,
    unit: str | None = None,
    document: str | None = None,
    message: str = "",
) -> int:
    """催办 every late part (of one unit, of one document, or all); returns how many were chased."""
    perm.require(perm.can_escalate(actor), f"{actor.name} 无权督办：只有督查室可以催办")
    found = late_parts(conn, today, unit=unit, document=document)
    wanted = {u for _, u in found}
    names = {
        r[0]: r[1] for r in conn.execute(sa.select(units.c.id, units.c.name).where(units.c.id.in_(wanted)))
    }
    text = (message or "").strip() or "该任务已逾期，请抓紧办理并报送进展。"
    for task_id, unit_id in found:
        values = {
            "task_id": task_id,
            "unit_id": unit_id,
            "step": CHASE,
            "dated": today,
            "message": text,
            "user_id": actor.id or None,
            "at": _now(),
        }
        escalation_id = int(conn.execute(escalations.insert().values(**values)).inserted_primary_key[0])
        record_change(
            conn, actor=actor.name, action=CHASE, entity="escalation", entity_id=escalation_id, after=values
        )
        record_action(conn, actor, task_id, CHASE, f"{names[unit_id]}：{text}", unit_id=unit_id)
    return len(found)


def counts(conn: Connection, *, task_id: int | None = None) -> dict[tuple[int, int], dict[str, int]]:
    """Steps counted per (task, unit): {(task id, unit id): {催办: n, 督办函: n, 约谈: n}}."""
    query = sa.select(
        escalations.c.task_id, escalations.c.unit_id, escalations.c.step, sa.func.count()
    ).group_by(escalations.c.task_id, escalations.c.unit_id, escalations.c.step)
    if task_id is not None:
        query = query.where(escalations.c.task_id == task_id)
    out: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(STEPS, 0))
    for row in conn.execute(query):
        out[(int(row[0]), int(row[1]))][row[2]] = int(row[3])
    return dict(out)


def task_totals(conn: Connection, task_ids: list[int]) -> dict[int, dict[str, int]]:
    """Steps of all units added up per task, for the tasks given: {task id: {催办: n, 督办函: n, 约谈: n}}."""
    if not task_ids:
        return {}
    query = (
        sa.select(escalations.c.task_id, escalations.c.step, sa.func.count())
        .where(escalations.c.task_id.in_(task_ids))
        .group_by(escalations.c.task_id, escalations.c.step)
    )
    out: dict[int, dict[str, int]] = {}
    for task_id, step, n in conn.execute(query):
        out.setdefault(int(task_id), dict.fromkeys(STEPS, 0))[step] = int(n)
    return out


def by_unit(conn: Connection) -> list[dict[str, Any]]:
    """Steps counted per unit, most escalated first: [{unit, 催办, 督办函, 约谈, tasks}]."""
    rows: dict[int, dict[str, Any]] = {}
    for (task_id, unit_id), steps in counts(conn).items():
        entry = rows.setdefault(unit_id, {"unit_id": unit_id, **dict.fromkeys(STEPS, 0), "tasks": set()})
        for step, n in steps.items():
            entry[step] += n
        entry["tasks"].add(task_id)
    names = {
        r[0]: r[1] for r in conn.execute(sa.select(units.c.id, units.c.name).where(units.c.id.in_(rows)))
    }
    out = [{**e, "unit": names[e["unit_id"]], "tasks": len(e["tasks"])} for e in rows.values()]
    return sorted(out, key=lambda e: (-e[TALK], -e[LETTER], -e[CHASE], e["unit"]))


def task_escalations(conn: Connection, task_id: int) -> list[dict[str, Any]]:
    """Every step on the task, oldest first, with its unit's name."""
    rows = conn.execute(
        sa.select(escalations, units.c.name.label("unit_name"))
        .join(units, units.c.id == escalations.c.unit_id)
        .where(escalations.c.task_id == task_id)
        .order_by(escalations.c.id)
    )
    return [dict(r._mapping) for r in rows]


def get_letter(conn: Connection, escalation_id: int) -> dict[str, Any]:
    """A 督办函 with its task and unit, for the Word letter."""
    row = conn.execute(
        sa.select(
            escalations,
            units.c.name.label("unit_name"),
            tasks.c.title,
            tasks.c.deadline_text,
            tasks.c.due_on,
            documents.c.doc_number,
            documents.c.title.label("document_title"),
        )
        .join(units, units.c.id == escalations.c.unit_id)
        .join(tasks, tasks.c.id == escalations.c.task_id)
        .join(documents, documents.c.id == tasks.c.document_id)
        .where(escalations.c.id == escalation_id, escalations.c.step == LETTER)
    ).first()
    if row is None:
        raise NotFound(f"没有编号为 {escalation_id} 的督办函")
    return dict(row._mapping)


def read_letter(conn: Connection, actor: UserInfo, escalation_id: int) -> dict[str, Any]:
    """The 督办函 for a reader the matrix allows: the office, leaders, the unit it is addressed to.

    Raises NotFound (no such letter), PermissionDenied (a unit the letter is not addressed to).
    """
    found = get_letter(conn, escalation_id)
    perm.require(
        perm.can_read_letter(actor, {int(found["unit_id"])}),
        f"{actor.name} 无权查看督办函 {found['letter_number']}：只有督查室、领导和受函单位可以查看",
    )
    return found


# 领导批示 -------------------------------------------------------------------------------------------


def add_instruction(
    conn: Connection,
    actor: UserInfo,
    task_id: int,
    *,
    text: str,
    given_on: date,
    leader: str | None = None,
    follow_up: TaskDraft | None = None,
    today: date,
) -> int:
    """A leader's 批示 on a task: on its timeline (so its units see it), optionally with a follow-up task.

    Leaders write their own; the office may record one on a leader's behalf (``leader`` names them)
    and create the follow-up task (立项 is the office's).
    """
    perm.require(
        perm.can_write_instruction(actor), f"{actor.name} 无权批示：只有领导（或督查室代录）可以批示"
    )
    if conn.execute(sa.select(tasks.c.id).where(tasks.c.id == task_id)).first() is None:
        raise NotFound(f"没有编号为 {task_id} 的任务")
    text = (text or "").strip()
    if not text:
        raise InvalidInput("批示内容不能为空")
    who = actor.name if actor.role == perm.LEADER else (leader or "").strip()
    if not who:
        raise InvalidInput("督查室代录批示须写明批示领导")
    follow_up_id = None
    if follow_up is not None:  # 立项 stays the office's: create_task checks it
        follow_up_id = create_task(conn, actor, follow_up, today=today)
    values = {
        "task_id": task_id,
        "leader": who[:100],
        "text": text,
        "given_on": given_on,
        "follow_up_task_id": follow_up_id,
        "user_id": actor.id or None,
        "at": _now(),
    }
    instruction_id = int(conn.execute(instructions.insert().values(**values)).inserted_primary_key[0])
    record_change(
        conn,
        actor=actor.name,
        action=INSTRUCTION,
        entity="instruction",
        entity_id=instruction_id,
        after=values,
    )
    suffix = f"（后续任务 {follow_up_id}）" if follow_up_id else ""
    _timeline(conn, actor, task_id, INSTRUCTION, f"{who}（{given_on.isoformat()}）：{text}{suffix}")
    return instruction_id


def task_instructions(conn: Connection, task_id: int) -> list[dict[str, Any]]:
    """The 批示 on a task, oldest first."""
    rows = conn.execute(
        sa.select(instructions)
        .where(instructions.c.task_id == task_id)
        .order_by(instructions.c.given_on, instructions.c.id)
    )
    return [dict(r._mapping) for r in rows]
