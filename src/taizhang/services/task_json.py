"""A page of tasks as the task API sends it: read in one statement, written straight to JSON.

The page's rows come with each task's units already gathered into a JSON array by the database
(``json_group_array`` on SQLite, ``json_agg`` on PostgreSQL), and with the filter's count when the
page's plan does not depend on it (a unit's listing, a range of due days): one statement where the
ledger's page view sends four. Rows become the API's JSON without building a model per row: the
fields and their order are those of ``web.schemas.TaskPublic``, which documents them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..storage.tables import assignments, units
from .paging import COUNT_LIMIT, SORT_KEYS, cursor_of
from .queries import (
    TaskFilter,
    check_paging,
    count_query,
    page_needs_total,
    page_query,
    unit_match,
)

# The fields of one task in the API, in order (``web.schemas.TaskPublic``), then its units'.
TASK_FIELDS = (
    "id",
    "document_id",
    "doc_number",
    "document_title",
    "label",
    "title",
    "line",
    "line_start",
    "line_end",
    "deadline_kind",
    "deadline_text",
    "due_on",
    "recurrence",
    "status",
    "percent",
    "needs_review",
    "is_public",
)
UNIT_FIELDS = ("unit_id", "name", "role", "printed")


@dataclass
class JsonPage:
    """A page of tasks in the API's shape (``TasksPublic``), ready for ``orjson.dumps``."""

    data: list[dict[str, Any]]
    count: int
    count_exact: bool
    next: str | None

    def to_json(self) -> bytes:
        body = {"data": self.data, "count": self.count, "count_exact": self.count_exact, "next": self.next}
        return orjson.dumps(body)


def _units_array(dialect: str, rows: sa.Subquery) -> sa.ScalarSelect[Any]:
    """The units of each task of the page ``rows`` as JSON text, in their printed order (``position``)."""
    fields = [
        sa.literal_column("'unit_id'"),
        assignments.c.unit_id,
        sa.literal_column("'name'"),
        units.c.name,
        sa.literal_column("'role'"),
        assignments.c.role,
        sa.literal_column("'printed'"),
        assignments.c.printed,
    ]
    joined = assignments.join(units, units.c.id == assignments.c.unit_id)
    if dialect == "postgresql":
        gathered = sa.func.json_agg(sa.func.json_build_object(*fields)).aggregate_order_by(
            assignments.c.position
        )
        array = sa.cast(sa.func.coalesce(gathered, sa.literal_column("'[]'::json")), sa.Text)
        of_task = sa.select(array).select_from(joined).where(assignments.c.task_id == rows.c.id)
        return of_task.correlate(rows).scalar_subquery()
    # SQLite (3.40) has no ORDER BY inside an aggregate: the objects are made in order in a subquery,
    # whose order group_concat keeps
    ordered = (
        sa.select(sa.func.json_object(*fields).label("unit"))
        .select_from(joined)
        .where(assignments.c.task_id == rows.c.id)
        .order_by(assignments.c.position)
        .correlate(rows)
        .subquery()
    )
    # joined as text: json_group_array would parse each object again, as it comes from a subquery
    joined_text = sa.func.coalesce(sa.func.group_concat(ordered.c.unit, ","), "")
    array = sa.literal_column("'['").op("||")(joined_text).op("||")(sa.literal_column("']'"))
    return sa.select(array).correlate(rows).scalar_subquery()


def _in_page_order(sort: str, rows: sa.Subquery) -> list[sa.ColumnElement[Any]]:
    """The sort's ORDER BY on the page's columns: the outer query keeps the page's order."""
    out = []
    for key in SORT_KEYS[sort]:
        column = rows.c[key.column.name]
        ordered = column.desc() if key.descending else column.asc()
        out.append(ordered.nulls_last() if key.nullable else ordered)
    return out


@lru_cache(maxsize=64)
def _with_units(dialect: str, sort: str, page: sa.Select, count: sa.Select | None) -> sa.Select:
    """The page's rows in its order, with the API's columns, the sort's keys (for the cursor) and
    each task's units as JSON (and the count when given): the units are read for the page's rows
    only, after its LIMIT. Built once for a unit's listing, whose page and count statements are."""
    rows = page.subquery("page")
    names = dict.fromkeys((*TASK_FIELDS, *(key.column.name for key in SORT_KEYS[sort])))
    columns: list[Any] = [rows.c[name] for name in names]
    columns.append(_units_array(dialect, rows).label("units_json"))
    if count is not None:
        columns.append(count.scalar_subquery().label("matched"))
    return sa.select(*columns).order_by(*_in_page_order(sort, rows))


def _task(row: dict[str, Any]) -> dict[str, Any]:
    out = {name: row[name] for name in TASK_FIELDS}
    out["units"] = orjson.loads(row["units_json"])
    return out


def task_page(conn: Connection, f: TaskFilter) -> JsonPage:
    """A page (``f.limit`` tasks, which must be given) of the tasks ``f`` matches, as the API sends it.

    The count, the page and its tasks' units are one statement when the page's plan does not
    depend on the count; otherwise the count is read first (it chooses how the page is read).
    """
    check_paging(f)
    if f.limit is None:
        raise ValueError("任务列表的每页条数未指定")
    by_unit = unit_match(conn, f.unit, f.role)
    count, count_params = count_query(conn, f, by_unit)
    first = page_needs_total(f, by_unit)
    total: int | None = int(conn.execute(count, count_params).scalar_one()) if first else None
    page, page_params = page_query(conn, f, total, by_unit)
    statement = _with_units(conn.dialect.name, f.sort, page, None if first else count)
    result = conn.execute(statement, {**count_params, **page_params} if not first else page_params)
    keys = list(result.keys())
    rows = [dict(zip(keys, row, strict=True)) for row in result]
    if total is None:
        # the count came with the rows; a page past the last has none, and counts it alone
        total = int(rows[0]["matched"]) if rows else _count_alone(conn, f, count, count_params)
    following = None
    if len(rows) > f.limit:
        rows = rows[: f.limit]
        following = cursor_of(f.sort, rows[-1])
    exact = total <= COUNT_LIMIT
    return JsonPage(
        data=[_task(row) for row in rows],
        count=total if exact else COUNT_LIMIT,
        count_exact=exact,
        next=following,
    )


def _count_alone(conn: Connection, f: TaskFilter, count: sa.Select, params: dict[str, Any]) -> int:
    if not f.offset and not f.after:
        return 0  # the first page is empty: nothing matches
    return int(conn.execute(count, params).scalar_one())
