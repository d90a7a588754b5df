"""The full-text index over tasks (SQLite's tasks_fts), filled once for a batch of new tasks.

The insert trigger indexes each task as it is inserted; inside :func:`index_at_end` it stands
aside (a row in ``tasks_fts_deferred`` tells it to) and the block's new tasks are indexed with one
INSERT … SELECT as it ends, which costs about half as much for an import of a thousand tasks.
Other connections never see the row: SQLite has one writer, and it goes with the transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..storage.tables import tasks

_DEFERRED = "taizhang.search_index_deferred"  # set on the connection while a block defers


@contextmanager
def index_at_end(conn: Connection) -> Iterator[None]:
    """Tasks inserted in the block are indexed together when it ends (SQLite; nothing to do elsewhere).

    The block must not delete or retitle the tasks it inserts: the index would be told to forget
    rows it does not hold yet. A block inside another is the outer one.
    """
    if conn.dialect.name != "sqlite" or conn.info.get(_DEFERRED):
        yield
        return
    # the new tasks are those above the highest id now: SQLite numbers rows upwards
    start = conn.execute(sa.select(sa.func.max(tasks.c.id))).scalar() or 0
    conn.execute(sa.text("INSERT INTO tasks_fts_deferred (writer) VALUES (1)"))
    conn.info[_DEFERRED] = True
    try:
        yield
    finally:
        del conn.info[_DEFERRED]
        conn.execute(sa.text("DELETE FROM tasks_fts_deferred"))
        conn.execute(
            sa.text(
                "INSERT INTO tasks_fts (rowid, title, body) SELECT id, title, body FROM tasks WHERE id > :start"
            ),
            {"start": start},
        )
