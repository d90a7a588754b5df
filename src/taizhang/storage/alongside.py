"""One statement run on a connection's own transaction while the caller computes something else.

On PostgreSQL the statement goes to the driver from a thread that waits for the server's answer
(the wait releases the interpreter's lock, so the caller's Python runs meanwhile on the other
core while the server works). The caller's block must not use the connection. When the block ends
the thread is joined, then the statement's error, if any, is raised as SQLAlchemy raises the
driver's errors. Elsewhere (SQLite works inside this process) the statement runs before the block:
there is nothing to overlap.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection


@contextmanager
def executing_alongside(conn: Connection, sql: str) -> Iterator[None]:
    """Run ``sql`` (a statement without parameters or rows) on ``conn`` while the block runs."""
    if conn.dialect.name != "postgresql":
        conn.exec_driver_sql(sql)
        yield
        return
    driver = conn.connection.driver_connection
    failed: list[BaseException] = []

    def run() -> None:
        try:
            driver.execute(sql)  # type: ignore[union-attr]
        except BaseException as error:  # handed to the caller's thread, raised there
            failed.append(error)

    thread = threading.Thread(target=run, name="taizhang-alongside", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()  # the connection is the caller's again only once the statement is answered
    if failed:
        dbapi = conn.dialect.loaded_dbapi
        if isinstance(failed[0], dbapi.Error):
            raise sa.exc.DBAPIError.instance(sql, None, failed[0], dbapi.Error) from failed[0]
        raise failed[0]
