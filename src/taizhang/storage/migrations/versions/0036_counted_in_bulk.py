"""On PostgreSQL the counting triggers skip the rows their transaction counts in bulk.

A transaction that writes many assignments, tasks or parts at once (an import) registers their
ids in its setting ``taizhang.counted_in_bulk_<table>`` before writing them and counts them with
one statement per tally (``services.bulk_counts``). The triggers leave what that statement
counts to it, or a row would be counted twice: every event of a registered assignment
(``0034_assigned_by_unit``), and a registered task's or part's share of the totals per document
and unit and of the statuses (``0027_running_totals``); the months a row is late in and the
reports it owes stay the trigger's. Where the setting is unset or empty, as in every other
transaction, the triggers count as before. SQLite's triggers stay as they are (its import counts
row by row, in process, where a row's earlier versions cost nothing).

Revision ID: 0036_counted_in_bulk
Revises: 0035_counts_skip_unset
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0036_counted_in_bulk"
down_revision = "0035_counts_skip_unset"
branch_labels = None
depends_on = None

# a trigger function → the table whose rows it counts
_FUNCTIONS = {"assignments_assigned": "assignments", "tasks_running": "tasks", "parts_running": "parts"}
_SKIPPED_TALLIES = ("tally_totals", "tally_statuses")  # in tasks_running and parts_running
_TARGET = re.compile(r"(?:INSERT INTO|UPDATE|DELETE FROM) (\w+)")
_ROW = re.compile(r"\b(old|new)\.", re.IGNORECASE)
_GUARDED = re.compile(r"IF NOT \((.*?)\) THEN (.*) END IF;")
_BEGIN = "BEGIN\n"


def registered(table: str, row_id: str) -> str:
    """Whether the row of ``row_id`` is one its transaction registered for a bulk count."""
    return (
        f"CAST({row_id} AS bigint) <@ CAST(coalesce(nullif(current_setting('taizhang.counted_in_bulk_{table}', "
        f"true), ''), '{{}}') AS int8multirange)"
    )


def _skip_all(table: str) -> str:
    row_id = "CASE TG_OP WHEN 'DELETE' THEN OLD.id ELSE NEW.id END"
    return f"    IF {registered(table, row_id)} THEN\n        RETURN NULL;  -- counted in bulk by its transaction\n    END IF;\n"


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def guard(table: str, line: str) -> str:
    """A line of a trigger body with its statement skipped for registered rows when it writes a
    tally the bulk count writes."""
    statement = line.strip()
    target = _TARGET.match(statement)
    if target is None or target.group(1) not in _SKIPPED_TALLIES:
        return line
    rows = {r.lower() for r in _ROW.findall(statement)}
    if len(rows) != 1:  # every such statement reads one row, the old or the new
        raise RuntimeError(f"汇总触发器的语句应只读一行（old 或 new），此句读 {sorted(rows)}：{statement}")
    row_id = f"{rows.pop()}.id"
    return f"{_indent(line)}IF NOT ({registered(table, row_id)}) THEN {statement} END IF;"


def unguard(line: str) -> str:
    """The line as it was before :func:`guard`."""
    found = _GUARDED.fullmatch(line.strip())
    return f"{_indent(line)}{found.group(2)}" if found and "counted_in_bulk_" in found.group(1) else line


def _remake(change: Callable[[str, str], str]) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for name, table in _FUNCTIONS.items():
        body = bind.execute(
            sa.text("SELECT prosrc FROM pg_proc WHERE oid = to_regproc(:name)"), {"name": name}
        ).scalar_one()
        remade = change(table, body)
        if remade == body:
            raise RuntimeError(f"触发器函数 {name} 的内容与预期不符，未能修改")
        op.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body${remade}$body$"
        )


def _upgraded(table: str, body: str) -> str:
    if table == "assignments":  # everything it writes is counted in bulk
        return body.replace(_BEGIN, _BEGIN + _skip_all(table), 1)
    return "\n".join(guard(table, line) for line in body.split("\n"))


def _downgraded(table: str, body: str) -> str:
    if table == "assignments":
        return body.replace(_BEGIN + _skip_all(table), _BEGIN, 1)
    return "\n".join(unguard(line) for line in body.split("\n"))


def upgrade() -> None:
    _remake(_upgraded)


def downgrade() -> None:
    _remake(_downgraded)
