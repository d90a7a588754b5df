"""Background jobs and the daily reminder claims, on the ledger's metadata.

A job row is what the pages show (its progress and result), whichever process runs it: the web
request itself when no queue is configured, or a ``taizhang worker`` taking it from Redis.
``reminder_claims`` holds one row per unit and day: the row is inserted before a digest is sent,
so however many workers run the daily reminders, a unit is told once a day.
"""

from __future__ import annotations

import sqlalchemy as sa

from .tables import metadata

jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(30), nullable=False),  # import, reminders, export_xlsx
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("status", sa.String(20), nullable=False, index=True),  # queued, running, done, failed
    sa.Column("params", sa.JSON, nullable=False, default=dict),
    sa.Column("stage", sa.String(50), nullable=True),
    sa.Column("done", sa.Integer, nullable=False, default=0),
    sa.Column("total", sa.Integer, nullable=False, default=0),
    sa.Column("result", sa.JSON, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("created_by", sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.func.current_timestamp(), nullable=False
    ),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
)

reminder_claims = sa.Table(
    "reminder_claims",
    metadata,
    sa.Column("unit_id", sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("claimed_by", sa.String(100), nullable=False),
    sa.Column(
        "claimed_at", sa.DateTime(timezone=True), server_default=sa.func.current_timestamp(), nullable=False
    ),
)
