"""The tallies (汇总) the database keeps stay equal to a count of the tasks and parts themselves after
every kind of write: the workflow, an edit, a cancellation, a new group member, a unit merged, a
task deleted, and a statement that goes around the application."""

from __future__ import annotations

from collections import Counter
from datetime import date

import sqlalchemy as sa

from taizhang.services import admin, intake
from taizhang.services import units as units_service
from taizhang.services import workflow as wf
from taizhang.services.database import unit_of_work
from taizhang.services.standing import refresh_late_on
from taizhang.services.tallies import late_month, rebuild
from taizhang.storage.tables import parts, tallies, tasks, units

TODAY = date(2022, 5, 6)


def _counted(conn) -> Counter:
    """(scope, id, status, late month) → rows, counted from tasks and parts."""
    found: Counter = Counter()
    for doc, status, day in conn.execute(sa.select(tasks.c.document_id, tasks.c.status, tasks.c.late_on)):
        found[("document", doc, status, late_month(day))] += 1
    for unit, status, day in conn.execute(sa.select(parts.c.unit_id, parts.c.status, parts.c.late_on)):
        found[("unit", unit, status, late_month(day))] += 1
    return found


def _kept(conn) -> Counter:
    rows = conn.execute(
        sa.select(tallies.c.scope, tallies.c.scope_id, tallies.c.status, tallies.c.late_month, tallies.c.n)
    )
    return Counter({(s, i, st, m): n for s, i, st, m, n in rows if n})


def _agree(ledger) -> None:
    with ledger.engine.connect() as conn:
        assert _kept(conn) == _counted(conn)


def test_the_tallies_follow_every_writer(ledger, tmp_path):
    _agree(ledger)
    t = ledger.tasks["counties"]
    office, zhongning = ledger.users["office"], ledger.users["zhongning"]
    with unit_of_work(ledger.engine) as conn:
        wf.submit_report(
            conn,
            zhongning,
            t,
            practice="召开推进会",
            results="覆盖全部乡镇",
            problems="",
            next_steps="继续推进",
            percent=60,
            today=TODAY,
            upload_dir=tmp_path,
        )
        wf.request_completion(conn, zhongning, t, note="已完成", today=TODAY)
        wf.approve_completion(conn, office, t, today=TODAY, unit=ledger.units["中宁县"])
    _agree(ledger)
    with unit_of_work(ledger.engine) as conn:
        intake.edit_task(
            conn,
            office,
            ledger.tasks["health"],
            deadline_text="2022年8月底前",
            reason="市政府同意延期",
            today=TODAY,
        )
        intake.cancel_task(conn, office, ledger.tasks["insurance"], reason="任务调整", today=TODAY)
    _agree(ledger)
    with unit_of_work(ledger.engine) as conn:  # a new member of a group gets a part
        conn.execute(units.insert().values(name="红寺堡区", kind="county", verified=True))
        units_service.add_member(conn, "各县(区)", "红寺堡区", actor="dcs")
    _agree(ledger)
    with unit_of_work(ledger.engine) as conn:  # parts move to the unit kept
        admin.add_unit(conn, office, "市医疗保障局")
        admin.merge_units(conn, office, "市医疗保障局", "市医保局")
    _agree(ledger)
    with unit_of_work(ledger.engine) as conn:  # around the application, and a task deleted
        conn.execute(
            tasks.update()
            .where(tasks.c.id == ledger.tasks["ongoing"])
            .values(status="推进中", deadline_kind="date", due_on=date(2021, 12, 31))
        )
        refresh_late_on(conn)
        conn.execute(tasks.delete().where(tasks.c.id == ledger.tasks["health"]))
    _agree(ledger)


def test_a_rollback_leaves_the_tallies_as_they_were_and_rebuild_counts_again(ledger):
    with ledger.engine.connect() as conn:
        before = _kept(conn)
        conn.execute(tasks.update().values(status="推进中"))
        assert _kept(conn) == _counted(conn)
        conn.rollback()
        assert _kept(conn) == before
        conn.execute(tallies.delete())
        rebuild(conn)
        assert _kept(conn) == _counted(conn) == before
        conn.rollback()
