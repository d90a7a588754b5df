"""Listings read their page from an index in the page's order, so a page costs the same at any size.

Checked on the query plans the databases choose for the statements ``list_tasks`` sends (not on
timings): SQLite's EXPLAIN QUERY PLAN names the index and sorts nothing; PostgreSQL is told to
avoid table scans and sorts, so a plan that still sorts means no index gives the order.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from taizhang.services.dashboard import dashboard
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import store_extraction
from taizhang.services.queries import TaskFilter, list_tasks
from taizhang.sources import read_source
from taizhang.storage import tables as t
from tests.conftest import GAZETTE, _fresh_pg_database, postgres_unreachable_reason
from tests.utils.extraction_from_gold import gold_extraction, small_directory

JULY = {"due_after": date(2022, 6, 1), "due_before": date(2022, 12, 31)}


def _ledger(url: str) -> sa.Engine:
    engine = open_database(url)
    with unit_of_work(engine) as conn:
        store_extraction(conn, read_source(GAZETTE), gold_extraction(), directory=small_directory())
    return engine


@pytest.fixture(scope="module")
def sqlite_engine(tmp_path_factory):
    engine = _ledger(f"sqlite:///{tmp_path_factory.mktemp('plans') / 'ledger.db'}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def pg_engine():
    if postgres_unreachable_reason():
        pytest.skip(postgres_unreachable_reason())
    url, drop = _fresh_pg_database()
    engine = _ledger(url)
    yield engine
    engine.dispose()
    drop()


def _sent(engine: sa.Engine, wanted: dict[str, Any] | Any, marker: str) -> tuple[str, Any]:
    """The statement (and its parameters) that contains ``marker`` among those ``list_tasks`` sent
    for the filter ``wanted`` (or ``wanted(conn)`` sent, when it is a function)."""
    sent: list[tuple[str, Any]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", keep)
    try:
        with engine.connect() as conn:
            wanted(conn) if callable(wanted) else list_tasks(conn, TaskFilter(**wanted))
    finally:
        sa.event.remove(engine, "before_cursor_execute", keep)
    found = [s for s in sent if marker in s[0]]
    assert len(found) == 1, f"one statement with {marker!r}, got {len(found)}"
    return found[0]


PAGE = "tasks.review_notes"  # only the page's SELECT reads this column


def _sqlite_plan(engine: sa.Engine, wanted: dict[str, Any] | Any, marker: str = PAGE) -> str:
    statement, parameters = _sent(engine, wanted, marker)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    return "\n".join(row[-1] for row in rows)


def _pg_plan(engine: sa.Engine, wanted: dict[str, Any], marker: str = PAGE) -> str:
    statement, parameters = _sent(engine, wanted, marker)
    with engine.begin() as conn:
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort", "enable_incremental_sort"):
            conn.exec_driver_sql(f"SET LOCAL {setting} = off")
        rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
    return "\n".join(row[0] for row in rows)


def test_a_range_of_due_days_is_listed_by_due_day_unless_a_sort_is_named(sqlite_engine):
    with sqlite_engine.connect() as conn:
        by_default = list_tasks(conn, TaskFilter(limit=None, **JULY)).items
        by_document = list_tasks(conn, TaskFilter(limit=None, sort="document", **JULY)).items
    dues = [(i["due_on"], i["id"]) for i in by_default]
    assert len(dues) > 10 and dues == sorted(dues)
    places = [(i["document_id"], i["line"], i["id"]) for i in by_document]
    assert places == sorted(places) and places != [(i["document_id"], i["line"], i["id"]) for i in by_default]
    assert {i["id"] for i in by_default} == {i["id"] for i in by_document}


def test_a_page_of_a_due_range_is_read_from_the_due_index_in_order_on_sqlite(sqlite_engine):
    with sqlite_engine.connect() as conn:
        cursor = list_tasks(conn, TaskFilter(limit=5, **JULY)).next
    assert cursor is not None
    for wanted in ({"limit": 5, **JULY}, {"limit": 5, "after": cursor, **JULY}):
        plan = _sqlite_plan(sqlite_engine, wanted)
        assert "USING INDEX ix_tasks_due_id (due_on>? AND due_on<?)" in plan, plan
        assert "TEMP B-TREE" not in plan, plan


@pytest.mark.postgres
def test_a_page_of_a_due_range_is_read_from_the_due_index_in_order_on_postgresql(pg_engine):
    plan = _pg_plan(pg_engine, {"limit": 5, **JULY})
    assert "Index Scan using ix_tasks_due_id on tasks" in plan, plan
    assert "Sort" not in plan, plan


@pytest.mark.postgres
def test_the_latest_reports_of_a_page_are_looked_up_by_id_on_postgresql(pg_engine):
    plan = _pg_plan(pg_engine, {"limit": 5, **JULY}, marker="max(reports.id)")
    assert "Index Cond: (id = ANY" in plan, plan


def test_a_page_of_a_units_tasks_is_read_from_the_units_order_index_on_sqlite(sqlite_engine):
    """Each (unit, role) range gives its first rows; only those few tasks are sorted into the page."""
    with sqlite_engine.connect() as conn:
        cursor = list_tasks(conn, TaskFilter(limit=2, unit="沙坡头区")).next
    assert cursor is not None
    for wanted in ({"limit": 2, "unit": "沙坡头区"}, {"limit": 2, "unit": "沙坡头区", "after": cursor}):
        plan = _sqlite_plan(sqlite_engine, wanted)
        ranges = [line for line in plan.splitlines() if "assignments" in line]
        assert ranges and all(
            "INDEX ix_assignments_unit_role_order (unit_id=? AND role=?" in r for r in ranges
        )
        assert "SCAN tasks" not in plan, plan  # the page's tasks are looked up, not searched for


def _owing_ledger(conn) -> None:
    """Every third task reports monthly, half of those with a due day."""
    ids = list(conn.execute(sa.select(t.tasks.c.id).order_by(t.tasks.c.id)).scalars())
    for n, task_id in enumerate(ids[::3]):
        due = date(2022, 9, 30) if n % 2 else None
        conn.execute(
            t.tasks.update().where(t.tasks.c.id == task_id).values(recurrence="monthly:25", due_on=due)
        )


def test_the_dashboards_first_tasks_owing_a_report_walk_each_cycle_by_due_day_on_sqlite(tmp_path):
    sqlite_engine = _ledger(f"sqlite:///{tmp_path / 'owing.db'}")
    with unit_of_work(sqlite_engine) as conn:
        _owing_ledger(conn)
    marker = "NOT (EXISTS (SELECT tally_answers.task_id"
    for due in ("tasks.due_on IS NOT NULL", "tasks.due_on IS NULL"):
        sent = _sent(sqlite_engine, lambda conn: dashboard(conn, date(2022, 8, 10)), due + " ORDER BY")
        assert marker in sent[0]
        with sqlite_engine.connect() as conn:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sent[0], sent[1]).all()
        plan = "\n".join(row[-1] for row in rows)
        assert "USING INDEX ix_tasks_recurrence_due (recurrence=? AND due_on" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
    sqlite_engine.dispose()
