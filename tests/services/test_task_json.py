"""The task API's page (``task_json.task_page``) says what the ledger's listing (``list_tasks``) says.

The API's page is read in one statement with each task's units gathered by the database as JSON;
the ledger's listing reads the count, the page and the units apart. For every filter of the API,
on SQLite and PostgreSQL, both give the same tasks in the same order, the same units in their
printed order, the same count and the same cursor, and a unit's page is one statement.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson
import pytest
import sqlalchemy as sa

from taizhang.services.queries import TaskFilter, list_tasks
from taizhang.services.task_json import TASK_FIELDS, UNIT_FIELDS, task_page
from taizhang.storage import tables as t
from tests.utils.gold_ledger import gold_ledger


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(request, tmp_path_factory):
    """The gold ledger, imported once per module and database."""
    yield from gold_ledger(request.param, tmp_path_factory)


def _busiest_unit(conn: sa.Connection) -> str:
    count = sa.func.count(t.assignments.c.task_id)
    row = conn.execute(
        sa.select(t.units.c.name, count)
        .join(t.assignments, t.assignments.c.unit_id == t.units.c.id)
        .group_by(t.units.c.name)
        .order_by(count.desc(), t.units.c.name)
    ).first()
    assert row is not None and row[1] > 5  # enough tasks for several pages of 3
    return str(row[0])


def _as_api(page: Any) -> dict[str, Any]:
    """The ledger's listing in the API's shape (what the task API sent before)."""
    data = [
        {
            **{name: item.get(name) for name in TASK_FIELDS},
            "units": [{name: unit[name] for name in UNIT_FIELDS} for unit in item["units"]],
        }
        for item in page.items
    ]
    return {"data": data, "count": page.total, "count_exact": page.exact, "next": page.next}


def _filters(conn: sa.Connection) -> list[dict[str, Any]]:
    unit = _busiest_unit(conn)
    return [
        {},
        {"unit": unit},
        {"unit": unit, "role": "lead"},
        {"unit": unit, "limit": 3, "offset": 2},
        {"unit": unit, "limit": 2, "offset": 500},  # past the last page: no rows, the count still
        {"role": "lead"},
        {"status": "未开始"},
        {"overdue_as_of": date(2022, 6, 30)},
        {"due_after": date(2022, 1, 1), "due_before": date(2022, 12, 31)},
        {"due_after": date(2022, 1, 1), "sort": "-due", "limit": 4},
        {"document": "卫政发〔2022〕15号"},
        {"q": "改革"},
        {"q": "改革", "unit": unit},
        {"sort": "updated", "limit": 5},
        {"sort": "status", "limit": 5, "offset": 3},
    ]


def test_every_filter_gives_the_page_the_ledger_listing_gives(engine):
    with engine.connect() as conn:
        for wanted in _filters(conn):
            limit = wanted.get("limit", 50)
            page = task_page(conn, TaskFilter(**{**wanted, "limit": limit}))
            expected = _as_api(list_tasks(conn, TaskFilter(**{**wanted, "limit": limit})))
            assert orjson.loads(page.to_json()) == orjson.loads(orjson.dumps(expected)), wanted
            assert expected["data"] or wanted.get("offset") == 500, wanted  # each filter matches something


def test_following_pages_by_cursor_are_the_same(engine):
    with engine.connect() as conn:
        unit = _busiest_unit(conn)
        for wanted in ({"unit": unit}, {"due_after": date(2022, 1, 1)}, {"role": "responsible"}):
            after, pages = None, 0
            while pages < 4:
                page = task_page(conn, TaskFilter(**wanted, limit=2, after=after))
                expected = _as_api(list_tasks(conn, TaskFilter(**wanted, limit=2, after=after)))
                assert orjson.loads(page.to_json()) == orjson.loads(orjson.dumps(expected)), wanted
                if page.next is None:
                    break
                after, pages = page.next, pages + 1
            assert pages >= 1, wanted  # the cursor was followed at least once


def test_units_come_in_their_printed_order(engine):
    with engine.connect() as conn:
        for item in task_page(conn, TaskFilter(limit=200)).data:
            listed = [(u["unit_id"], u["role"]) for u in item["units"]]
            stored = conn.execute(
                sa.select(t.assignments.c.unit_id, t.assignments.c.role)
                .where(t.assignments.c.task_id == item["id"])
                .order_by(t.assignments.c.position)
            ).all()
            assert listed == [tuple(row) for row in stored]


def test_a_units_page_is_one_statement_after_the_unit(engine):
    sent: list[str] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    with engine.connect() as conn:
        unit = _busiest_unit(conn)
        sa.event.listen(engine, "before_cursor_execute", keep)
        try:
            page = task_page(conn, TaskFilter(unit=unit, limit=3))
        finally:
            sa.event.remove(engine, "before_cursor_execute", keep)
    assert len(page.data) == 3 and page.count > 3
    assert len(sent) == 2  # the unit with the groups holding it, then the count, page and units
