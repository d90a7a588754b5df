"""Work on a connection's own transaction while the caller computes something else.

On PostgreSQL the work runs in a thread that mostly waits for the server (the wait releases the
interpreter's lock, so the caller's Python runs meanwhile while the server works on the other
core). The caller's block must not use the connection, and the work must not fire SQLAlchemy's
events (a statement sent through the driver, a COPY: see ``storage.bulk``), whose listeners keep
state the block may touch. When the block ends the thread is joined, then the work's error, if
any, is raised. Elsewhere (SQLite works inside this process) the work runs before the block:
there is nothing to overlap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection


@contextmanager
def running_alongside(conn: Connection, work: Callable[[], None]) -> Iterator[None]:
    """Run ``work`` (which uses ``conn``, and only it) while the block runs."""
    if conn.dialect.name != "postgresql":
        work()
        yield
        return
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # handed to the caller's thread, raised there
            failed.append(error)

    thread = threading.Thread(target=run, name="taizhang-alongside", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()  # the connection is the caller's again only once the work is answered
    if failed:
        raise failed[0]


@contextmanager
def executing_alongside(conn: Connection, sql: str) -> Iterator[None]:
    """Run ``sql`` (a statement without parameters or rows) on ``conn`` while the block runs; its
    error is raised as SQLAlchemy raises the driver's errors."""
    if conn.dialect.name != "postgresql":
        conn.exec_driver_sql(sql)
        yield
        return
    dbapi = conn.dialect.loaded_dbapi

    def execute() -> None:
        try:
            conn.connection.driver_connection.execute(sql)  # type: ignore[union-attr]
        except dbapi.Error as error:
            raise sa.exc.DBAPIError.instance(sql, None, error, dbapi.Error) from error

    with running_alongside(conn, execute):
        yield
