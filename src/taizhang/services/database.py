"""Open the ledger database and make sure its schema is current."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..errors import LedgerNotReady
from ..storage.alongside import running_alongside
from ..storage.bulk import bulkable, insert_rows
from ..storage.engine import create_db_engine
from ..storage.schema import schema_state, upgrade_schema
from . import bulk_counts
from .audit import append_at_commit
from .seals import IDS_GIVEN, follow, seal_inserted


def open_database(
    url: str, *, migrate: bool = True, pool_size: int | None = None, max_overflow: int | None = None
) -> Engine:
    """An engine on ``url`` whose schema has been brought up to date (Alembic ``upgrade head``).

    Its writes keep the seals of ledger rows current (services/seals.py), and its transactions
    append their change-log entries when they commit (services/audit.append_at_commit).
    """
    engine = _ledger_engine(create_db_engine(url, pool_size=pool_size, max_overflow=max_overflow))
    if migrate:
        upgrade_schema(engine)
    return engine


def _ledger_engine(engine: Engine) -> Engine:
    # seals first: their commit work runs before the change log's append takes the log's lock
    return append_at_commit(follow(engine))


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and for an in-memory one)."""
    parsed = sa.engine.make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def open_ledger(url: str, *, upgrade: bool = False, create: bool = False) -> Engine:
    """An engine on an existing ledger whose schema is current.

    ``upgrade`` brings an older schema up to date (``serve`` and ``import`` when configured);
    ``create`` makes a missing SQLite file (``init``, ``import``).

    Raises:
        LedgerNotReady: the SQLite file does not exist, or the schema is older and ``upgrade`` is off;
            the message says which command fixes it.
    """
    path = sqlite_file(url)
    if path is not None and not create and not path.exists():
        raise LedgerNotReady(
            f"数据库文件 {path} 不存在：请先运行 taizhang init 建立台账，或用 --db 指定已有的数据库"
        )
    engine = _ledger_engine(create_db_engine(url))
    if upgrade:
        upgrade_schema(engine)
        return engine
    state = schema_state(engine)
    if state == "empty" and create:
        upgrade_schema(engine)
    elif state != "current":
        engine.dispose()
        hint = (
            "尚未建立台账：请先运行 taizhang init"
            if state == "empty"
            else "结构不是当前版本：请先运行 taizhang db upgrade"
        )
        raise LedgerNotReady(f"数据库 {path or url} {hint}")
    return engine


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Connection]:
    """One transaction: committed when the block ends normally, rolled back on any exception."""
    with engine.begin() as conn:
        yield conn


def insert_returning_ids(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` in one statement (a few, for very many); their new ids, in the rows' order."""
    if not rows:
        return []
    if len(rows) == 1:  # a plain INSERT gives its id back (and row seals read it from the result)
        return [int(conn.execute(table.insert(), rows[0]).inserted_primary_key[0])]
    if conn.dialect.name == "sqlite":
        return _insert_many_sqlite(conn, table, rows)
    if conn.dialect.name == "postgresql":
        ids = _ids_from_sequence(conn, table, len(rows))
        if ids is not None:
            bulk_counts.count_later(conn, table.name, ids)  # before they are written: see bulk_counts
            given = [{**row, "id": new_id} for row, new_id in zip(rows, ids, strict=True)]
            if bulkable(conn, table, given):
                # the server stores the copied rows (indexes, checks) while they are sealed here
                columns = tuple(given[0])
                with running_alongside(conn, lambda: insert_rows(conn, table, columns, given)):
                    seal_inserted(conn, table, ids, rows)
            else:
                _insert_known(conn, table, given)
                seal_inserted(conn, table, ids, rows)
            return ids
    # RETURNING in the rows' order: the driver may send the rows one by one to keep the order
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    return [int(i) for i in conn.execute(statement, rows).scalars()]


def _insert_many_sqlite(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> list[int]:
    """One INSERT for the first row, one executemany for the rest, one SELECT for their ids.

    SQLite cannot keep RETURNING in the rows' order for many rows, so SQLAlchemy would insert them
    one at a time. The first INSERT takes the database's write lock until the transaction ends, so
    no other writer inserts in between, and SQLite numbers the rest upwards in the order given.
    """
    first = int(
        conn.execute(table.insert(), rows[0], execution_options={IDS_GIVEN: True}).inserted_primary_key[0]
    )
    _insert_known(conn, table, rows[1:])
    rest = [
        int(i)
        for i in conn.execute(sa.select(table.c.id).where(table.c.id > first).order_by(table.c.id)).scalars()
    ]
    if len(rest) != len(rows) - 1:
        raise RuntimeError(
            f"{table.name} 表：写入 {len(rows) - 1} 行，其后只找到 {len(rest)} 个编号，整批写入已撤销"
        )
    ids = [first, *rest]
    seal_inserted(conn, table, ids, rows)
    return ids


def _insert_known(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows whose ids the caller finds or gives itself (and seals with :func:`seals.seal_inserted`):
    through the driver's executemany when the rows name the same columns (``storage.bulk``), else
    through SQLAlchemy's."""
    if bulkable(conn, table, rows):
        insert_rows(conn, table, tuple(rows[0]), rows)
        return
    conn.execute(table.insert(), rows, execution_options={IDS_GIVEN: True})


def draw_ids(conn: Connection, table: sa.Table, count: int) -> list[int] | None:
    """``count`` new ids of ``table`` drawn in order from its id sequence, as ``count`` INSERTs would
    draw them (PostgreSQL); None where ids are not drawn from a sequence (SQLite)."""
    if conn.dialect.name != "postgresql":
        return None
    return _ids_from_sequence(conn, table, count) if count else []


# {table name: its id sequence} on this database connection: one look-up per table, not per batch
_SEQUENCES = "taizhang.id_sequences"


def _ids_from_sequence(conn: Connection, table: sa.Table, count: int) -> list[int] | None:
    """``count`` new ids drawn from the sequence behind ``table.id`` (PostgreSQL), None without one.

    Rows given their ids beforehand go in one batched INSERT without RETURNING; drawing from the
    sequence keeps the ids apart from every other writer's.
    """
    known = conn.info.setdefault(_SEQUENCES, {})
    if table.name not in known:
        known[table.name] = conn.execute(sa.select(sa.func.pg_get_serial_sequence(table.name, "id"))).scalar()
    sequence = known[table.name]
    if sequence is None:
        return None
    drawn = conn.execute(
        sa.text("SELECT nextval(CAST(:sequence AS regclass)) FROM generate_series(1, :count)"),
        {"sequence": sequence, "count": count},
    )
    return [int(i) for i in drawn.scalars()]
