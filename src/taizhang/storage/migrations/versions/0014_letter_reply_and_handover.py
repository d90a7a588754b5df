"""The working days a 督办函 gives for a reply (per letter), and the day each part was handed over (交办).

Existing letters keep the five working days they printed; existing parts take their task's day of
creation as their day of 交办.

Revision ID: 0014_letter_reply_and_handover
Revises: 0013_listing_indexes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_letter_reply_and_handover"
down_revision = "0013_listing_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("parts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assigned_on", sa.Date(), nullable=True))
    op.execute("UPDATE escalations SET reply_days = 5 WHERE step = '督办函'")
    day = (
        "date(tasks.created_at)"
        if op.get_bind().dialect.name == "sqlite"
        else "CAST(tasks.created_at AS DATE)"
    )
    op.execute(f"UPDATE parts SET assigned_on = (SELECT {day} FROM tasks WHERE tasks.id = parts.task_id)")


def downgrade() -> None:
    with op.batch_alter_table("parts", schema=None) as batch_op:
        batch_op.drop_column("assigned_on")
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.drop_column("reply_days")
