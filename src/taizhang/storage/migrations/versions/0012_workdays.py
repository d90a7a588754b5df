"""The working-day calendar as a table: one row per day from 2000 to 2100, with its ordinal.

SQL that needs "the N-th working day after X" (the dashboard's yellow window, due soon) looks it
up by ordinal instead of walking the calendar day by day, so any ``as_of`` costs the same.

Revision ID: 0012_workdays
Revises: 0011_parts
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

from taizhang.workdays import calendar_rows

revision = "0012_workdays"
down_revision = "0011_parts"
branch_labels = None
depends_on = None

FIRST, LAST = date(2000, 1, 1), date(2100, 12, 31)
BATCH = 5000


def upgrade() -> None:
    table = op.create_table(
        "workdays",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_workday", sa.Boolean(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_workdays")),
    )
    with op.batch_alter_table("workdays", schema=None) as batch_op:
        batch_op.create_index("ix_workdays_ordinal", ["ordinal", "day"], unique=False)
    rows = list(calendar_rows(FIRST, LAST))
    for start in range(0, len(rows), BATCH):
        op.bulk_insert(table, rows[start : start + BATCH])


def downgrade() -> None:
    with op.batch_alter_table("workdays", schema=None) as batch_op:
        batch_op.drop_index("ix_workdays_ordinal")
    op.drop_table("workdays")
