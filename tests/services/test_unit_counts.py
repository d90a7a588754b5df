"""A unit's listing counts its tasks from the running counts of ``tally_assigned`` when they settle
it: the count it answers is a direct count of the unit's tasks (capped as before) after every kind
of write to the assignments, on SQLite and PostgreSQL, and a missing trigger shows."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from taizhang.extract.model import ROLES
from taizhang.services import admin, unit_pages, workflow
from taizhang.services.database import unit_of_work
from taizhang.services.paging import COUNT_LIMIT
from taizhang.services.queries import TaskFilter
from taizhang.services.tallies import count_own_writes, counted
from taizhang.services.task_json import task_page
from taizhang.services.units import units_matching
from taizhang.storage.tables import assignments, documents, tally_assigned, tasks, units

LIMITS = (1, 2, 3, 100)  # count limits below, at and above the small ledger's counts


def _direct(conn, unit_ids: list[int], role: str | None) -> int:
    query = sa.select(sa.func.count(sa.distinct(assignments.c.task_id))).where(
        assignments.c.unit_id.in_(unit_ids)
    )
    if role is not None:
        query = query.where(assignments.c.role == role)
    return int(conn.execute(query).scalar_one())


def _disagreements(conn) -> list[tuple]:
    """(unit, role, limit, answered, expected) for each count that differs from a direct count."""
    count_own_writes(conn)
    out = []
    names = conn.execute(sa.select(units.c.name).order_by(units.c.id)).scalars().all()
    for name in names:
        unit_ids = units_matching(conn, name)
        for role in (None, *ROLES):
            expected = _direct(conn, unit_ids, role)
            page = task_page(conn, TaskFilter(unit=name, role=role, limit=2))
            if (page.count, page.count_exact) != (min(expected, COUNT_LIMIT), expected <= COUNT_LIMIT):
                out.append((name, role, "page", page.count, expected))
            statement = unit_pages.count_statement(True, role is not None)
            for limit in LIMITS:
                params = {"unit_ids": unit_ids, "role": role, "count_limit": limit}
                answered = conn.execute(statement, params).scalar_one()
                if answered != min(expected, limit):
                    out.append((name, role, limit, answered, min(expected, limit)))
    return out


def _kept_rows(conn) -> list[tuple]:
    count_own_writes(conn)
    return sorted(tuple(r) for r in conn.execute(sa.select(tally_assigned).where(tally_assigned.c.n != 0)))


def _agree(engine) -> None:
    with engine.connect() as conn:
        assert _disagreements(conn) == []
        assert _kept_rows(conn) == sorted(
            (r["unit_id"], r["role"], r["n"]) for r in counted(conn)["tally_assigned"]
        )


def _insert(conn, task_id: int, unit_id: int, role: str) -> None:
    conn.execute(assignments.insert().values(task_id=task_id, unit_id=unit_id, role=role, printed=""))


def test_a_units_count_follows_assignments_reassignments_deletions_and_merges(ledger):
    _agree(ledger.engine)
    office, t, u = ledger.users["office"], ledger.tasks, ledger.units
    with unit_of_work(ledger.engine) as conn:  # the office reassigns: one unit in two roles of a task
        workflow.update_task(
            conn, office, t["counties"], lead=["市卫生健康委"], responsible=["市卫生健康委", "中宁县"]
        )
        workflow.update_task(conn, office, t["insurance"], cooperating=["市卫生健康委", "各县(区)"])
    _agree(ledger.engine)
    with unit_of_work(ledger.engine) as conn:  # roles and units changed in place, a role dropped
        conn.execute(
            assignments.update()
            .where(assignments.c.task_id == t["health"], assignments.c.role == "lead")
            .values(role="responsible")
        )
        conn.execute(
            assignments.update().where(assignments.c.task_id == t["ongoing"]).values(unit_id=u["中宁县"])
        )
        workflow.update_task(conn, office, t["counties"], responsible=["中宁县"])
    _agree(ledger.engine)
    with unit_of_work(ledger.engine) as conn:  # a unit merged into another that shares its tasks
        admin.merge_units(conn, office, "市卫生健康委", "中宁县")
    _agree(ledger.engine)
    with unit_of_work(ledger.engine) as conn:  # renamed; a task deleted, then its whole document
        conn.execute(units.update().where(units.c.id == u["市医保局"]).values(name="市医疗保障局"))
        conn.execute(tasks.delete().where(tasks.c.id == t["health"]))
    _agree(ledger.engine)
    with unit_of_work(ledger.engine) as conn:
        conn.execute(documents.delete())
    _agree(ledger.engine)
    with ledger.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(tally_assigned)).scalar_one() == 0


def test_tasks_of_a_unit_in_several_roles_are_counted_once(ledger):
    """A unit holding every task in two roles counts each task once (its ``*`` row)."""
    u, t = ledger.units, ledger.tasks
    with unit_of_work(ledger.engine) as conn:
        for task in t.values():
            for role in ("lead", "responsible"):
                conn.execute(
                    assignments.delete().where(
                        assignments.c.task_id == task,
                        assignments.c.unit_id == u["海原县"],
                        assignments.c.role == role,
                    )
                )
                _insert(conn, task, u["海原县"], role)
    _agree(ledger.engine)
    with ledger.engine.connect() as conn:
        row = conn.execute(
            sa.select(tally_assigned.c.n).where(
                tally_assigned.c.unit_id == u["海原县"], tally_assigned.c.role == "lead"
            )
        ).scalar_one()
        assert row == len(t)
        any_role = conn.execute(
            sa.select(tally_assigned.c.n).where(
                tally_assigned.c.unit_id == u["海原县"], tally_assigned.c.role == "*"
            )
        ).scalar_one()
        assert any_role == len(t)


def _drop_trigger(conn, event: str) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(sa.text(f"DROP TRIGGER assignments_assigned_{event}"))
    else:
        name = "update" if event == "update" else "insert_delete"
        conn.execute(sa.text(f"DROP TRIGGER assignments_assigned_{name} ON assignments"))


@pytest.mark.parametrize("event", ["insert", "delete", "update"])
def test_a_write_the_triggers_miss_shows_in_the_count(ledger, event):
    """The comparison can fail: with a trigger gone, the write it counted is not counted."""
    t, u = ledger.tasks, ledger.units
    with unit_of_work(ledger.engine) as conn:
        _drop_trigger(conn, event)
        if event == "insert":
            _insert(conn, t["ongoing"], u["海原县"], "lead")
        elif event == "delete":
            conn.execute(assignments.delete().where(assignments.c.task_id == t["insurance"]))
        else:
            conn.execute(
                assignments.update().where(assignments.c.task_id == t["health"]).values(unit_id=u["海原县"])
            )
    with ledger.engine.connect() as conn:
        wrong = _disagreements(conn)
    shown = {
        "insert": ("海原县", "lead", "page", 0, 1),
        "delete": ("市医保局", "lead", "page", 2, 1),  # it still counts 规范医疗收费 and the task deleted
        "update": ("市卫生健康委", None, "page", 2, 1),  # the task moved away still counted
    }
    assert shown[event] in wrong


def test_writers_assigning_tasks_to_one_unit_do_not_wait_for_each_other(ledger):
    """On PostgreSQL the counts are written as a transaction commits: a second writer assigning a
    task to the same unit commits while the first is still open, and both are counted."""
    if ledger.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    t, u = ledger.tasks, ledger.units
    with ledger.engine.connect() as first, ledger.engine.connect() as second:
        _insert(first, t["ongoing"], u["海原县"], "lead")  # the unit's count row exists from here on
        first.commit()
        _insert(first, t["insurance"], u["海原县"], "lead")
        second.execute(sa.text("SET lock_timeout = '3s'"))
        _insert(second, t["counties"], u["海原县"], "lead")
        _insert(second, t["insurance"], u["海原县"], "responsible")  # the same task, in another role
        second.commit()  # would wait for the first's lock on the count row, then fail
        first.commit()  # its task is the unit's already: not counted again in any role
    _agree(ledger.engine)
    with ledger.engine.connect() as conn:
        counts = conn.execute(
            sa.select(tally_assigned.c.role, tally_assigned.c.n).where(
                tally_assigned.c.unit_id == u["海原县"]
            )
        ).all()
    assert sorted(tuple(r) for r in counts) == [("*", 3), ("lead", 3), ("responsible", 1)]
