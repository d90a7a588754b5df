"""Every reader counts late work the same way: random ledgers with random parts and dates, and the
ledger's 仅逾期 filter, the dashboard's red, the 通报 and the per-unit counts agree (SQLite and
PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from taizhang.export.xlsx import ALL_TASKS_SHEET, COLUMNS, LATE_WORDS, write_ledger
from taizhang.ledger.standing import LATE, is_late, own_status, part_standing
from taizhang.services import dashboard, notices, queries, reminders, standing
from taizhang.services import parts as parts_service
from taizhang.services.database import unit_of_work
from taizhang.storage.tables import actions, assignments, parts, reports, tasks, units

AS_OF = date(2022, 6, 30)
PART_STATUSES = ("未开始", "推进中", "待审核", "已完成", "长期坚持")
KINDS = ("date", "date+ongoing", "ongoing")
UNITS = ("市卫生健康委", "市医保局", "各县(区)")

task_strategy = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(KINDS),
        "due": st.one_of(st.none(), st.integers(-40, 40).map(lambda d: AS_OF + timedelta(days=d))),
        "units": st.lists(
            st.tuples(st.sampled_from(UNITS), st.sampled_from(("lead", "responsible"))),
            min_size=1,
            max_size=3,
            unique_by=lambda u: u[0],
        ),
        "statuses": st.lists(st.sampled_from(PART_STATUSES), min_size=5, max_size=5),
        "cancelled": st.booleans(),
    }
)


def _write(conn, ledger, specs) -> None:
    doc = conn.execute(sa.select(tasks.c.document_id)).scalar() or 1
    for table in (reports, actions, parts, assignments, tasks):
        conn.execute(table.delete())
    for n, spec in enumerate(specs):
        task_id = conn.execute(
            tasks.insert().values(
                document_id=doc,
                key=f"k{n}",
                source="text",
                title=f"任务{n}",
                body="",
                line=n + 1,
                line_start=n + 1,
                line_end=n + 1,
                deadline_kind=spec["kind"],
                due_on=spec["due"],
                status="未开始",
                percent=0,
                needs_review=False,
                review_notes=[],
                is_public=False,
            )
        ).inserted_primary_key[0]
        for position, (unit, role) in enumerate(spec["units"]):
            conn.execute(
                assignments.insert().values(
                    task_id=task_id, unit_id=ledger.units[unit], role=role, printed=unit, position=position
                )
            )
        parts_service.sync_parts(conn, task_id)
        rows = conn.execute(
            sa.select(parts.c.id).where(parts.c.task_id == task_id).order_by(parts.c.id)
        ).all()
        for (part_id,), status in zip(rows, spec["statuses"], strict=False):
            conn.execute(parts.update().where(parts.c.id == part_id).values(status=status))
        parts_service.settle_task(conn, task_id, actor="test")
        if spec["cancelled"]:
            conn.execute(tasks.update().where(tasks.c.id == task_id).values(status="已撤销"))
    standing.refresh_late_on(conn)  # parts were moved around the workflow: store their late days


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(task_strategy, min_size=1, max_size=6))
def test_filter_dashboard_notice_and_unit_counts_agree(ledger, specs):
    with unit_of_work(ledger.engine) as conn:
        _write(conn, ledger, specs)
    with ledger.engine.connect() as conn:
        rows = conn.execute(
            sa.select(tasks.c.id, tasks.c.status, tasks.c.deadline_kind, tasks.c.due_on)
        ).all()
        expected = {r.id for r in rows if is_late(r.status, r.deadline_kind, r.due_on, AS_OF)}
        filtered = queries.list_tasks(conn, queries.TaskFilter(overdue_as_of=AS_OF, limit=None))
        board = dashboard.dashboard(conn, AS_OF)
        draft = notices.draft_progress_notice(conn, as_of=AS_OF)
        summary = queries.summary(conn, as_of=AS_OF)
        per_unit = standing.unit_standing(conn, AS_OF)
        digests = reminders.build_digests(conn, as_of=AS_OF, warn_days=5)
        rows = {t["id"]: t for t in queries.list_tasks(conn, queries.TaskFilter(limit=None)).items}
        portal = {}  # a unit's portal light on each task it has a part of
        for unit, unit_id in ledger.units.items():
            own = standing.own_part_statuses(conn, {unit_id}, list(rows))
            judged = [{**rows[i], "status": own_status(own[i], rows[i]["status"])} for i in own]
            portal.update(
                {(unit, i): light.colour for i, light in dashboard.lights_for(conn, judged, AS_OF).items()}
            )
        book = BytesIO()
        write_ledger(conn, book, as_of=AS_OF)
        part_list = conn.execute(
            sa.select(
                units.c.name,
                parts.c.task_id,
                parts.c.status,
                parts.c.done_at,
                tasks.c.status.label("task_status"),
                tasks.c.deadline_kind,
                tasks.c.due_on,
            )
            .join(tasks, tasks.c.id == parts.c.task_id)
            .join(units, units.c.id == parts.c.unit_id)
        ).all()
    assert {t["id"] for t in filtered.items} == expected
    assert board["by_colour"]["red"] == len(expected)
    assert {t["id"] for t in board["overdue"]} <= expected and board["overdue_count"] == len(expected)
    # the dashboard's per-unit columns count each unit's own parts, as the 通报 and the unit pages do
    assert {u["name"]: (u["total"], u["done"], u["red"]) for u in board["by_unit"]} == {
        n: (s.total, s.done, s.late) for n, s in per_unit.items()
    }
    assert {r.task_id for r in draft.overdue} == expected
    assert summary["overdue"] == len(expected)
    # the office workbook's 逾期 column says 是 on exactly the late tasks
    sheet = load_workbook(BytesIO(book.getvalue()))[ALL_TASKS_SHEET]
    by_title = {t["title"]: t["id"] for t in rows.values()}
    title_at, late_at = COLUMNS.index("任务"), COLUMNS.index("逾期")
    assert {
        by_title[r[title_at]]
        for r in sheet.iter_rows(min_row=2, values_only=True)
        if r[late_at] == LATE_WORDS[True]
    } == expected
    # per unit: the 通报 names each unit with its own late parts, and only tasks that are late have them
    assert {(c.unit, c.count) for c in draft.overdue_by_unit} == {
        (n, s.late) for n, s in per_unit.items() if s.late
    }
    assert sum(s.late for s in per_unit.values()) >= len(expected)
    assert all(s.late <= s.total for s in per_unit.values())
    # reminders tell each unit of its own late parts, except those waiting for the office (待审核)
    late_parts = {
        (p.name, p.task_id)
        for p in part_list
        if part_standing(p.status, p.task_status, p.deadline_kind, p.due_on, p.done_at, AS_OF) == LATE
    }
    told = {(d.unit_name, i["task_id"]) for d in digests for i in d.overdue}
    assert told == {
        (n, t)
        for n, t in late_parts
        if not any(p.name == n and p.task_id == t and p.status == "待审核" for p in part_list)
    }
    assert len(late_parts) == sum(s.late for s in per_unit.values())
    # the unit portal's light is red exactly on the unit's own late parts
    assert {k for k, colour in portal.items() if colour == "red"} == late_parts
