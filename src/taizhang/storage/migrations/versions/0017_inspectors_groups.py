"""The inspector pool of a campaign (执法检查人员库: name, unit, county) that 双随机 draws from, and
accounts of an inspection group (督查组): a user may belong to one campaign group.

Revision ID: 0017_inspectors_groups
Revises: 0016_late_on
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_inspectors_groups"
down_revision = "0016_late_on"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign_inspectors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("county", sa.String(length=100), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_inspectors_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_inspectors")),
        sa.UniqueConstraint("campaign_id", "name", "unit", name="uq_campaign_inspectors_campaign_name_unit"),
    )
    with op.batch_alter_table("campaign_inspectors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_inspectors_campaign_id"), ["campaign_id"], unique=False)
    # a plain column: on SQLite a foreign key would rebuild users, which other tables reference;
    # the accounts service checks the group exists
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("campaign_group_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("campaign_group_id")
    with op.batch_alter_table("campaign_inspectors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_inspectors_campaign_id"))
    op.drop_table("campaign_inspectors")
