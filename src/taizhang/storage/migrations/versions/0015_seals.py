"""The change log's signed head and the seals of ledger rows (tasks, parts, reports).

A ledger upgraded from an earlier version has neither: ``taizhang audit seal`` signs its head and
seals its rows once, after which ``taizhang audit verify`` checks them.

Revision ID: 0015_seals
Revises: 0014_letter_reply_and_handover
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_seals"
down_revision = "0014_letter_reply_and_handover"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_log_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log_head")),
    )
    op.create_table(
        "row_seals",
        sa.Column("table_name", sa.String(length=50), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("seal", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_row_seals")),
    )


def downgrade() -> None:
    op.drop_table("row_seals")
    op.drop_table("change_log_head")
