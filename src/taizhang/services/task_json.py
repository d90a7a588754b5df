"""A page of tasks as the task API sends it: read in one statement, written straight to JSON.

The page's rows come with each task's units already gathered into a JSON array by the database
(``json_group_array`` on SQLite, ``json_agg`` on PostgreSQL), and with the filter's count when the
page's plan does not depend on it (a unit's listing, a range of due days): one statement where the
ledger's page view sends four. Rows become the API's JSON without building a model per row: the
fields and their order are those of ``web.schemas.TaskPublic``, which documents them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..storage.tables import assignments, documents, tasks, units
from .driver_sql import driver_rows
from .paging import SORT_KEYS, cursor_of
from .queries import (
    TaskFilter,
    check_paging,
    count_limit,
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
    """A page of tasks in the API's shape (``TasksPublic``): each task's JSON object as the database
    wrote it, the count, and the next page's cursor."""

    rows: list[str]
    count: int
    count_exact: bool
    next: str | None

    @property
    def data(self) -> list[dict[str, Any]]:
        """The page's tasks as dicts."""
        return [orjson.loads(row) for row in self.rows]

    def to_json(self) -> bytes:
        """The response body: the tasks' objects joined as they are, not parsed and written again."""
        tail = orjson.dumps({"count": self.count, "count_exact": self.count_exact, "next": self.next})
        return b'{"data":[' + ",".join(self.rows).encode() + b"]," + tail[1:]


# The page's keys, read by the page's own statement: each task's id and every sort's columns (the
# cursor's values). The fields the API sends are read afterwards for the page's rows only: read
# with the keys, a unit's page looked its documents up for all the rows it sorted (three per task).
_KEY_NAMES = tuple(dict.fromkeys(["id", *(key.column.name for keys in SORT_KEYS.values() for key in keys)]))
_PAGE_KEYS = sa.select(*(tasks.c[name] for name in _KEY_NAMES))


def _units_array(dialect: str, rows: sa.Subquery) -> sa.ScalarSelect[Any]:
    """The units of each task of the page ``rows`` as a JSON array, in their printed order (``position``)."""
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
        array = sa.func.coalesce(gathered, sa.literal_column("'[]'::json"))
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
    # json(): the text becomes a JSON value again (a subquery's result loses that mark)
    return sa.select(sa.func.json(array)).correlate(rows).scalar_subquery()


def _field(dialect: str, name: str) -> sa.ColumnElement[Any]:
    """One field of a task as the API writes it: SQLite keeps booleans as 0/1, JSON wants true/false."""
    if name in ("doc_number", "document_title"):
        return documents.c.doc_number if name == "doc_number" else documents.c.title
    column = tasks.c[name]
    if dialect != "postgresql" and isinstance(column.type, sa.Boolean):
        return sa.func.json(
            sa.case((column, sa.literal_column("'true'")), else_=sa.literal_column("'false'"))
        )
    return column


def _task_object(dialect: str, rows: sa.Subquery) -> sa.ColumnElement[Any]:
    """Each task of the page as the API's JSON object (``web.schemas.TaskPublic``), written by the database."""
    pairs: list[Any] = []
    for name in TASK_FIELDS:
        pairs += [sa.literal_column(f"'{name}'"), _field(dialect, name)]
    pairs += [sa.literal_column("'units'"), _units_array(dialect, rows)]
    if dialect == "postgresql":
        return sa.cast(sa.func.json_build_object(*pairs), sa.Text)
    return sa.func.json_object(*pairs)


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
    """The page's rows in its order: each task's JSON object, then the sort's keys (for the cursor)
    and the count when given. The fields and units are read for the page's rows only, after its
    LIMIT. Built once for a unit's listing, whose page and count statements are."""
    rows = page.subquery("page")
    columns: list[Any] = [_task_object(dialect, rows).label("task_json")]
    columns += [rows.c[key.column.name] for key in SORT_KEYS[sort]]
    if count is not None:
        columns.append(count.scalar_subquery().label("matched"))
    joined = rows.join(tasks, tasks.c.id == rows.c.id).join(documents, documents.c.id == tasks.c.document_id)
    return sa.select(*columns).select_from(joined).order_by(*_in_page_order(sort, rows))


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
    page, page_params = page_query(conn, f, total, by_unit, _PAGE_KEYS)
    statement = _with_units(conn.dialect.name, f.sort, page, None if first else count)
    rows: Sequence[Any]
    if first:
        rows = conn.execute(statement, page_params).all()
    elif by_unit is not None:
        # a unit's listing: its statements are built once per shape, so they run on the driver's cursor
        rows = driver_rows(conn, statement, {**count_params, **page_params})
    else:
        rows = conn.execute(statement, {**count_params, **page_params}).all()
    if total is None:
        # the count came with the rows (their last column); a page past the last has none, and counts it alone
        total = int(rows[0][-1]) if rows else _count_alone(conn, f, count, count_params)
    following = None
    if len(rows) > f.limit:
        rows = rows[: f.limit]
        last = rows[-1]
        following = cursor_of(
            f.sort, {key.column.name: last[n + 1] for n, key in enumerate(SORT_KEYS[f.sort])}
        )
    most = count_limit(f)
    exact = total <= most
    return JsonPage(
        rows=[row[0] for row in rows],
        count=total if exact else most,
        count_exact=exact,
        next=following,
    )


def _count_alone(conn: Connection, f: TaskFilter, count: sa.Select, params: dict[str, Any]) -> int:
    if not f.offset and not f.after:
        return 0  # the first page is empty: nothing matches
    return int(conn.execute(count, params).scalar_one())
