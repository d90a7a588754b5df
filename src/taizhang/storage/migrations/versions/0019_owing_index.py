"""The tasks owing a cycle's report are counted from one index on PostgreSQL too: the index on
(recurrence, status, late_on, document_id) gains the task id, which the "no report for this period"
test reads, so PostgreSQL scans the index alone instead of fetching every recurring task's row
(SQLite's indexes carry the row id already).

Revision ID: 0019_owing_index
Revises: 0018_tallies
"""

from __future__ import annotations

from alembic import op

revision = "0019_owing_index"
down_revision = "0018_tallies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_recurrence_status_late")
        batch_op.create_index(
            "ix_tasks_recurrence_owing",
            ["recurrence", "status", "late_on", "document_id", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_recurrence_owing")
        batch_op.create_index(
            "ix_tasks_recurrence_status_late",
            ["recurrence", "status", "late_on", "document_id"],
            unique=False,
        )
