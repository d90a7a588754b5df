"""封存 (seals): an HMAC of each ledger row's content, rewritten whenever the application changes it.

A task, part or report changed behind the application's back (an UPDATE typed into a database
client, a row deleted or inserted there) no longer matches its seal, and ``taizhang audit verify``
names it. The application's own writes are followed statement by statement on every engine that
:func:`follow` was given: before an UPDATE or DELETE the ids it will touch are read (a DELETE's
cascades included), after an INSERT the new ids; when the transaction commits, each touched row
is sealed again from what it then holds, or loses its seal with it. Rows inserted many at a time
whose every value the caller gives (:func:`seal_inserted`) are sealed from those values instead,
which are what the database then holds: no statement touches them again before the commit, or
they are read back like any other.

The key is the change log's (:func:`taizhang.services.audit.connection_key`).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import operators
from sqlalchemy.sql.dml import Delete, Insert, Update
from sqlalchemy.sql.elements import BinaryExpression, BindParameter

from ..storage.bulk import insert_rows
from ..storage.tables import metadata, parts, reports, row_seals, tasks
from .audit import connection_key

# The sealed tables, with the word a reader of ``audit verify`` knows them by.
SEALED: dict[str, str] = {"tasks": "任务", "parts": "分工", "reports": "报告"}
_SEALED_TABLES = {t.name: t for t in (tasks, parts, reports)}
_TOUCHED = "taizhang.sealed_rows_touched"  # {table name: {row id}} of the open transaction
_FOLLOWED = "taizhang_follows_seals"
_INSERTED_AFTER = "taizhang.sealed_insert_after"  # the highest id before a many-row INSERT
_READY = "taizhang.sealed_at_insert"  # {table name: {row id: seal}} of rows sealed as they were inserted
# execution option of an INSERT whose caller names the new rows itself (:func:`note_inserted`)
IDS_GIVEN = "taizhang_sealed_ids_given"
# values a seal takes as they are: most of a row's columns, checked by type before the slower isinstance
_AS_IS = frozenset((str, int, float, type(None), list, dict))
# one encoder for every seal: json.dumps with these options builds a new one per call
_PAYLOAD = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        # the databases give timestamps back tz-aware or naive; UTC at second precision reads the same
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def row_seal(key: bytes, table_name: str, row: Mapping[str, Any]) -> str:
    """HMAC-SHA256 under ``key`` of one row: its table, and every column's value."""
    canonical = {name: value if type(value) in _AS_IS else _canonical(value) for name, value in row.items()}
    payload = _PAYLOAD.encode([table_name, canonical]).encode("utf-8")
    return hmac.digest(key, payload, "sha256").hex()  # one-shot: no HMAC object per seal


def follow(engine: Engine) -> Engine:
    """Keep the seals of ``engine``'s writes to tasks, parts and reports current; returns the engine."""
    if not getattr(engine, _FOLLOWED, False):
        sa.event.listen(engine, "before_execute", _before_execute)
        sa.event.listen(engine, "after_execute", _after_execute)
        sa.event.listen(engine, "commit", _reseal_on_commit)
        sa.event.listen(engine, "rollback", _forget_on_rollback)
        sa.event.listen(engine, "rollback_savepoint", _reread_after_savepoint)
        setattr(engine, _FOLLOWED, True)
    return engine


def _touch(conn: Connection, table_name: str, ids: Iterable[Any]) -> None:
    touched = {int(i) for i in ids if i is not None}
    conn.info.setdefault(_TOUCHED, {}).setdefault(table_name, set()).update(touched)
    ready = conn.info.get(_READY, {}).get(table_name)
    if ready:  # a row written again since its insert is sealed from what it holds at the commit
        for row_id in touched:
            ready.pop(row_id, None)


def seal_inserted(
    conn: Connection, table: sa.Table, ids: Sequence[int], rows: Sequence[Mapping[str, Any]]
) -> None:
    """Seal the rows ``ids`` of ``table`` that an INSERT run with :data:`IDS_GIVEN` made from ``rows``.

    A row whose values are the column's own Python types, and which leaves out no column the
    database fills in itself, is sealed now from those values with the columns' Python-side
    defaults (what reading it back would give); the others are read back at commit
    (:func:`note_inserted`). Sealing an import's thousands of rows so spares reading them again.
    """
    if table.name not in _SEALED_TABLES:
        return
    key = connection_key(conn)
    plan = _insert_plan(table)
    ready = conn.info.setdefault(_READY, {}).setdefault(table.name, {})
    later = []
    for row_id, row in zip(ids, rows, strict=True):
        full = _as_stored(plan, row_id, row)
        if full is None:
            later.append(row_id)
        else:
            ready[int(row_id)] = row_seal(key, table.name, full)
    if later:
        _touch(conn, table.name, later)


# per column: its name, its Python-side default (None: none), and the types of value it reads back
# as given (a naive timestamp, a string in a date column, ... read back otherwise)
_Plan = tuple[tuple[str, Any, tuple[type, ...]], ...]
_NO_SERVER_VALUE = object()  # a column the database fills in itself: its value is not known here


@lru_cache(maxsize=8)
def _insert_plan(table: sa.Table) -> _Plan:
    plan = []
    for column in table.c:
        default = column.default
        if default is not None and not (default.is_scalar or default.is_callable):
            default = _NO_SERVER_VALUE
        elif default is None and column.server_default is not None:
            default = _NO_SERVER_VALUE
        plan.append((column.name, default, _read_back_as(column.type)))
    return tuple(plan)


def _read_back_as(kind: Any) -> tuple[type, ...]:
    if isinstance(kind, sa.Boolean):
        return (bool,)
    if isinstance(kind, sa.Integer):
        return (int,)
    if isinstance(kind, sa.String):  # Text too
        return (str,)
    if isinstance(kind, sa.DateTime):
        return (datetime,)
    if isinstance(kind, sa.Date):
        return (date,)
    if isinstance(kind, sa.JSON):
        return (list, dict)
    return ()  # any other type is read back to be sure


def _as_stored(plan: _Plan, row_id: int, row: Mapping[str, Any]) -> dict[str, Any] | None:
    """The row as reading it back gives it, or None when that is not sure from its values."""
    full: dict[str, Any] = {}
    for name, default, kinds in plan:
        if name in row:
            value = row[name]
        elif name == "id":
            value = row_id
        elif default is None:
            value = None
        elif default is _NO_SERVER_VALUE:
            return None
        else:  # SQLAlchemy runs a default f() as f(context)
            value = default.arg if default.is_scalar else default.arg(None)
        if value is not None and (
            type(value) not in kinds
            or (type(value) is datetime and value.tzinfo is None)  # stored as the database's local time
        ):
            return None
        full[name] = value
    return full


def note_inserted(conn: Connection, table: sa.Table, ids: Iterable[int]) -> None:
    """Seal at commit the rows ``ids`` of ``table`` that an INSERT run with :data:`IDS_GIVEN` made.

    A caller that knows the ids of the rows it inserted (drawn beforehand, or read back anyway)
    spares the two queries that otherwise find them.
    """
    if table.name in _SEALED_TABLES:
        _touch(conn, table.name, ids)


def _param_sets(multiparams: Any, params: Any) -> list[dict[str, Any]]:
    if multiparams:
        first = multiparams[0] if isinstance(multiparams, (list, tuple)) else multiparams
        if isinstance(first, (list, tuple)):
            return [dict(p) for p in first]
        return [dict(p) for p in multiparams]
    return [dict(params or {})]


def _cascades(table: sa.Table) -> list[tuple[sa.Table, sa.Column]]:
    """Tables whose rows a DELETE of ``table``'s rows removes too (ON DELETE CASCADE), by column."""
    found = []
    for child in metadata.tables.values():
        for fk in child.foreign_keys:
            if fk.column.table is table and (fk.ondelete or "").upper() == "CASCADE":
                found.append((child, fk.parent))
    return found


def _touch_deleted(
    conn: Connection, table: sa.Table, chosen: sa.Select, params: dict[str, Any], depth: int
) -> None:
    """Record the sealed rows that ``chosen`` (ids of ``table`` about to go) takes with it."""
    if table.name in _SEALED_TABLES:
        _touch(conn, table.name, conn.execute(chosen, params).scalars())
    if depth > 4:
        return
    for child, column in _cascades(table):
        if (
            "id" not in child.c
        ):  # a link table (no id) holds no sealed rows and is reached by no further cascade we track
            continue
        _touch_deleted(conn, child, sa.select(child.c.id).where(column.in_(chosen)), params, depth + 1)


def _before_execute(conn: Connection, clause: Any, multiparams: Any, params: Any, options: Any) -> None:
    if not isinstance(clause, (Update, Delete, Insert)):
        return
    table = clause.table
    if not isinstance(table, sa.Table) or "id" not in table.c:
        return
    if isinstance(clause, Insert):
        if options.get(IDS_GIVEN):
            return
        many = (
            len(_param_sets(multiparams, params)) > 1
            or clause.select is not None
            or bool(clause._multi_values)
        )
        if table.name in _SEALED_TABLES and many:
            # several rows: their ids are the ones above the highest id before them
            conn.info[_INSERTED_AFTER] = conn.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
        return
    if isinstance(clause, Update) and table.name not in _SEALED_TABLES:
        return
    where = clause.whereclause
    if isinstance(clause, Update) and not multiparams and not params:
        row_id = _one_id(table, where)
        if row_id is not None:  # UPDATE … WHERE id = 7: the row is named, no query needed to find it
            _touch(conn, table.name, (row_id,))
            return
    chosen = sa.select(table.c.id) if where is None else sa.select(table.c.id).where(where)
    for param_set in _param_sets(multiparams, params):
        if isinstance(clause, Update):
            _touch(conn, table.name, conn.execute(chosen, param_set).scalars())
        else:
            _touch_deleted(conn, table, chosen, param_set, 0)


def _one_id(table: sa.Table, where: Any) -> int | None:
    """The id of ``WHERE table.id = <value>`` (the value bound in the statement), else None.

    Most of the application's UPDATEs name one row so; sealing it at commit needs no SELECT first.
    A row that does not exist is harmless: at commit it has no row to seal and no seal to drop.
    """
    if (
        isinstance(where, BinaryExpression)
        and where.operator is operators.eq
        and where.left is table.c.id
        and isinstance(where.right, BindParameter)
        and not where.right.expanding
        and where.right.callable is None
        and type(where.right.value) is int
    ):
        return where.right.value
    return None


def _after_execute(
    conn: Connection, clause: Any, multiparams: Any, params: Any, options: Any, result: Any
) -> None:
    if not isinstance(clause, Insert) or not isinstance(clause.table, sa.Table) or options.get(IDS_GIVEN):
        return
    table = clause.table
    if table.name not in _SEALED_TABLES:
        return
    before = conn.info.pop(_INSERTED_AFTER, None)
    if before is None:  # one row: its id came back with it
        _touch(conn, table.name, result.inserted_primary_key or ())
        return
    _touch(conn, table.name, conn.execute(sa.select(table.c.id).where(table.c.id > before)).scalars())


def _reseal_on_commit(conn: Connection) -> None:
    touched = conn.info.pop(_TOUCHED, None)
    ready = conn.info.pop(_READY, None)
    if touched or ready:
        reseal(conn, touched or {}, ready or {})


def _forget_on_rollback(conn: Connection) -> None:
    conn.info.pop(_TOUCHED, None)
    conn.info.pop(_READY, None)


def _reread_after_savepoint(conn: Connection, name: Any, context: Any) -> None:
    """Rows sealed at their insert may have gone with a savepoint: the commit reads them back instead."""
    ready = conn.info.pop(_READY, None)
    for table_name, seals in (ready or {}).items():
        _touch(conn, table_name, seals)


def reseal(
    conn: Connection,
    touched: Mapping[str, Iterable[int]],
    ready: Mapping[str, Mapping[int, str]] | None = None,
) -> None:
    """Seal the rows named in ``touched`` ({table name: ids}) as they are now; drop the seals of gone
    ones. ``ready`` ({table name: {row id: seal}}) holds seals made already (:func:`seal_inserted`).

    The seals of all tables go in one DELETE and one INSERT per round of at most 500 rows: a report
    touches a task, a part and a report, and three tables' statements each were a third of its work.
    """
    key = connection_key(conn)
    # PostgreSQL takes each table's ids as one array: the seals made already go in one batch
    whole = conn.dialect.name == "postgresql"
    chunks: list[tuple[str, list[int], Mapping[int, str] | None]] = [
        (name, ids[start : start + _CHUNK], None)
        for name, id_set in touched.items()
        for ids in (sorted(id_set),)
        for start in range(0, len(ids), _CHUNK)
    ]
    chunks += [
        (name, ids[start : start + step], seals)
        for name, seals in (ready or {}).items()
        for ids in (sorted(seals),)
        for step in (max(len(ids), 1) if whole else _CHUNK,)
        for start in range(0, len(ids), step)
    ]
    while chunks:
        batch, size = [], 0
        while chunks and (whole or not batch or size + len(chunks[0][1]) <= _CHUNK):
            batch.append(chunks.pop(0))
            size += len(batch[-1][1])
        _reseal_batch(conn, key, batch)


_CHUNK = 500  # ids per statement: well under SQLite's and PostgreSQL's parameter limits


def _reseal_batch(
    conn: Connection, key: bytes, batch: list[tuple[str, list[int], Mapping[int, str] | None]]
) -> None:
    seals = []
    for name, ids, made in batch:
        if made is not None:
            seals.extend({"table_name": name, "row_id": i, "seal": made[i]} for i in ids)
            continue
        table = _SEALED_TABLES[name]
        for r in conn.execute(sa.select(table).where(table.c.id.in_(ids))).mappings():
            seals.append({"table_name": name, "row_id": int(r["id"]), "seal": row_seal(key, name, r)})
    postgres = conn.dialect.name == "postgresql"
    conn.execute(
        row_seals.delete().where(
            sa.or_(
                *(
                    sa.and_(row_seals.c.table_name == name, _among(row_seals.c.row_id, ids, postgres))
                    for name, ids, _ in batch
                )
            )
        )
    )
    if seals:
        insert_rows(conn, row_seals, ("table_name", "row_id", "seal"), seals)


def _among(column: sa.Column[int], ids: list[int], postgres: bool) -> sa.ColumnElement[bool]:
    """``column`` is one of ``ids``: on PostgreSQL one array parameter, not one parameter per id (the
    driver parsed a statement of 500 placeholders in milliseconds, ten times per import)."""
    if postgres:
        return column == sa.any_(sa.bindparam(None, ids, type_=sa.ARRAY(sa.Integer)))
    return column.in_(ids)


def seal_unsealed(conn: Connection) -> int:
    """Seal every row that has no seal yet (a ledger written before rows were sealed); returns how many."""
    touched: dict[str, list[int]] = {}
    for name, table in _SEALED_TABLES.items():
        sealed = sa.select(row_seals.c.row_id).where(row_seals.c.table_name == name)
        touched[name] = list(conn.execute(sa.select(table.c.id).where(table.c.id.not_in(sealed))).scalars())
    reseal(conn, touched)
    return sum(len(ids) for ids in touched.values())


@dataclass(frozen=True)
class SealProblem:
    """A row that differs from what the application last wrote: its table, id and what is wrong."""

    table: str
    row_id: int
    message: str


def verify_seals(conn: Connection, *, key: bytes | None = None) -> tuple[int, list[SealProblem]]:
    """Check every sealed table's rows against their seals; returns the rows checked and the problems."""
    key = key or connection_key(conn)
    problems: list[SealProblem] = []
    count = 0
    for name, table in _SEALED_TABLES.items():
        seals = dict(
            conn.execute(
                sa.select(row_seals.c.row_id, row_seals.c.seal).where(row_seals.c.table_name == name)
            ).all()
        )
        for row in conn.execute(sa.select(table).order_by(table.c.id)).mappings():
            count += 1
            stored = seals.pop(int(row["id"]), None)
            if stored is None:
                problems.append(SealProblem(name, int(row["id"]), "没有封存：不是经由本系统写入的"))
            elif not hmac.compare_digest(stored, row_seal(key, name, row)):
                problems.append(SealProblem(name, int(row["id"]), "内容与封存不符：不经本系统被修改"))
        for row_id in sorted(seals):
            problems.append(SealProblem(name, row_id, "已不存在：不经本系统被删除"))
    return count, problems
