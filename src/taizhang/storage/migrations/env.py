"""Alembic environment: the ledger metadata, batch mode for SQLite, type comparison on.

``upgrade_schema(engine)`` passes its own connection in ``config.attributes["connection"]``;
from the command line the URL comes from ``-x url=...`` or ``TAIZHANG_DATABASE_URL``.
"""

from __future__ import annotations

import os

from alembic import context

from taizhang.storage.engine import create_db_engine
from taizhang.storage.schema import compare_options

config = context.config


def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    # the SQLite full-text index (tasks_fts and its shadow tables) is made by hand in a
    # migration, so compare_options() leaves it out of autogenerate
    context.configure(connection=connection, **compare_options())


def run_migrations_online() -> None:
    """Run on the connection handed over by upgrade_schema, or on a fresh engine from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get(
        "TAIZHANG_DATABASE_URL", "sqlite:///taizhang.db"
    )
    engine = create_db_engine(url)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("不支持离线（--sql）迁移：请给出数据库地址")
run_migrations_online()
