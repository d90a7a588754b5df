"""Working-day clocks of a campaign (备案 within 10 working days of taking in, 现场检查 within 20 of 备案).

Revision ID: 0010_campaign_clocks
Revises: 0009_cycle
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_campaign_clocks"
down_revision = "0009_cycle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("clocks", sa.JSON(), server_default="[]", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("clocks")
