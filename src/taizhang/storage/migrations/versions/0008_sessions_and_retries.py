"""Sessions that end, reports stored once: ``users.session_version`` and ``reports.idempotency_key``.

A session cookie carries the version it was signed with; logout, a new password or disabling the
account raises it, so copies of older cookies no longer open anything. A report POST may carry an
idempotency key, unique per user, so a client retrying after a timeout does not store it twice.

Revision ID: 0008_sessions
Revises: 0007_jobs
Create Date: 2026-12-02 23:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_sessions"
down_revision = "0007_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default="0", nullable=False))
    # a unique index, not a constraint: on SQLite a constraint rebuilds the table, and dropping
    # the old reports table would cascade into attachments
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
        batch_op.create_index("uq_reports_user_idempotency_key", ["user_id", "idempotency_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("uq_reports_user_idempotency_key")
        batch_op.drop_column("idempotency_key")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
