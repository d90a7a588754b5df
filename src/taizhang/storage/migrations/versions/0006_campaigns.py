"""Inspection campaigns: milestones, groups, check items, objects, findings (整改销号), draws, credit records.

Revision ID: 0006_campaigns
Revises: 0005_procedures
Create Date: 2026-12-02 23:40:18.988303
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_campaigns"
down_revision = "0005_procedures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("object_kinds", sa.JSON(), nullable=False),
        sa.Column("counties", sa.JSON(), nullable=False),
        sa.Column("declared_groups", sa.Integer(), nullable=True),
        sa.Column("group_lead_unit", sa.String(length=200), nullable=True),
        sa.Column("forms", sa.JSON(), nullable=False),
        sa.Column("line_start", sa.Integer(), nullable=True),
        sa.Column("line_end", sa.Integer(), nullable=True),
        sa.Column("review_notes", sa.JSON(), nullable=False),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_campaigns_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
        sa.UniqueConstraint("key", name=op.f("uq_campaigns_key")),
    )
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaigns_document_id"), ["document_id"], unique=False)

    op.create_table(
        "campaign_check_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=30), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("parent", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_check_items_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_check_items")),
    )
    with op.batch_alter_table("campaign_check_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_check_items_campaign_id"), ["campaign_id"], unique=False
        )

    op.create_table(
        "campaign_draws",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("seed", sa.String(length=100), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column(
            "drawn_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_draws_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_draws")),
    )
    with op.batch_alter_table("campaign_draws", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_draws_campaign_id"), ["campaign_id"], unique=False)

    op.create_table(
        "campaign_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("counties", sa.JSON(), nullable=False),
        sa.Column("leader", sa.String(length=50), nullable=True),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_groups_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_groups")),
    )
    with op.batch_alter_table("campaign_groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_groups_campaign_id"), ["campaign_id"], unique=False)

    op.create_table(
        "campaign_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("when_text", sa.String(length=50), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_milestones_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_milestones")),
    )
    with op.batch_alter_table("campaign_milestones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_milestones_campaign_id"), ["campaign_id"], unique=False)

    op.create_table(
        "campaign_objects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("county", sa.String(length=100), nullable=False),
        sa.Column("county_unit_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("industry_unit", sa.String(length=200), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_objects_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["county_unit_id"], ["units.id"], name=op.f("fk_campaign_objects_county_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_objects")),
        sa.UniqueConstraint("campaign_id", "name", "county", name="uq_campaign_objects_campaign_name_county"),
    )
    with op.batch_alter_table("campaign_objects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_objects_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_campaign_objects_county_unit_id"), ["county_unit_id"], unique=False
        )

    op.create_table(
        "campaign_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("check_item_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=50), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("supervised", sa.Boolean(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_findings_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["check_item_id"],
            ["campaign_check_items.id"],
            name=op.f("fk_campaign_findings_check_item_id_campaign_check_items"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["campaign_groups.id"],
            name=op.f("fk_campaign_findings_group_id_campaign_groups"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["campaign_objects.id"],
            name=op.f("fk_campaign_findings_object_id_campaign_objects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_campaign_findings_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_findings")),
    )
    with op.batch_alter_table("campaign_findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_findings_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_campaign_findings_object_id"), ["object_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_campaign_findings_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "credit_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("repaired_on", sa.Date(), nullable=True),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["campaign_findings.id"],
            name=op.f("fk_credit_records_finding_id_campaign_findings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["campaign_objects.id"],
            name=op.f("fk_credit_records_object_id_campaign_objects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_records")),
    )
    with op.batch_alter_table("credit_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credit_records_object_id"), ["object_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("credit_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_records_object_id"))

    op.drop_table("credit_records")
    with op.batch_alter_table("campaign_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_findings_unit_id"))
        batch_op.drop_index(batch_op.f("ix_campaign_findings_object_id"))
        batch_op.drop_index(batch_op.f("ix_campaign_findings_campaign_id"))

    op.drop_table("campaign_findings")
    with op.batch_alter_table("campaign_objects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_objects_county_unit_id"))
        batch_op.drop_index(batch_op.f("ix_campaign_objects_campaign_id"))

    op.drop_table("campaign_objects")
    with op.batch_alter_table("campaign_milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_milestones_campaign_id"))

    op.drop_table("campaign_milestones")
    with op.batch_alter_table("campaign_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_groups_campaign_id"))

    op.drop_table("campaign_groups")
    with op.batch_alter_table("campaign_draws", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_draws_campaign_id"))

    op.drop_table("campaign_draws")
    with op.batch_alter_table("campaign_check_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_check_items_campaign_id"))

    op.drop_table("campaign_check_items")
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaigns_document_id"))

    op.drop_table("campaigns")
