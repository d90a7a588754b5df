"""考评 of units on their own work: facts gathered from the ledger, scored by ``ledger.evaluation``.

A unit answers for the tasks it leads or is responsible for, and for those of the groups it
belongs to (中宁县 for a 各县(区) task). For the period and the day of judgement (``as_of``):

- tasks due: the unit's own parts of tasks due in the period, on or before ``as_of``, not cancelled;
  on time: the part's 办结 approved on or before the due day; days late: for each late part, from
  the due day to its 办结 (or ``as_of``). A county is judged on its part, not its neighbours';
- reports due: each reporting period of the task's cycle whose report fell due in the period
  (by ``as_of``); in time: the unit's report for that period came in by its due day;
- 催办, 督办函 and 约谈 dated in the period.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput
from ..ledger.cycles import classify_reports, is_rule
from ..ledger.evaluation import STEPS, Rules, UnitFacts, UnitScore, load_rules, parse_period, rank
from ..ledger.status import CANCELLED, DONE
from ..storage.tables import (
    actions,
    assignments,
    documents,
    parts,
    reporting_cycles,
    reports,
    tasks,
    units,
)
from ..storage.tables_cycle import escalations
from .groups import group_members, stands_for


def default_rules() -> Rules:
    """The rules shipped in ``data/evaluation/default.json``."""
    text = resources.files("taizhang").joinpath("data/evaluation/default.json").read_text(encoding="utf-8")
    return load_rules(json.loads(text))


def read_rules(path: str | Path | None) -> Rules:
    """Rules from a scheme file, or the default ones."""
    if path is None:
        return default_rules()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"考评规则文件不存在：{path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"考评规则文件 {path} 不是有效的 JSON：{exc}") from None
    return load_rules(data)


def _answering_units(conn: Connection) -> dict[int, set[int]]:
    """task id → the units that answer for it (lead and responsible, groups expanded to members)."""
    members = group_members(conn)
    out: dict[int, set[int]] = defaultdict(set)
    rows = conn.execute(
        sa.select(assignments.c.task_id, assignments.c.unit_id).where(
            assignments.c.role.in_(("lead", "responsible"))
        )
    )
    for task_id, unit_id in rows:
        out[int(task_id)].update(stands_for(int(unit_id), members))
    return out


def _approvals(conn: Connection) -> dict[int, date]:
    """task id → the day of its last 办结 action."""
    rows = conn.execute(
        sa.select(actions.c.task_id, sa.func.max(actions.c.at))
        .where(actions.c.kind == "办结")
        .group_by(actions.c.task_id)
    )
    return {int(t): at.date() for t, at in rows if at is not None}


def gather(conn: Connection, period: str, as_of: date) -> tuple[str, date, date, list[UnitFacts]]:
    """The facts of every unit that had something due or drew an escalation in the period."""
    label, start, end = parse_period(period)
    last = min(end, as_of)
    answering = _answering_units(conn)
    tally: dict[int, dict[str, Any]] = defaultdict(
        lambda: {
            "tasks_due": 0,
            "done_on_time": 0,
            "reports_due": 0,
            "reports_on_time": 0,
            "days_late": 0,
            "steps": dict.fromkeys(STEPS, 0),
        }
    )
    # each unit answers for its own part: a county is on time when its part was closed in time
    due_rows = conn.execute(
        sa.select(parts.c.task_id, parts.c.unit_id, parts.c.done_at, parts.c.status, tasks.c.due_on)
        .join(tasks, tasks.c.id == parts.c.task_id)
        .where(tasks.c.due_on >= start, tasks.c.due_on <= last, tasks.c.status != CANCELLED)
    )
    approved = _approvals(conn)
    for task_id, unit_id, done_at, part_status, due_on in due_rows:
        # a part closed before parts kept their day of 办结 (an upgraded ledger) takes its task's
        done = done_at or (approved.get(int(task_id)) if part_status == DONE else None)
        entry = tally[int(unit_id)]
        entry["tasks_due"] += 1
        if done is not None and done <= due_on:
            entry["done_on_time"] += 1
        else:
            entry["days_late"] += max(0, ((done or as_of) - due_on).days)
    _tally_reports(conn, tally, answering, start, last)
    step_rows = conn.execute(
        sa.select(escalations.c.unit_id, escalations.c.step, sa.func.count())
        .where(escalations.c.dated >= start, escalations.c.dated <= last)
        .group_by(escalations.c.unit_id, escalations.c.step)
    )
    for unit_id, step, n in step_rows:
        tally[int(unit_id)]["steps"][step] = int(n)
    names = {
        int(i): n for i, n in conn.execute(sa.select(units.c.id, units.c.name).where(units.c.id.in_(tally)))
    }
    facts = [UnitFacts(unit=names[u], **values) for u, values in tally.items() if u in names]
    return label, start, end, facts


def _tally_reports(
    conn: Connection,
    tally: dict[int, dict[str, Any]],
    answering: dict[int, set[int]],
    start: date,
    last: date,
) -> None:
    cycles = conn.execute(
        sa.select(
            reporting_cycles.c.task_id,
            reporting_cycles.c.rule,
            reporting_cycles.c.starts_on,
            documents.c.signed_on,
            tasks.c.created_at,
            tasks.c.status,
        )
        .join(tasks, tasks.c.id == reporting_cycles.c.task_id)
        .join(documents, documents.c.id == tasks.c.document_id)
        .where(reporting_cycles.c.task_id.is_not(None), tasks.c.status != CANCELLED)
    ).all()
    if not cycles:
        return
    submitted: dict[tuple[int, int, str], date] = {}
    for task_id, unit_id, period, on in conn.execute(
        sa.select(reports.c.task_id, reports.c.unit_id, reports.c.period, reports.c.submitted_on).where(
            reports.c.kind == "progress", reports.c.period.is_not(None)
        )
    ):
        key = (int(task_id), int(unit_id), str(period))
        submitted[key] = min(on, submitted.get(key, on))
    for task_id, rule, starts_on, signed_on, created_at, _status in cycles:
        if not is_rule(rule):
            continue
        began = starts_on or signed_on or (created_at.date() if created_at else start)
        for unit_id in answering.get(int(task_id), ()):
            mine = {label: on for (t, u, label), on in submitted.items() if t == task_id and u == unit_id}
            for status in classify_reports(rule, began, last, mine):
                if not start <= status.period.due <= last:
                    continue
                tally[unit_id]["reports_due"] += 1
                tally[unit_id]["reports_on_time"] += status.status == "on_time"


def evaluate(conn: Connection, period: str, as_of: date, rules: Rules | None = None) -> dict[str, Any]:
    """The ranking of units for the period, judged on ``as_of``, as plain data."""
    used = rules or default_rules()
    label, start, end, facts = gather(conn, period, as_of)
    return {
        "period": label,
        "start": start,
        "end": end,
        "as_of": as_of,
        "rules": used.name,
        "units": [as_row(s) for s in rank(facts, used)],
    }


def as_row(score: UnitScore) -> dict[str, Any]:
    """One ranked unit as a flat row (the page, the API, the workbook)."""
    f = score.facts
    return {
        "rank": score.rank,
        "unit": f.unit,
        "score": score.score,
        "on_time_rate": score.on_time_rate,
        "feedback_rate": score.feedback_rate,
        "tasks_due": f.tasks_due,
        "done_on_time": f.done_on_time,
        "reports_due": f.reports_due,
        "reports_on_time": f.reports_on_time,
        **{step: f.steps.get(step, 0) for step in STEPS},
        "days_late": f.days_late,
        "deduction": score.deduction,
        "bonus": score.bonus,
    }


COLUMNS = (
    ("rank", "名次"),
    ("unit", "单位"),
    ("score", "得分"),
    ("on_time_rate", "按期办结率"),
    ("feedback_rate", "反馈及时率"),
    ("tasks_due", "到期任务"),
    ("done_on_time", "按期办结"),
    ("reports_due", "应报次数"),
    ("reports_on_time", "按时报送"),
    ("催办", "催办"),
    ("督办函", "督办函"),
    ("约谈", "约谈"),
    ("days_late", "逾期天数"),
    ("deduction", "扣分"),
    ("bonus", "加分"),
)


def write_xlsx(result: dict[str, Any], out: Any) -> None:
    """The ranking as a workbook: one sheet, a title row, the header, one row per unit."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "考评排名"
    sheet.append(
        [f"{result['period']} 督查督办工作考评（{result['rules']}，截至{result['as_of'].isoformat()}）"]
    )
    sheet.append([name for _, name in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in result["units"]:
        values = []
        for key, _ in COLUMNS:
            value = row[key]
            values.append(
                "—"
                if value is None and key.endswith("rate")
                else round(value * 100, 1)
                if key.endswith("rate")
                else value
            )
        sheet.append(values)
    sheet.freeze_panes = "A3"
    book.save(out)
