"""On PostgreSQL the running totals' triggers skip the statements a row cannot move.

A task or part with no late day counts in no month (``tally_late``, ``tally_late_days``); a task
with no reporting cycle owes no report (``tally_owing``, ``tally_answered``). The triggers of 0027,
0029 and 0030 ran those statements anyway, each finding nothing to change: the tasks and parts of
an import (no late day yet, most with no cycle) ran at commit more than twice the statements they
needed. Each such statement is now behind an ``IF`` on the column it depends on; the counts are the
same, statement for statement. SQLite's triggers stay as they are (a trigger there has one ``WHEN``
for all its statements, and SQLite runs no procedural language to skip one of them).

Revision ID: 0035_counts_skip_unset
Revises: 0034_assigned_by_unit
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0035_counts_skip_unset"
down_revision = "0034_assigned_by_unit"
branch_labels = None
depends_on = None

# the trigger functions whose bodies write the tallies below
_FUNCTIONS = ("tasks_running", "parts_running", "parts_days", "tasks_answers")
# a tally a statement writes → the column of the row without which that statement changes nothing
_NEEDS = {
    "tally_late": "late_on",
    "tally_late_days": "late_on",
    "tally_owing": "recurrence",
    "tally_answered": "recurrence",
}
_TARGET = re.compile(r"(?:INSERT INTO|UPDATE|DELETE FROM) (\w+)")
_ROW = re.compile(r"\b(old|new)\.")
_GUARDED = re.compile(r"IF (?:old|new)\.\w+ IS NOT NULL THEN (.*) END IF;")


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def guard(line: str) -> str:
    """A line of a trigger body with its statement behind an ``IF`` when it writes one of the tallies."""
    statement = line.strip()
    target = _TARGET.match(statement)
    column = _NEEDS.get(target.group(1)) if target else None
    if column is None:
        return line
    rows = set(_ROW.findall(statement))
    if len(rows) != 1:  # every statement of these bodies reads one row, the old or the new
        raise RuntimeError(f"汇总触发器的语句应只读一行（old 或 new），此句读 {sorted(rows)}：{statement}")
    return f"{_indent(line)}IF {rows.pop()}.{column} IS NOT NULL THEN {statement} END IF;"


def unguard(line: str) -> str:
    """The line as it was before :func:`guard`."""
    found = _GUARDED.fullmatch(line.strip())
    return f"{_indent(line)}{found.group(1)}" if found else line


def _remake(change: Callable[[str], str]) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for name in _FUNCTIONS:
        body = bind.execute(
            sa.text("SELECT prosrc FROM pg_proc WHERE oid = to_regproc(:name)"), {"name": name}
        ).scalar_one()
        remade = "\n".join(change(line) for line in body.split("\n"))
        op.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body${remade}$body$"
        )


def upgrade() -> None:
    _remake(guard)


def downgrade() -> None:
    _remake(unguard)
