"""汇总 (tallies): tasks per document and parts per unit by status and month of their late day, kept
by triggers, so the dashboard sums a few hundred rows instead of reading every task and part.

``late_month`` is year * 12 + month - 1 of ``late_on`` (0 when the row cannot be late). The
triggers run in the database, so every writer keeps the table right: the workflow, an import, a
bulk load, a statement typed into a database client. The upgrade fills the table from the rows
there are. The month of ``as_of`` itself is counted from the rows, by the new (late_on, document)
and (late_on, unit) indexes, which also serve the overdue listing in place of the late_on index;
the (document, status, late_on) and (unit, status, late_on) indexes the dashboard walked go. The
tasks owing a cycle's report are read from one index (recurrence, status, late_on, document).

A later migration that makes SQLite copy tasks or parts into a new table (batch mode) must make
these triggers again.

Revision ID: 0018_tallies
Revises: 0017_inspectors_groups
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_tallies"
down_revision = "0017_inspectors_groups"
branch_labels = None
depends_on = None

# (table, scope, the column naming the scope's row)
_SOURCES = (("tasks", "document", "document_id"), ("parts", "unit", "unit_id"))


def _month_sqlite(day: str) -> str:
    return f"coalesce(cast(strftime('%Y', {day}) as integer) * 12 + cast(strftime('%m', {day}) as integer) - 1, 0)"


def _month_pg(day: str) -> str:
    return f"coalesce((extract(year from {day}) * 12 + extract(month from {day}) - 1)::integer, 0)"


def _sqlite_triggers(table: str, scope: str, column: str) -> list[str]:
    month_new, month_old = _month_sqlite("new.late_on"), _month_sqlite("old.late_on")
    add = (
        f"INSERT INTO tallies (scope, scope_id, status, late_month, n) "
        f"VALUES ('{scope}', new.{column}, new.status, {month_new}, 1) "
        f"ON CONFLICT (scope, scope_id, status, late_month) DO UPDATE SET n = n + 1;"
    )
    key_old = (
        f"scope = '{scope}' AND scope_id = old.{column} AND status = old.status AND late_month = {month_old}"
    )
    remove = f"UPDATE tallies SET n = n - 1 WHERE {key_old}; DELETE FROM tallies WHERE {key_old} AND n <= 0;"
    changed = (
        f"old.{column} IS NOT new.{column} OR old.status IS NOT new.status OR old.late_on IS NOT new.late_on"
    )
    return [
        f"CREATE TRIGGER {table}_tally_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER {table}_tally_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {table}_tally_update AFTER UPDATE OF {column}, status, late_on ON {table} "
        f"WHEN {changed} BEGIN {remove} {add} END",
    ]


def _pg_triggers(table: str, scope: str, column: str) -> list[str]:
    month_new, month_old = _month_pg("NEW.late_on"), _month_pg("OLD.late_on")
    key_old = (
        f"scope = '{scope}' AND scope_id = OLD.{column} AND status = OLD.status AND late_month = {month_old}"
    )
    function = f"""CREATE FUNCTION {table}_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE tallies SET n = n - 1 WHERE {key_old};
        DELETE FROM tallies WHERE {key_old} AND n <= 0;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO tallies (scope, scope_id, status, late_month, n)
        VALUES ('{scope}', NEW.{column}, NEW.status, {month_new}, 1)
        ON CONFLICT (scope, scope_id, status, late_month) DO UPDATE SET n = tallies.n + 1;
    END IF;
    RETURN NULL;
END $$"""
    changed = (
        f"OLD.{column} IS DISTINCT FROM NEW.{column} OR OLD.status IS DISTINCT FROM NEW.status"
        f" OR OLD.late_on IS DISTINCT FROM NEW.late_on"
    )
    return [
        function,
        f"CREATE TRIGGER {table}_tally_insert_delete AFTER INSERT OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_tally()",
        f"CREATE TRIGGER {table}_tally_update AFTER UPDATE OF {column}, status, late_on ON {table} "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {table}_tally()",
    ]


def upgrade() -> None:
    op.create_table(
        "tallies",
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("scope_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("late_month", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "scope_id", "status", "late_month", name=op.f("pk_tallies")),
        sqlite_with_rowid=False,  # the rows are the key's index: counting reads nothing else
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_late_on")
        batch_op.drop_index("ix_tasks_document_status_late")
        batch_op.create_index("ix_tasks_late_document", ["late_on", "document_id"], unique=False)
        batch_op.drop_index("ix_tasks_recurrence")
        batch_op.create_index(
            "ix_tasks_recurrence_status_late",
            ["recurrence", "status", "late_on", "document_id"],
            unique=False,
        )
    with op.batch_alter_table("parts", schema=None) as batch_op:
        batch_op.drop_index("ix_parts_unit_status_late")
        batch_op.create_index("ix_parts_late_unit", ["late_on", "unit_id"], unique=False)
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, scope, column in _SOURCES:
        month = _month_sqlite("late_on") if sqlite else _month_pg("late_on")
        op.execute(
            f"INSERT INTO tallies (scope, scope_id, status, late_month, n) "
            f"SELECT '{scope}', {column}, status, {month}, count(*) FROM {table} "
            f"GROUP BY {column}, status, {month}"
        )
        for statement in (_sqlite_triggers if sqlite else _pg_triggers)(table, scope, column):
            op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, _scope, _column in _SOURCES:
        if sqlite:
            for suffix in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_tally_{suffix}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_tally_insert_delete ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_tally_update ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_tally()")
    with op.batch_alter_table("parts", schema=None) as batch_op:
        batch_op.drop_index("ix_parts_late_unit")
        batch_op.create_index("ix_parts_unit_status_late", ["unit_id", "status", "late_on"], unique=False)
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_late_document")
        batch_op.create_index("ix_tasks_late_on", ["late_on"], unique=False)
        batch_op.drop_index("ix_tasks_recurrence_status_late")
        batch_op.create_index("ix_tasks_recurrence", ["recurrence"], unique=False)
        batch_op.create_index(
            "ix_tasks_document_status_late", ["document_id", "status", "late_on"], unique=False
        )
    op.drop_table("tallies")
