"""One fair queue of writers per SQLite file in a process: write transactions take turns, first come first served.

SQLite lets one transaction write at a time, and a writer that finds the lock taken sleeps in its
busy handler and retries. That handler is not fair: a writer that has waited long sleeps longest
between tries and keeps losing to newer writers, up to its timeout (at 50 web clients a few report
POSTs waited 5-10 s while others went through). Here a write transaction first takes its turn in a
FIFO queue, before its first write statement, and gives it back when it commits or rolls back; SQLite's
lock is then free whenever a writer reaches it. Readers are never queued (WAL lets them read while
one writes). Other processes (the worker, the CLI) still meet SQLite's own lock and busy timeout.

A turn waited for longer than the busy timeout ends as SQLite's own "database is locked" would,
so a writer that waits for itself (a second connection in the same thread) fails as before instead
of hanging.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import deque
from typing import Any

# statements that take SQLite's write lock (the implicit BEGIN comes right before the first of them)
_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER"})
_QUEUES: dict[str, WriterQueue] = {}
_QUEUES_LOCK = threading.Lock()


class WriterQueue:
    """A lock handed to waiters in the order they came (``threading.Lock`` promises no order)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held = False
        self._waiters: deque[threading.Event] = deque()

    @property
    def waiting(self) -> int:
        """Writers waiting for their turn now."""
        with self._lock:
            return len(self._waiters)

    def acquire(self, timeout: float) -> bool:
        """Wait for this writer's turn; False when ``timeout`` seconds passed first."""
        with self._lock:
            if not self._held and not self._waiters:
                self._held = True
                return True
            turn = threading.Event()
            self._waiters.append(turn)
        if turn.wait(timeout):
            return True
        with self._lock:
            if turn.is_set():  # handed over just as the wait ended
                return True
            self._waiters.remove(turn)
            return False

    def release(self) -> None:
        """End this writer's turn: the longest-waiting writer gets it (it stays held, never free in between)."""
        with self._lock:
            if self._waiters:
                self._waiters.popleft().set()
            else:
                self._held = False


def queue_for(database: str) -> WriterQueue:
    """The process's queue for the SQLite file ``database``."""
    key = os.path.realpath(database)
    with _QUEUES_LOCK:
        return _QUEUES.setdefault(key, WriterQueue())


class QueuedConnection(sqlite3.Connection):
    """A sqlite3 connection that takes its turn in its file's writer queue before writing.

    Made by ``sqlite3.connect(factory=...)``; :func:`queue_writes` sets ``queue`` and ``wait``.
    """

    queue: WriterQueue | None = None
    wait = 30.0
    holds_turn = False

    def take_turn(self) -> None:
        """Wait for this connection's turn unless it has it. Raises sqlite3.OperationalError after ``wait``."""
        if self.holds_turn or self.queue is None:
            return
        if not self.queue.acquire(self.wait):
            raise sqlite3.OperationalError("database is locked (waited for the writer queue)")
        self.holds_turn = True

    def end_turn(self) -> None:
        """Give the turn back once no transaction is open (after commit, rollback or an autocommit write)."""
        if self.holds_turn and not self.in_transaction and self.queue is not None:
            self.holds_turn = False
            self.queue.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.end_turn()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.end_turn()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.holds_turn and self.queue is not None:  # closing rolls back what was open
                self.holds_turn = False
                self.queue.release()


def is_write(statement: str) -> bool:
    """True for a statement that takes SQLite's write lock (``BEGIN IMMEDIATE``/``EXCLUSIVE`` included)."""
    words = statement.lstrip().split(None, 2)
    if not words:
        return False
    first = words[0].upper()
    if first == "BEGIN":
        return len(words) > 1 and words[1].upper() in ("IMMEDIATE", "EXCLUSIVE")
    return first in _WRITES


def before_execute(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
    """SQLAlchemy ``before_cursor_execute``: a write waits for its connection's turn first."""
    dbapi = conn.connection.driver_connection
    if isinstance(dbapi, QueuedConnection) and not dbapi.holds_turn and is_write(statement):
        dbapi.take_turn()


def after_execute(conn: Any, *_: Any) -> None:
    """SQLAlchemy ``after_cursor_execute``: an autocommit write (no transaction open) ends its turn."""
    dbapi = conn.connection.driver_connection
    if isinstance(dbapi, QueuedConnection):
        dbapi.end_turn()


def after_error(context: Any) -> None:
    """SQLAlchemy ``handle_error``: a failed write outside a transaction ends its turn too."""
    connection = context.connection
    dbapi = (
        connection.connection.driver_connection if connection is not None and not connection.closed else None
    )
    if isinstance(dbapi, QueuedConnection):
        dbapi.end_turn()
