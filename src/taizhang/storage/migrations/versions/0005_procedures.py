"""Procedures and people: decision catalogues and their steps, expert consultation, people with
their 分工, AB岗 and absences, routed requests, and the registry of normative documents.

Revision ID: 0005_procedures
Revises: 0004
Create Date: 2026-12-02 16:08:56.489613
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_procedures"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "experts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=50), nullable=False),
        sa.Column("affiliation", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("pool", sa.String(length=10), nullable=False),
        sa.Column("conflicts", sa.JSON(), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_experts_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experts")),
        sa.UniqueConstraint("name", "affiliation", name="uq_experts_name_affiliation"),
    )
    op.create_table(
        "consultation_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("doc_number", sa.String(length=100), nullable=True),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("article", sa.String(length=20), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_consultation_rules_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_rules")),
        sa.UniqueConstraint("document_id", "rule", name="uq_consultation_rules_document_rule"),
    )
    with op.batch_alter_table("consultation_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultation_rules_document_id"), ["document_id"], unique=False)

    op.create_table(
        "document_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("by_document_id", sa.Integer(), nullable=True),
        sa.Column("relation", sa.String(length=10), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_document_id"],
            ["documents.id"],
            name=op.f("fk_document_links_by_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_links_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_links")),
        sa.UniqueConstraint(
            "document_id", "by_document_id", "relation", name="uq_document_links_target_by_relation"
        ),
    )
    with op.batch_alter_table("document_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_links_by_document_id"), ["by_document_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_document_links_document_id"), ["document_id"], unique=False)

    op.create_table(
        "normative_documents",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_normative_documents_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_normative_documents")),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("designation", sa.String(length=50), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("backup_id", sa.Integer(), nullable=True),
        sa.Column("backup_line", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["backup_id"], ["people.id"], name=op.f("fk_people_backup_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_people_document_id_documents"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("name", name=op.f("uq_people_name")),
    )
    op.create_table(
        "absences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_absences_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absences")),
    )
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_absences_person_id"), ["person_id"], unique=False)

    op.create_table(
        "decision_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("catalogue", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=50), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("units_printed", sa.JSON(), nullable=False),
        sa.Column("deadline_text", sa.Text(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("procedures_source", sa.String(length=10), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_decision_items_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_decision_items_task_id_tasks"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_items")),
        sa.UniqueConstraint("key", name=op.f("uq_decision_items_key")),
    )
    with op.batch_alter_table("decision_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_items_document_id"), ["document_id"], unique=False)

    op.create_table(
        "person_duties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("verb", sa.String(length=50), nullable=False),
        sa.Column("area", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_person_duties_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_person_duties_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_duties")),
    )
    with op.batch_alter_table("person_duties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_duties_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_duties_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("form", sa.String(length=20), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("meeting_on", sa.Date(), nullable=False),
        sa.Column("opinion_due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("archived_on", sa.Date(), nullable=True),
        sa.Column("archive_number", sa.String(length=50), nullable=True),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decision_items.id"],
            name=op.f("fk_consultations_decision_id_decision_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
    )
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultations_decision_id"), ["decision_id"], unique=False)

    op.create_table(
        "decision_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("procedure", sa.String(length=20), nullable=False),
        sa.Column("article", sa.String(length=20), nullable=True),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decision_items.id"],
            name=op.f("fk_decision_steps_decision_id_decision_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_steps")),
        sa.UniqueConstraint("decision_id", "procedure", name="uq_decision_steps_decision_procedure"),
    )
    with op.batch_alter_table("decision_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_steps_decision_id"), ["decision_id"], unique=False)

    op.create_table(
        "decision_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("printed", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decision_items.id"],
            name=op.f("fk_decision_units_decision_id_decision_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_decision_units_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_units")),
        sa.UniqueConstraint("decision_id", "unit_id", name="uq_decision_units_decision_unit"),
    )
    with op.batch_alter_table("decision_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_units_decision_id"), ["decision_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_units_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "consultation_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=10), nullable=True),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("pledge_signed", sa.Boolean(), nullable=False),
        sa.Column("opinion", sa.Text(), nullable=True),
        sa.Column("signed", sa.Boolean(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("adoption", sa.String(length=10), nullable=True),
        sa.Column("adoption_reason", sa.Text(), nullable=True),
        sa.Column("feedback_on", sa.Date(), nullable=True),
        sa.Column("feedback_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_members_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["experts.id"], name=op.f("fk_consultation_members_expert_id_experts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_members")),
        sa.UniqueConstraint(
            "consultation_id", "expert_id", name="uq_consultation_members_consultation_expert"
        ),
    )
    with op.batch_alter_table("consultation_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_members_consultation_id"), ["consultation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_consultation_members_expert_id"), ["expert_id"], unique=False)

    op.create_table(
        "routed_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("via", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=True),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_routed_requests_consultation_id_consultations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["people.id"], name=op.f("fk_routed_requests_owner_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_routed_requests_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_routed_requests_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routed_requests")),
    )
    with op.batch_alter_table("routed_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_routed_requests_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("routed_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routed_requests_person_id"))

    op.drop_table("routed_requests")
    with op.batch_alter_table("consultation_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_members_expert_id"))
        batch_op.drop_index(batch_op.f("ix_consultation_members_consultation_id"))

    op.drop_table("consultation_members")
    with op.batch_alter_table("decision_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_units_unit_id"))
        batch_op.drop_index(batch_op.f("ix_decision_units_decision_id"))

    op.drop_table("decision_units")
    with op.batch_alter_table("decision_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_steps_decision_id"))

    op.drop_table("decision_steps")
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultations_decision_id"))

    op.drop_table("consultations")
    with op.batch_alter_table("person_duties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_duties_unit_id"))
        batch_op.drop_index(batch_op.f("ix_person_duties_person_id"))

    op.drop_table("person_duties")
    with op.batch_alter_table("decision_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_items_document_id"))

    op.drop_table("decision_items")
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_absences_person_id"))

    op.drop_table("absences")
    op.drop_table("people")
    op.drop_table("normative_documents")
    with op.batch_alter_table("document_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_links_document_id"))
        batch_op.drop_index(batch_op.f("ix_document_links_by_document_id"))

    op.drop_table("document_links")
    with op.batch_alter_table("consultation_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_rules_document_id"))

    op.drop_table("consultation_rules")
    op.drop_table("experts")
