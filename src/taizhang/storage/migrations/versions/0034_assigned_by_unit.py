"""How many tasks each unit holds, in each role and in any (``tally_assigned``), kept by triggers on
``assignments``, so a unit's listing knows its count without reading the unit's index entries: the
count stopped at 5,001 entries, which a large unit read on every page, more of them out of cache
the larger the ledger.

An assignment is unique per (task, unit, role), so a (unit, role) row's ``n`` is its number of
assignments. A unit may hold a task in several roles, so its tasks in any role (role ``*``) are
counted through ``tally_unit_tasks``, the number of roles of each (unit, task) pair: the unit's
row moves when a pair comes or goes. Each trigger step writes one row by key and reads back what
it wrote, never the assignments. On PostgreSQL they are deferred constraint triggers, counted at
the commit like the running totals of ``0032_totals_at_commit``, so writers assigning tasks to one
unit do not queue on its row for their whole transaction, and a pair's row, locked by its upsert,
orders two writers of one pair. The upgrade fills both tables from the assignments there are. A
later migration that makes SQLite copy ``assignments`` into a new table (batch mode) must make
these triggers again.

Revision ID: 0034_assigned_by_unit
Revises: 0033_late_by_month
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0034_assigned_by_unit"
down_revision = "0033_late_by_month"
branch_labels = None
depends_on = None

_NAME = "assignments_assigned"
_COLUMNS = ("task_id", "unit_id", "role")
ANY = "*"  # the role of a unit's row counting its tasks in any role, each once


def _change(row: str, sign: int) -> list[str]:
    """Statements counting one assignment (``row`` is ``new`` or ``old``) in (+1) or out (-1).

    Its (unit, role) row moves by one. Its (unit, task) pair's row counts the unit's roles in the
    task; the unit's ``ANY`` row moves only when the pair's count goes from 0 to 1 or 1 to 0. Each
    step is an upsert or an update of one row, then a read of the row the step wrote."""
    unit, task = f"{row}.unit_id", f"{row}.task_id"
    pair = f"(SELECT n FROM tally_unit_tasks WHERE unit_id = {unit} AND task_id = {task})"

    def count(role: str, when: str = "true") -> str:
        return (
            f"INSERT INTO tally_assigned (unit_id, role, n) SELECT {unit}, {role}, {sign} WHERE {when} "
            f"ON CONFLICT (unit_id, role) DO UPDATE SET n = tally_assigned.n + excluded.n"
        )

    if sign > 0:
        return [
            count(f"{row}.role"),
            f"INSERT INTO tally_unit_tasks (unit_id, task_id, n) SELECT {unit}, {task}, 1 WHERE true "
            f"ON CONFLICT (unit_id, task_id) DO UPDATE SET n = tally_unit_tasks.n + 1",
            count(f"'{ANY}'", f"{pair} = 1"),
        ]
    return [
        count(f"{row}.role"),
        f"DELETE FROM tally_assigned WHERE unit_id = {unit} AND role = {row}.role AND n <= 0",
        f"UPDATE tally_unit_tasks SET n = n - 1 WHERE unit_id = {unit} AND task_id = {task}",
        count(f"'{ANY}'", f"{pair} = 0"),
        f"DELETE FROM tally_unit_tasks WHERE unit_id = {unit} AND task_id = {task} AND n <= 0",
        f"DELETE FROM tally_assigned WHERE unit_id = {unit} AND role = '{ANY}' AND n <= 0",
    ]


def _sqlite_triggers() -> list[str]:
    add, remove = _change("new", 1), _change("old", -1)
    body = lambda statements: " ".join(f"{s};" for s in statements)  # noqa: E731
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _COLUMNS)
    return [
        f"CREATE TRIGGER {_NAME}_insert AFTER INSERT ON assignments BEGIN {body(add)} END",
        f"CREATE TRIGGER {_NAME}_delete AFTER DELETE ON assignments BEGIN {body(remove)} END",
        f"CREATE TRIGGER {_NAME}_update AFTER UPDATE OF {', '.join(_COLUMNS)} ON assignments "
        f"WHEN {changed} BEGIN {body(remove + add)} END",
    ]


def _pg_triggers() -> list[str]:
    removing = "\n        ".join(f"{s};" for s in _change("OLD", -1))
    adding = "\n        ".join(f"{s};" for s in _change("NEW", 1))
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _COLUMNS)
    return [
        f"""CREATE FUNCTION {_NAME}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        {removing}
    END IF;
    IF TG_OP <> 'DELETE' THEN
        {adding}
    END IF;
    RETURN NULL;
END $$""",
        f"CREATE CONSTRAINT TRIGGER {_NAME}_insert_delete AFTER INSERT OR DELETE ON assignments "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {_NAME}()",
        f"CREATE CONSTRAINT TRIGGER {_NAME}_update AFTER UPDATE OF {', '.join(_COLUMNS)} ON assignments "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {_NAME}()",
    ]


# the rows there are, counted: each unit's roles, its (unit, task) pairs, its tasks in any role
FILL = (
    "INSERT INTO tally_assigned (unit_id, role, n) "
    "SELECT unit_id, role, count(*) FROM assignments GROUP BY unit_id, role",
    "INSERT INTO tally_unit_tasks (unit_id, task_id, n) "
    "SELECT unit_id, task_id, count(*) FROM assignments GROUP BY unit_id, task_id",
    f"INSERT INTO tally_assigned (unit_id, role, n) "
    f"SELECT unit_id, '{ANY}', count(*) FROM tally_unit_tasks GROUP BY unit_id",
)


def upgrade() -> None:
    op.create_table(
        "tally_assigned",
        sa.Column("unit_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("unit_id", "role", name=op.f("pk_tally_assigned")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "tally_unit_tasks",
        sa.Column("unit_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("task_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("unit_id", "task_id", name=op.f("pk_tally_unit_tasks")),
        sqlite_with_rowid=False,
    )
    for statement in FILL:
        op.execute(statement)
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _sqlite_triggers() if sqlite else _pg_triggers():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for suffix in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {_NAME}_{suffix}")
    else:
        for suffix in ("insert_delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {_NAME}_{suffix} ON assignments")
        op.execute(f"DROP FUNCTION IF EXISTS {_NAME}()")
    op.drop_table("tally_unit_tasks")
    op.drop_table("tally_assigned")
