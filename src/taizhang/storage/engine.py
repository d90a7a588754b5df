"""Engines for SQLite (embedded default) and PostgreSQL (deployment)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine


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
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **pool)

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True, **pool)


def is_sqlite(engine: Engine) -> bool:
    """True for SQLite engines (FTS5 search and other SQLite-only paths)."""
    return engine.dialect.name == "sqlite"
