"""Read state of 通知: ``notice_marks`` (全部标为已读 up to an action) and ``notice_reads`` (each
notice opened since).

Revision ID: 0021_notice_reads
Revises: 0020_task_attachments
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_notice_reads"
down_revision = "0020_task_attachments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notice_marks",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("read_through", sa.Integer(), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notice_marks_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notice_marks")),
    )
    op.create_table(
        "notice_reads",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name=op.f("fk_notice_reads_action_id_actions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notice_reads_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "action_id", name=op.f("pk_notice_reads")),
    )


def downgrade() -> None:
    op.drop_table("notice_reads")
    op.drop_table("notice_marks")
