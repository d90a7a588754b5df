"""Attachments of a task itself (立项附件): ``attachments.task_id``, and ``report_id`` optional.

A task the office creates by hand carries the instruction, minutes or letter it came from; the
files are stored as report attachments are (content-addressed, the same limits and download rules).

Revision ID: 0020_task_attachments
Revises: 0019_owing_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_task_attachments"
down_revision = "0019_owing_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.alter_column("report_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("task_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_attachments_task_id"), ["task_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_attachments_task_id_tasks"), "tasks", ["task_id"], ["id"], ondelete="CASCADE"
        )


def downgrade() -> None:
    op.execute("delete from attachments where report_id is null")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_attachments_task_id_tasks"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_attachments_task_id"))
        batch_op.drop_column("task_id")
        batch_op.alter_column("report_id", existing_type=sa.Integer(), nullable=False)
