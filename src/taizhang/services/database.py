"""Open the ledger database and make sure its schema is current."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..errors import LedgerNotReady
from ..storage.engine import create_db_engine
from ..storage.schema import schema_state, upgrade_schema
from .seals import follow


def open_database(url: str, *, migrate: bool = True, pool_size: int | None = None,
                  max_overflow: int | None = None) -> Engine:
    """An engine on ``url`` whose schema has been brought up to date (Alembic ``upgrade head``).

    Its writes keep the seals of ledger rows current (services/seals.py).
    """
    engine = follow(create_db_engine(url, pool_size=pool_size, max_overflow=max_overflow))
    if migrate:
        upgrade_schema(engine)
    return engine


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
    engine = follow(create_db_engine(url))
    if upgrade:
        upgrade_schema(engine)
        return engine
    state = schema_state(engine)
    if state == "empty" and create:
        upgrade_schema(engine)
    elif state != "current":
        engine.dispose()
        hint = "尚未建立台账：请先运行 taizhang init" if state == "empty" else "结构不是当前版本：请先运行 taizhang db upgrade"
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
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    return [int(i) for i in conn.execute(statement, rows).scalars()]
