"""Deployment settings the office changes on the web (the issuer of letters and notices, 发文机关),
stored in the database so they override the configuration without a restart.

Revision ID: 0023_deployment_settings
Revises: 0022_assignment_order
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_deployment_settings"
down_revision = "0022_assignment_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deployment_settings",
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_deployment_settings")),
    )


def downgrade() -> None:
    op.drop_table("deployment_settings")
