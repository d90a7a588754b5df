"""The running counts of late rows (``tally_late``) by month, then document or unit: the dashboard
reads the running count of every document for the month before ``as_of`` as one range of this
index, where it looked each document's latest month up on its own (5,000 lookups at a million
tasks). The index fills itself from the rows there are.

Revision ID: 0033_late_by_month
Revises: 0032_totals_at_commit
"""

from __future__ import annotations

from alembic import op

revision = "0033_late_by_month"
down_revision = "0032_totals_at_commit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tally_late_month", "tally_late", ["scope", "late_month", "scope_id"])


def downgrade() -> None:
    op.drop_index("ix_tally_late_month", table_name="tally_late")
