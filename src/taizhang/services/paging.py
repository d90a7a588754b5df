"""Keyset pages of the ledger: each sort's key columns, the ``next`` cursor and its WHERE clause.

A page ends with a cursor naming the last row's sort key; the next page starts after it with a
range condition on the sort's index (``(document_id, line, id) > (…)``), so page 1,000 costs what
page 1 costs. Offsets still work but are bounded by :data:`MAX_OFFSET`; counts stop at
:data:`COUNT_LIMIT` (a ledger listing says "5000 条以上" rather than counting a million rows), a search's at
:data:`SEARCH_COUNT_LIMIT`.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from ..errors import InvalidInput
from ..storage.tables import tasks

COUNT_LIMIT = 5000  # a listing counts its matches up to here, then says "more than"
# A search counts up to here: no index answers a substring on PostgreSQL, so its count reads tasks one
# by one until it has this many, and at a million tasks those reads come from outside the database's
# cache (a table larger than a quarter of shared_buffers is scanned through a small ring of buffers).
SEARCH_COUNT_LIMIT = 1000
MAX_OFFSET = 10_000  # deeper pages go by cursor (``after``/``next``)


@dataclass(frozen=True)
class Key:
    """One column of a sort: its direction, and whether NULLs (placed last) can occur."""

    column: sa.Column[Any]
    descending: bool = False
    nullable: bool = False

    def order(self) -> sa.ColumnElement[Any]:
        ordered = self.column.desc() if self.descending else self.column.asc()
        return ordered.nulls_last() if self.nullable else ordered


# Every sort ends with the task id, so a key names one row and pages never overlap.
SORT_KEYS: dict[str, tuple[Key, ...]] = {
    "document": (Key(tasks.c.document_id), Key(tasks.c.line), Key(tasks.c.id)),
    "due": (Key(tasks.c.due_on, nullable=True), Key(tasks.c.id)),
    "-due": (Key(tasks.c.due_on, descending=True, nullable=True), Key(tasks.c.id)),
    "status": (Key(tasks.c.status), Key(tasks.c.document_id), Key(tasks.c.line), Key(tasks.c.id)),
    "updated": (Key(tasks.c.updated_at, descending=True), Key(tasks.c.id, descending=True)),
    "id": (Key(tasks.c.id),),
    "-id": (Key(tasks.c.id, descending=True),),
}


def order_by(sort: str) -> list[sa.ColumnElement[Any]]:
    """The ORDER BY of a sort."""
    return [key.order() for key in SORT_KEYS[sort]]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _typed(key: Key, value: Any) -> Any:
    if value is None:
        return None
    python_type = key.column.type.python_type
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is int and not isinstance(value, int):
        raise ValueError(value)
    return python_type(value)


def cursor_of(sort: str, row: dict[str, Any]) -> str:
    """The cursor after ``row`` (a row of the page, holding the sort's columns) in ``sort``."""
    values = [_plain(row[key.column.name]) for key in SORT_KEYS[sort]]
    text = json.dumps({"s": sort, "k": values}, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def read_cursor(sort: str, cursor: str) -> list[Any]:
    """The sort key a cursor names. Raises InvalidInput when it is damaged or made for another sort."""
    keys = SORT_KEYS[sort]
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if data["s"] != sort or len(data["k"]) != len(keys):
            raise ValueError(cursor)
        return [_typed(key, value) for key, value in zip(keys, data["k"], strict=True)]
    except (ValueError, TypeError, KeyError, AttributeError):
        raise InvalidInput("翻页标记（after）无效或不属于当前排序：请从第一页重新翻起") from None


def _sides(key: Key, value: Any, dialect: str) -> tuple[sa.ColumnElement[Any], sa.ColumnElement[Any]]:
    """The column and the cursor's value, comparable. SQLite keeps timestamps as text in two spellings
    (with and without microseconds), so both sides go through ``datetime()`` there."""
    param = sa.literal(value, type_=key.column.type)
    if dialect == "sqlite" and key.column.type.python_type is datetime:
        return sa.func.datetime(key.column), sa.func.datetime(param)
    return key.column, param


def _beyond(key: Key, value: Any, dialect: str) -> sa.ColumnElement[bool] | None:
    """Rows after ``value`` in this column alone (NULLs come last), or None when nothing is."""
    if value is None:
        return None
    column, param = _sides(key, value, dialect)
    beyond = column < param if key.descending else column > param
    return sa.or_(beyond, key.column.is_(None)) if key.nullable else beyond


def _same(key: Key, value: Any, dialect: str) -> sa.ColumnElement[bool]:
    if value is None:
        return key.column.is_(None)
    column, param = _sides(key, value, dialect)
    return column == param


def after_clause(sort: str, values: list[Any], dialect: str) -> sa.ColumnElement[bool]:
    """Rows that come after the key ``values`` in ``sort``, on a database of ``dialect``.

    A sort whose columns all run one way and hold no NULL or timestamp compares row values, which
    the sort's index answers as a range; the others spell the comparison out column by column.
    """
    keys = SORT_KEYS[sort]
    plain = not any(k.nullable or k.column.type.python_type is datetime for k in keys)
    if plain and len({k.descending for k in keys}) == 1:
        left = sa.tuple_(*(k.column for k in keys))
        right = sa.tuple_(*(sa.literal(v, type_=k.column.type) for k, v in zip(keys, values, strict=True)))
        return left < right if keys[0].descending else left > right
    branches = []
    for n, key in enumerate(keys):
        beyond = _beyond(key, values[n], dialect)
        if beyond is not None:
            same = (_same(k, v, dialect) for k, v in zip(keys[:n], values[:n], strict=True))
            branches.append(sa.and_(*same, beyond))
    return sa.or_(*branches) if branches else sa.false()


def leading_bound(sort: str, values: list[Any]) -> list[sa.ColumnElement[bool]]:
    """The cursor's first key as a plain bound (``due_on >= v``) for a listing that holds no NULL in
    that column: implied by :func:`after_clause`, but an index can start its range there, where
    the clause's ``OR ... IS NULL`` made it read the range from its start to reach a deep page."""
    key, value = SORT_KEYS[sort][0], values[0]
    if not key.nullable or value is None:
        return []
    param = sa.literal(value, type_=key.column.type)
    return [key.column <= param if key.descending else key.column >= param]
