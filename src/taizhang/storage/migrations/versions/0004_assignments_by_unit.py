"""Index assignments by unit then task, in place of the unit-only index it extends.

``GET /api/tasks?unit=X`` counts X's distinct tasks and walks tasks in page order probing
"is this one X's": with task ids in order under each unit both avoid a temporary b-tree.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 11:40:11.271397
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_unit_id"))
        batch_op.create_index("ix_assignments_unit_task", ["unit_id", "task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index("ix_assignments_unit_task")
        batch_op.create_index(batch_op.f("ix_assignments_unit_id"), ["unit_id"], unique=False)
