"""Indexes for listings that stay flat as the ledger grows.

``ix_tasks_due_status_kind`` answers the overdue and due-date filters (and their counts) from the
index alone. On PostgreSQL, trigram indexes (pg_trgm) serve the search box's ILIKE on titles and
bodies; where the extension cannot be created (no privilege) the upgrade goes on without them and
search reads the table as before. SQLite keeps its FTS5 index (0002).

Revision ID: 0013_listing_indexes
Revises: 0012_workdays
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0013_listing_indexes"
down_revision = "0012_workdays"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

TRIGRAM_INDEXES = {"ix_tasks_trgm_title": "title", "ix_tasks_trgm_body": "body"}


def _trigram_indexes() -> None:
    bind = op.get_bind()
    savepoint = bind.begin_nested()  # a refused extension must not end the upgrade's transaction
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        for name, column in TRIGRAM_INDEXES.items():
            bind.execute(
                sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON tasks USING gin ({column} gin_trgm_ops)")
            )
    except sa.exc.DBAPIError as exc:
        savepoint.rollback()
        log.warning("pg_trgm not available (%s): search on PostgreSQL reads the table", exc.orig)
    else:
        savepoint.commit()


def upgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index("ix_tasks_due_status_kind", ["due_on", "status", "deadline_kind"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _trigram_indexes()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_due_status_kind")
