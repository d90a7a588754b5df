"""A listing by due day reads its page from one index in order: (due_on, id) replaces the index on
due_on alone, whose ties PostgreSQL had to sort by id (every task due on the page's first day,
a group that grows with the ledger). SQLite's index held the row id already; the new one is the
same there, under the name the plans are checked by.

Revision ID: 0024_due_order
Revises: 0023_deployment_settings
"""

from __future__ import annotations

from alembic import op

revision = "0024_due_order"
down_revision = "0023_deployment_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index("ix_tasks_due_id", ["due_on", "id"], unique=False)
        batch_op.drop_index("ix_tasks_due_on")


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index("ix_tasks_due_on", ["due_on"], unique=False)
        batch_op.drop_index("ix_tasks_due_id")
