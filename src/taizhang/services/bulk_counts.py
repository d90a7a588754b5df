"""Rows written in bulk are counted with one statement per tally, not row by row (PostgreSQL).

The counting triggers (``0027_running_totals``, ``0034_assigned_by_unit``) count each row as its
transaction commits, each moving a few shared tally rows by one: a unit's count per role, a
document's or unit's totals, the ledger's count per status. An import writes thousands of
assignments, tasks and parts: the same tally rows move thousands of times in one transaction,
and as no version of a row can be pruned before the commit, each move walks the row's earlier
versions, so the commit's counting grew about with the square of the import (4,190 assignments
0.20 s, 12,570 of them 0.96 s).

So the ids of rows written in bulk are registered before they are written, in the transaction's
setting ``taizhang.counted_in_bulk_<table>`` (a multirange of ids); the triggers leave those rows'
share of these tallies alone (``0036_counted_in_bulk``), and :func:`count_waiting` counts the
rows as they stand then, with one statement per tally that writes each tally row once. The
months a row is late in and the reports it owes stay the triggers' (rows just written are seldom
late). The setting is the transaction's, on the server: a savepoint's rollback takes back the
rows, their registration and any count made inside it together. Counting happens where the
triggers' deferred counting happens: at the commit, after the change log's lock (``audit``), and
when a transaction reads its own totals (``tallies.count_own_writes``), after which the settings
are cleared and the triggers count every later write at once, as before.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..ledger.status import CANCELLED, DONE
from ..storage.tables import ANY_ROLE

AT_COMMIT = "taizhang_counts_at_commit"  # an engine whose commits count what waits (audit.append_at_commit)
_WAITING = "taizhang.counted_in_bulk.transaction"  # conn.info: the transaction that registered ids
_IMMEDIATE = "taizhang.counted_in_bulk.immediate"  # conn.info: the transaction that counts at once


def setting(table_name: str) -> str:
    """The transaction's setting holding the ids of ``table_name`` its triggers skip (int8multirange)."""
    return f"taizhang.counted_in_bulk_{table_name}"


def _registered(table_name: str, alias: str) -> str:
    """The rows of ``table_name`` whose ids are registered, as they stand, joined by id spans."""
    return (
        f"{table_name} AS {alias} JOIN unnest(CAST(nullif(current_setting('{setting(table_name)}', true), '') "
        f"AS int8multirange)) AS s (span) ON {alias}.id >= lower(s.span) AND {alias}.id < upper(s.span)"
    )


def _totals(scope: str, table_name: str, column: str) -> str:
    """The registered rows added to their document's or unit's totals (all, done, closed)."""
    return (
        f"INSERT INTO tally_totals (scope, scope_id, total, done, closed) "
        f"SELECT '{scope}', r.{column}, count(*), count(*) FILTER (WHERE r.status = '{DONE}'), "
        f"count(*) FILTER (WHERE r.status IN ('{DONE}', '{CANCELLED}')) "
        f"FROM {_registered(table_name, 'r')} GROUP BY r.{column} "
        f"ON CONFLICT (scope, scope_id) DO UPDATE SET total = tally_totals.total + excluded.total, "
        f"done = tally_totals.done + excluded.done, closed = tally_totals.closed + excluded.closed"
    )


# The registered assignments counted: each (unit, role) row, each (unit, task) pair, and each
# unit's tasks in any role (``ANY_ROLE``), which a pair new to the tallies adds one to. All parts
# of the statement see the tallies as they were before it, so the pairs it inserts are not yet
# there for the last SELECT.
_ASSIGNMENTS = f"""
WITH registered AS MATERIALIZED (SELECT r.unit_id, r.task_id, r.role FROM {_registered("assignments", "r")}),
pairs AS (
    INSERT INTO tally_unit_tasks (unit_id, task_id, n)
    SELECT unit_id, task_id, count(*) FROM registered GROUP BY unit_id, task_id
    ON CONFLICT (unit_id, task_id) DO UPDATE SET n = tally_unit_tasks.n + excluded.n
)
INSERT INTO tally_assigned (unit_id, role, n)
SELECT unit_id, role, count(*) FROM registered GROUP BY unit_id, role
UNION ALL
SELECT fresh.unit_id, '{ANY_ROLE}', count(*)
FROM (SELECT DISTINCT unit_id, task_id FROM registered) AS fresh
WHERE NOT EXISTS (
    SELECT FROM tally_unit_tasks AS t WHERE t.unit_id = fresh.unit_id AND t.task_id = fresh.task_id
)
GROUP BY fresh.unit_id
ON CONFLICT (unit_id, role) DO UPDATE SET n = tally_assigned.n + excluded.n
"""

# what each table's registered rows are counted by; their other tallies (the months they are late
# in, the reports they owe) stay with the triggers, which rows just written seldom move
_COUNTS = {
    "assignments": (_ASSIGNMENTS,),
    "tasks": (
        _totals("document", "tasks", "document_id"),
        f"INSERT INTO tally_statuses (scope, status, n) SELECT 'document', r.status, count(*) "
        f"FROM {_registered('tasks', 'r')} GROUP BY r.status "
        f"ON CONFLICT (scope, status) DO UPDATE SET n = tally_statuses.n + excluded.n",
    ),
    "parts": (_totals("unit", "parts", "unit_id"),),
}
TABLES = tuple(_COUNTS)
# every count, one after the other (a statement finds nothing where its setting is empty)
COUNT = ";\n".join(statement.strip() for statements in _COUNTS.values() for statement in statements)
_CLEAR = sa.text("SELECT " + ", ".join(f"set_config('{setting(t)}', '', true)" for t in TABLES))


def _register(table_name: str) -> sa.TextClause:
    name = setting(table_name)
    return sa.text(
        f"SELECT set_config('{name}', CAST(CAST(coalesce(nullif(current_setting('{name}', true), ''), '{{}}') "
        f"AS int8multirange) + CAST(:spans AS int8multirange) AS text), true)"
    )


def spans(ids: Sequence[int]) -> str:
    """``ids`` as a multirange literal of half-open spans: ``{[1,4),[7,8)}`` for 1, 2, 3, 7."""
    ordered = sorted(set(ids))
    out: list[str] = []
    start = previous = ordered[0]
    for i in ordered[1:]:
        if i != previous + 1:
            out.append(f"[{start},{previous + 1})")
            start = i
        previous = i
    out.append(f"[{start},{previous + 1})")
    return "{" + ",".join(out) + "}"


def count_later(conn: Connection, table_name: str, ids: Sequence[int]) -> None:
    """Register rows about to be written to ``table_name`` with ``ids``, for one count at the commit.

    Only the tables of :data:`TABLES` are counted so, only on PostgreSQL, only where the commit
    counts them (an engine made by ``database.open_database``), and only while the transaction's
    triggers still wait for the commit: once it reads its own totals, every write is counted at
    once, as its reads expect.
    """
    if table_name not in _COUNTS or not ids or conn.dialect.name != "postgresql":
        return
    transaction = conn.get_transaction()
    if not getattr(conn.engine, AT_COMMIT, False) or conn.info.get(_IMMEDIATE) is transaction:
        return
    conn.execute(_register(table_name), {"spans": spans(ids)})
    conn.info[_WAITING] = transaction


def waiting(conn: Connection) -> bool:
    """Whether the open transaction registered rows that may not be counted yet."""
    transaction = conn.get_transaction()
    return transaction is not None and conn.info.get(_WAITING) is transaction


def count_waiting(conn: Connection) -> None:
    """Count the registered rows now; their events still waiting are skipped when they fire."""
    if waiting(conn):
        conn.exec_driver_sql(COUNT)  # one round trip: every count, no parameters


def counting_at_once(conn: Connection) -> None:
    """After the transaction's waiting triggers have fired: every later write is counted at once
    by its trigger, none is registered or skipped any more."""
    if conn.dialect.name != "postgresql":
        return
    if waiting(conn):
        conn.execute(_CLEAR)
        if conn.get_nested_transaction() is None:  # a savepoint's rollback would register them again
            conn.info.pop(_WAITING, None)
    conn.info[_IMMEDIATE] = conn.get_transaction()
