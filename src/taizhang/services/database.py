"""Open the ledger database and make sure its schema is current."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection, Engine

from ..storage.engine import create_db_engine
from ..storage.schema import upgrade_schema


def open_database(url: str, *, migrate: bool = True) -> Engine:
    """An engine on ``url`` whose schema has been brought up to date (Alembic ``upgrade head``)."""
    engine = create_db_engine(url)
    if migrate:
        upgrade_schema(engine)
    return engine


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Connection]:
    """One transaction: committed when the block ends normally, rolled back on any exception."""
    with engine.begin() as conn:
        yield conn
