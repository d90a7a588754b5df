"""Writers on PostgreSQL take the change log's lock before anything else they lock.

Every change to the ledger appends to the change log, whose entries are chained: a writer holds the
log's lock (``LOCK TABLE change_log IN EXCLUSIVE MODE``, which readers never wait for) from its
first entry to its commit. A writer that had locked a row first (a task edited by its UPDATE) and
then came to the log, while the log's holder waited for that row (a report locking its task), was
a deadlock, and PostgreSQL aborted one of them. Here a transaction takes the log's lock before its
first statement that writes or locks rows, so writers queue on the log and never hold a row while
they wait. It is SQLite's order too, where the first write takes the database's one write lock.

The login's bookkeeping (``login_attempts``) is no ledger change and never waits for the ledger's
writers (it is ordered by its own advisory lock).
"""

from __future__ import annotations

from typing import Any

LOCK_LOG = "LOCK TABLE change_log IN EXCLUSIVE MODE"
_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE"})
_ROW_LOCKS = (" FOR UPDATE", " FOR NO KEY UPDATE", " FOR SHARE", " FOR KEY SHARE")
_OUTSIDE_THE_LOG = frozenset({"login_attempts"})
_LOCKED = "taizhang.change_log_locked"  # the transaction (or savepoint) that took the lock


def _target(first: str, words: list[str]) -> str:
    """The table an INSERT INTO / DELETE FROM / MERGE INTO / UPDATE names (unquoted)."""
    name = words[1] if first == "UPDATE" or len(words) < 3 else words[2]
    return name.strip('"').split("(", 1)[0]


def locks_rows(statement: str) -> bool:
    """True for a statement that writes rows or locks them (SELECT … FOR UPDATE and the like),
    outside the tables that keep no ledger change."""
    words = statement.lstrip().split(None, 3)
    if len(words) < 2:
        return False
    first = words[0].upper()
    if first in _WRITES:
        return _target(first, words) not in _OUTSIDE_THE_LOG
    return first == "SELECT" and any(lock in statement.upper() for lock in _ROW_LOCKS)


def before_execute(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
    """SQLAlchemy ``before_cursor_execute``: the log's lock before a transaction's first row lock.

    A lock taken inside a savepoint ends when the savepoint is rolled back, so it is noted for the
    innermost transaction and taken again (at once: it is held) after that one ends.
    """
    transaction = conn.get_nested_transaction() or conn.get_transaction()
    if transaction is None or conn.info.get(_LOCKED) is transaction or not locks_rows(statement):
        return
    cursor.execute(LOCK_LOG)
    conn.info[_LOCKED] = transaction
