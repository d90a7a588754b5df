"""Each assignment carries its task's place in the ledger (document, line), kept by triggers, so a
unit's page of tasks is a range of one index (unit, role, document, line, task) whatever the
ledger's size, instead of gathering every task of the unit or walking the ledger to find them.

Revision ID: 0022_assignment_order
Revises: 0021_notice_reads
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_assignment_order"
down_revision = "0021_notice_reads"
branch_labels = None
depends_on = None

_SQLITE = [
    """CREATE TRIGGER assignments_order_insert AFTER INSERT ON assignments BEGIN
        UPDATE assignments SET document_id = (SELECT document_id FROM tasks WHERE id = new.task_id),
            line = (SELECT line FROM tasks WHERE id = new.task_id) WHERE id = new.id;
    END""",
    """CREATE TRIGGER assignments_order_task AFTER UPDATE OF task_id ON assignments BEGIN
        UPDATE assignments SET document_id = (SELECT document_id FROM tasks WHERE id = new.task_id),
            line = (SELECT line FROM tasks WHERE id = new.task_id) WHERE id = new.id;
    END""",
    """CREATE TRIGGER tasks_order_update AFTER UPDATE OF document_id, line ON tasks BEGIN
        UPDATE assignments SET document_id = new.document_id, line = new.line WHERE task_id = new.id;
    END""",
]

_PG = [
    """CREATE FUNCTION assignments_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT document_id, line INTO NEW.document_id, NEW.line FROM tasks WHERE id = NEW.task_id;
    RETURN NEW;
END $$""",
    """CREATE TRIGGER assignments_order BEFORE INSERT OR UPDATE OF task_id ON assignments
        FOR EACH ROW EXECUTE FUNCTION assignments_order()""",
    """CREATE FUNCTION tasks_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE assignments SET document_id = NEW.document_id, line = NEW.line WHERE task_id = NEW.id;
    RETURN NULL;
END $$""",
    """CREATE TRIGGER tasks_order AFTER UPDATE OF document_id, line ON tasks FOR EACH ROW
        WHEN (OLD.document_id IS DISTINCT FROM NEW.document_id OR OLD.line IS DISTINCT FROM NEW.line)
        EXECUTE FUNCTION tasks_order()""",
]


def upgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("line", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE assignments SET document_id = (SELECT document_id FROM tasks WHERE tasks.id = assignments.task_id),"
        " line = (SELECT line FROM tasks WHERE tasks.id = assignments.task_id)"
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assignments_unit_role_order",
            ["unit_id", "role", "document_id", "line", "task_id"],
            unique=False,
        )
    for statement in _SQLITE if op.get_bind().dialect.name == "sqlite" else _PG:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("assignments_order_insert", "assignments_order_task", "tasks_order_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS assignments_order ON assignments")
        op.execute("DROP TRIGGER IF EXISTS tasks_order ON tasks")
        op.execute("DROP FUNCTION IF EXISTS assignments_order()")
        op.execute("DROP FUNCTION IF EXISTS tasks_order()")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index("ix_assignments_unit_role_order")
        batch_op.drop_column("line")
        batch_op.drop_column("document_id")
