"""The stored late day (``late_on``) of tasks and parts follows every workflow step: after each one
there is nothing left for ``refresh_late_on`` to correct, and it says when the work turns late."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from taizhang.services import intake
from taizhang.services import workflow as wf
from taizhang.services.database import unit_of_work
from taizhang.services.standing import refresh_late_on
from taizhang.storage.tables import parts, tasks

from .conftest import progress_report

TODAY = date(2022, 5, 6)


def _stale(ledger) -> int:
    """Rows whose stored late day differs from the rule's (rolled back: a check, not a fix)."""
    with ledger.engine.connect() as conn:
        changed = refresh_late_on(conn)
        conn.rollback()
    return changed


def _late_days(ledger, key: str) -> tuple[date | None, dict[int, date | None]]:
    task_id = ledger.tasks[key]
    with ledger.engine.connect() as conn:
        task = conn.execute(sa.select(tasks.c.late_on).where(tasks.c.id == task_id)).scalar()
        by_unit = dict(
            conn.execute(sa.select(parts.c.unit_id, parts.c.late_on).where(parts.c.task_id == task_id)).all()
        )
    return task, by_unit


def test_a_fresh_ledger_stores_the_day_each_task_and_part_turns_late(ledger):
    assert _stale(ledger) == 0
    task, by_unit = _late_days(ledger, "counties")  # due 2022-05-10, one part per county
    assert task == date(2022, 5, 11)
    assert set(by_unit.values()) == {date(2022, 5, 11)} and len(by_unit) == 3
    assert _late_days(ledger, "ongoing")[0] is None  # 长期坚持 is never late


def test_each_workflow_step_keeps_the_late_days(ledger, tmp_path):
    t = ledger.tasks["counties"]
    office, zhongning = ledger.users["office"], ledger.users["zhongning"]
    with unit_of_work(ledger.engine) as conn:
        progress_report(conn, zhongning, t, today=TODAY, upload_dir=tmp_path)
    assert _stale(ledger) == 0
    with unit_of_work(ledger.engine) as conn:
        wf.request_completion(conn, zhongning, t, note="已完成", today=TODAY)
        wf.approve_completion(conn, office, t, today=TODAY, unit=ledger.units["中宁县"])
    assert _stale(ledger) == 0
    task, by_unit = _late_days(ledger, "counties")
    assert by_unit[ledger.units["中宁县"]] is None  # 中宁县's part is 办结; the other counties' are not
    assert by_unit[ledger.units["海原县"]] == date(2022, 5, 11) and task == date(2022, 5, 11)
    with unit_of_work(ledger.engine) as conn:
        request = wf.request_extension(
            conn,
            ledger.users["zhongning"],
            ledger.tasks["counties"],
            requested_due=date(2022, 6, 30),
            reason="汛期",
            today=TODAY,
        )
        wf.decide_extension(conn, office, request, approve=True, reason="", today=TODAY)
    assert _stale(ledger) == 0
    assert _late_days(ledger, "counties")[0] == date(2022, 6, 30) + timedelta(days=1)
    with unit_of_work(ledger.engine) as conn:
        intake.edit_task(
            conn,
            office,
            ledger.tasks["health"],
            deadline_text="2022年8月底前",
            reason="市政府同意延期",
            today=TODAY,
        )
    assert _stale(ledger) == 0
    assert _late_days(ledger, "health")[0] == date(2022, 9, 1)
    with unit_of_work(ledger.engine) as conn:
        intake.cancel_task(conn, office, ledger.tasks["health"], reason="任务调整", today=TODAY)
    assert _stale(ledger) == 0
    task, by_unit = _late_days(ledger, "health")
    assert task is None and set(by_unit.values()) == {None}
