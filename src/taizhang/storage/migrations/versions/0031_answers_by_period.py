"""The answered periods (``tally_answers``) by period, then task: the dashboard's list of tasks
owing a report probes each task's answer for one period, and PostgreSQL, seeing few rows for
that period, merged the tasks with every row of the table (400,000 at a million tasks) to find
none; by this index it reads the period's rows alone.

Revision ID: 0031_answers_by_period
Revises: 0030_answered_periods
"""

from __future__ import annotations

from alembic import op

revision = "0031_answers_by_period"
down_revision = "0030_answered_periods"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tally_answers_period_task", "tally_answers", ["period", "task_id"])


def downgrade() -> None:
    op.drop_index("ix_tally_answers_period_task", table_name="tally_answers")
