"""The tallies (汇总) the database keeps stay equal to a count of the tasks, parts and reports
themselves after every kind of write: the workflow, an edit, a cancellation, a new group member, a
unit merged, a task deleted, statements that go around the application, and random sequences of
inserts, updates and deletes (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taizhang.extract.model import ROLES
from taizhang.services import admin, intake, tallies
from taizhang.services import units as units_service
from taizhang.services import workflow as wf
from taizhang.services.database import unit_of_work
from taizhang.services.standing import refresh_late_on
from taizhang.services.tallies import TABLES, count_own_writes, counted, rebuild
from taizhang.storage.tables import (
    assignments,
    documents,
    parts,
    reports,
    tally_answered,
    tally_late,
    tasks,
    units,
)

from .conftest import progress_report

TODAY = date(2022, 5, 6)


def _rows(rows) -> list[tuple]:
    return sorted(tuple(sorted(r.items())) for r in rows)


def _kept(conn) -> dict[str, list[tuple]]:
    """Every tally row kept, less the statuses no task stands in any more, with the transaction's
    own writes counted (PostgreSQL counts them at the commit)."""
    count_own_writes(conn)
    out = {}
    for table in TABLES:
        rows = [dict(r._mapping) for r in conn.execute(sa.select(table))]
        out[table.name] = _rows(r for r in rows if r.get("n", 1) != 0)
    return out


def _counted(conn) -> dict[str, list[tuple]]:
    return {name: _rows(rows) for name, rows in counted(conn).items()}


def _agree(ledger) -> None:
    with ledger.engine.connect() as conn:
        assert _kept(conn) == _counted(conn)


def test_the_tallies_follow_every_writer(ledger, tmp_path):
    _agree(ledger)
    t = ledger.tasks["counties"]
    office, zhongning = ledger.users["office"], ledger.users["zhongning"]
    with unit_of_work(ledger.engine) as conn:
        progress_report(conn, zhongning, t, today=TODAY, upload_dir=tmp_path)
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
        for table in TABLES:
            conn.execute(table.delete())
        rebuild(conn)
        assert _kept(conn) == _counted(conn) == before
        conn.rollback()


STATUSES = ("未开始", "推进中", "待审核", "已完成", "长期坚持", "已撤销")
CYCLES = (None, None, "monthly:25", "quarterly:10", "weekly:5", "half-yearly", "yearly:01-31", "days:30")
# late days over a few months either side of a month boundary, or none
LATE = st.one_of(st.none(), st.integers(-70, 70).map(lambda d: TODAY + timedelta(days=d)))
PICK = st.integers(0, 1_000)

task_values = st.fixed_dictionaries(
    {"status": st.sampled_from(STATUSES), "late_on": LATE, "recurrence": st.sampled_from(CYCLES)}
)
part_values = st.fixed_dictionaries({"status": st.sampled_from(STATUSES[:5]), "late_on": LATE})
# report days near TODAY, and around the turn of a year (an ISO week's year is not always the day's)
REPORT_DAY = st.one_of(
    st.integers(-20, 20).map(lambda d: TODAY + timedelta(days=d)),
    st.integers(-6, 6).map(lambda d: date(2021, 1, 1) + timedelta(days=d)),
    st.integers(-6, 6).map(lambda d: date(2027, 1, 1) + timedelta(days=d)),
)
report_values = st.fixed_dictionaries(
    {
        "submitted_on": REPORT_DAY,
        "percent": st.integers(0, 100),
        "kind": st.sampled_from(("progress", "progress", "completion")),
        "period": st.sampled_from((None, None, None, "2022-05", "2022-Q2", "2022-W18", "2022")),
    }
)
writes = st.lists(
    st.one_of(
        st.tuples(st.just("add task"), PICK, task_values),
        st.tuples(st.just("edit task"), PICK, task_values),
        st.tuples(st.just("move task"), PICK, PICK),
        st.tuples(st.just("delete task"), PICK),
        st.tuples(st.just("add part"), PICK, PICK, part_values),
        st.tuples(st.just("edit part"), PICK, part_values),
        st.tuples(st.just("move part"), PICK, PICK),
        st.tuples(st.just("delete part"), PICK),
        st.tuples(st.just("add report"), PICK, report_values),
        st.tuples(st.just("edit report"), PICK, report_values),
        st.tuples(st.just("delete report"), PICK),
        st.tuples(st.just("move report"), PICK, PICK),
        st.tuples(st.just("add assignment"), PICK, PICK, st.sampled_from(ROLES)),
        st.tuples(st.just("move assignment"), PICK, PICK),
        st.tuples(st.just("delete assignment"), PICK),
        st.tuples(st.just("edit assignment"), PICK, st.fixed_dictionaries({"role": st.sampled_from(ROLES)})),
        st.tuples(st.just("everything"), task_values),
    ),
    min_size=1,
    max_size=12,
)


def _ids(conn, table) -> list[int]:
    return list(conn.execute(sa.select(table.c.id).order_by(table.c.id)).scalars())


def _bare_task(conn, doc: int, key: str, title: str, **values) -> int:
    """A task of document ``doc`` on line 1 with ``values``; its other columns keep their defaults."""
    found = conn.execute(
        tasks.insert().values(
            document_id=doc, key=key, source="text", title=title, line=1, line_start=1, line_end=1, **values
        )
    )
    return found.inserted_primary_key[0]


def _picked(conn, table, pick: int) -> int | None:
    ids = _ids(conn, table)
    return ids[pick % len(ids)] if ids else None


def _write(conn, write: tuple, serial: int) -> None:  # noqa: C901, PLR0912 — one branch per kind of write
    kind = write[0]
    docs, unit_ids = _ids(conn, documents), _ids(conn, units)
    if kind == "add task":
        _bare_task(conn, docs[write[1] % len(docs)], f"random-{serial}", "随机任务", **write[2])
    elif kind == "everything":  # one statement over every task
        conn.execute(tasks.update().values(**write[1]))
    elif kind == "add report" and (task := _picked(conn, tasks, write[1])):
        conn.execute(reports.insert().values(task_id=task, unit_id=unit_ids[0], **write[2]))
    elif kind == "add assignment" and (task := _picked(conn, tasks, write[1])):
        unit = unit_ids[write[2] % len(unit_ids)]
        conn.execute(assignments.insert().values(task_id=task, unit_id=unit, role=write[3], printed=""))
    elif kind == "add part" and (task := _picked(conn, tasks, write[1])):
        unit = unit_ids[write[2] % len(unit_ids)]
        conn.execute(parts.insert().values(task_id=task, unit_id=unit, role="lead", **write[3]))
    else:
        table = {"task": tasks, "part": parts, "report": reports, "assignment": assignments}[kind.split()[1]]
        row = _picked(conn, table, write[1])
        if row is None:
            return
        where = table.c.id == row
        if kind.startswith("delete"):
            conn.execute(table.delete().where(where))
        elif kind == "move task":
            conn.execute(table.update().where(where).values(document_id=docs[write[2] % len(docs)]))
        elif kind == "move report" and (task := _picked(conn, tasks, write[2])):
            conn.execute(table.update().where(where).values(task_id=task))
        elif kind in ("move part", "move assignment"):
            conn.execute(table.update().where(where).values(unit_id=unit_ids[write[2] % len(unit_ids)]))
        else:
            conn.execute(table.update().where(where).values(**write[2]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=writes)
def test_the_tallies_equal_a_count_from_scratch_after_any_writes(ledger, writes):
    with ledger.engine.connect() as conn:
        if len(_ids(conn, documents)) < 2:  # a second document to move tasks to
            issue = conn.execute(sa.select(documents.c.issue_id)).scalar()
            conn.execute(documents.insert().values(issue_id=issue, title="第二份文件", position=1))
            conn.commit()
        for serial, write in enumerate(writes):
            try:
                with conn.begin_nested():  # a write the schema refuses (a unit's second part) is undone
                    _write(conn, write, serial)
            except sa.exc.IntegrityError:
                pass
            assert _kept(conn) == _counted(conn), write
        conn.rollback()


def test_what_was_late_before_a_month_is_the_running_count_of_one_row(ledger):
    """``upto`` of a month counts the scope's late rows in that month and every month before it."""
    with ledger.engine.connect() as conn:
        issue = conn.execute(sa.select(documents.c.issue_id)).scalar()
        doc = conn.execute(documents.insert().values(issue_id=issue, title="新文件")).inserted_primary_key[0]
        for n, day in enumerate((date(2022, 1, 5), date(2022, 1, 20), date(2022, 3, 1), date(2021, 12, 31))):
            _bare_task(conn, doc, f"late-{n}", "逾期任务", status="推进中", late_on=day)
        count_own_writes(conn)
        months = conn.execute(
            sa.select(tally_late.c.late_month, tally_late.c.n, tally_late.c.upto)
            .where(tally_late.c.scope == "document", tally_late.c.scope_id == doc)
            .order_by(tally_late.c.late_month)
        ).all()
        assert [tuple(m) for m in months] == [
            (2021 * 12 + 11, 1, 1),
            (2022 * 12, 2, 3),
            (2022 * 12 + 2, 1, 4),
        ]
        conn.rollback()


def test_a_document_deleted_with_its_answered_tasks_leaves_no_answered_period(ledger):
    """Deleting a document deletes its tasks and their reports in one statement: whichever the
    database deletes first, the tasks answered for a period are counted out once."""
    with ledger.engine.connect() as conn:
        issue = conn.execute(sa.select(documents.c.issue_id)).scalar()
        doc = conn.execute(documents.insert().values(issue_id=issue, title="月报文件")).inserted_primary_key[
            0
        ]
        unit = _ids(conn, units)[0]
        for n, status in enumerate(("推进中", "推进中", "已完成")):
            task = _bare_task(conn, doc, f"monthly-{n}", "按月报送", status=status, recurrence="monthly:25")
            for day in (date(2022, 4, 20), date(2022, 4, 28)):  # two reports answering 2022-04
                conn.execute(
                    reports.insert().values(task_id=task, unit_id=unit, submitted_on=day, percent=10)
                )
        answered = sa.select(tally_answered.c.n).where(
            tally_answered.c.document_id == doc, tally_answered.c.period == "2022-04"
        )
        assert conn.execute(answered).scalars().all() == [2]  # the task 办结 is no longer owed
        _same(conn)
        conn.execute(documents.delete().where(documents.c.id == doc))
        assert conn.execute(answered).scalars().all() == []
        _same(conn)
        conn.rollback()


def _same(conn) -> None:
    assert _kept(conn) == _counted(conn)


def _late_task(conn, doc: int, key: str, late_on: date | None) -> None:
    _bare_task(conn, doc, f"{key}-{doc}", "排名任务", status="推进中", late_on=late_on)


def test_the_worst_documents_are_ranked_and_summed_by_the_database(ledger):
    """The database ranks the documents (most late, then most tasks, then by id: documents alike
    are listed in the order they were made) and sums their figures, as a count of each would."""
    today, window_end = date(2001, 6, 29), date(2001, 7, 9)  # before any of the gazette's tasks is late
    with ledger.engine.connect() as conn:
        issue = conn.execute(sa.select(documents.c.issue_id)).scalar()
        made = [
            conn.execute(documents.insert().values(issue_id=issue, title=f"文件{n}")).inserted_primary_key[0]
            for n in range(4)
        ]
        # two alike with one task late in May and one due within the window, one with more tasks
        for doc in (made[2], made[0]):
            _late_task(conn, doc, "may", date(2001, 5, 3))
            _late_task(conn, doc, "soon", date(2001, 7, 4))
        for n, day in enumerate((date(2001, 6, 2), date(2001, 4, 1), None)):
            _late_task(conn, made[1], f"more-{n}", day)
        _late_task(conn, made[3], "calm", None)
        count_own_writes(conn)
        each = tallies.scope_standing(conn, tallies.DOCUMENT, today, window_end)
        ranking = tallies.worst_standing(conn, tallies.DOCUMENT, today, window_end, 3)
        assert ranking.worst[:3] == [
            (made[1], tallies.Standing(total=3, done=0, closed=0, red=2, yellow=0)),
            (made[0], tallies.Standing(total=2, done=0, closed=0, red=1, yellow=1)),
            (made[2], tallies.Standing(total=2, done=0, closed=0, red=1, yellow=1)),
        ]
        assert ranking.worst == sorted(each.items(), key=lambda e: (-e[1].red, -e[1].total, e[0]))[:3]
        assert ranking.count == len(each)
        assert ranking.sums == tallies.Standing(
            *(
                sum(getattr(s, name) for s in each.values())
                for name in ("total", "done", "closed", "red", "yellow")
            )
        )
        conn.rollback()


def test_what_is_late_per_document_equals_a_count_of_its_tasks_on_any_day(ledger):
    """A document's late tasks on a day, from the running counts of the month before it (in that
    month, the one before, or further back), equal a count of its tasks late by that day: on days
    before any task is late, between its late months and after the last."""
    with ledger.engine.connect() as conn:
        issue = conn.execute(sa.select(documents.c.issue_id)).scalar()
        made = [
            conn.execute(documents.insert().values(issue_id=issue, title=f"文件{n}")).inserted_primary_key[0]
            for n in range(3)
        ]
        days = {
            made[0]: (date(1999, 3, 9), date(1999, 3, 20), date(1999, 4, 2), date(1999, 9, 30)),
            made[1]: (date(1999, 1, 31), date(1999, 8, 1)),
            made[2]: (date(1999, 6, 15),),
        }
        for doc, late_days in days.items():
            for n, day in enumerate(late_days):
                _late_task(conn, doc, f"day-{n}", day)
        count_own_writes(conn)
        for today in (
            date(1998, 12, 31),
            date(1999, 2, 1),
            date(1999, 4, 1),
            date(1999, 5, 31),
            date(1999, 6, 10),
            date(1999, 7, 1),
            date(1999, 8, 15),
            date(1999, 10, 1),
            date(2001, 1, 1),
            date(2199, 1, 1),  # after every month the ledger counts
        ):
            each = tallies.scope_standing(conn, tallies.DOCUMENT, today, today)
            for doc, late_days in days.items():
                assert each[doc].red == sum(1 for day in late_days if day <= today), (doc, today)
        conn.rollback()
