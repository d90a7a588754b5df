"""The dashboard lists the first tasks owing a report by walking each cycle's tasks in due-day
order (recurrence, due_on, id) and stopping after one page, instead of sorting every task owing.
The status, late day and document follow, so the count of tasks owing reads this index alone as
well (SQLite, choosing between the two indexes on recurrence without statistics, took this one).

Revision ID: 0025_owing_by_due
Revises: 0024_due_order
"""

from __future__ import annotations

from alembic import op

revision = "0025_owing_by_due"
down_revision = "0024_due_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tasks_recurrence_due",
            ["recurrence", "due_on", "id", "status", "late_on", "document_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_recurrence_due")
