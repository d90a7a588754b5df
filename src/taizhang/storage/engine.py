"""Engines for SQLite (embedded default) and PostgreSQL (deployment)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from . import sqlite_writers
from .sqlite_writers import QueuedConnection, queue_for

BUSY_TIMEOUT = 30  # seconds a SQLite writer waits for the lock (and for its turn in the queue)


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def create_db_engine(url: str, *, pool_size: int | None = None, max_overflow: int | None = None) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys on and a busy timeout for the web server.

    ``pool_size`` and ``max_overflow`` size the connection pool (the web app passes its settings,
    so that every request thread can hold a connection instead of waiting for one).
    """
    url = normalise_url(url)
    pool: dict[str, int] = {}
    if pool_size is not None and not url.endswith((":memory:", "sqlite://")):
        pool = {"pool_size": pool_size, "max_overflow": max_overflow or 0}
    if url.startswith("sqlite"):
        return _sqlite_engine(url, pool)
    return sa.create_engine(url, pool_pre_ping=True, **pool)


def _sqlite_engine(url: str, pool: dict[str, int]) -> Engine:
    """SQLite with foreign keys, WAL, and writers taking turns in a fair queue (storage/sqlite_writers.py)."""
    database = sa.engine.make_url(url).database
    queue = queue_for(database) if database and database != ":memory:" else None
    connect_args = {"timeout": BUSY_TIMEOUT, "check_same_thread": False, "factory": QueuedConnection}
    engine = sa.create_engine(url, connect_args=connect_args, **pool)

    @sa.event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
        dbapi_connection.queue, dbapi_connection.wait = queue, BUSY_TIMEOUT

    sa.event.listen(engine, "before_cursor_execute", sqlite_writers.before_execute)
    sa.event.listen(engine, "after_cursor_execute", sqlite_writers.after_execute)
    sa.event.listen(engine, "handle_error", sqlite_writers.after_error)
    return engine


def is_sqlite(engine: Engine) -> bool:
    """True for SQLite engines (FTS5 search and other SQLite-only paths)."""
    return engine.dialect.name == "sqlite"
