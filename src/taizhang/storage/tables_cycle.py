"""Tables of the supervision cycle beyond progress reports: escalation of a unit's part of a task
(催办 → 督办函 → 约谈) and leaders' instructions (批示) on tasks. Same metadata as ``tables.py``.
"""

from __future__ import annotations

import sqlalchemy as sa

from .tables import metadata


def _now() -> sa.ColumnElement:
    return sa.func.current_timestamp()


# One step of escalation on one unit's part of a task. A 督办函 has a number, serial within its
# year (督办〔2023〕3号); a 约谈 records who was talked to, when and the outcome.
escalations = sa.Table(
    "escalations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("task_id", sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("step", sa.String(10), nullable=False),  # 催办 / 督办函 / 约谈
    sa.Column("dated", sa.Date, nullable=False),
    sa.Column("message", sa.Text, nullable=False, default=""),
    sa.Column("year", sa.Integer),  # 督办函: year and serial of its number
    sa.Column("serial", sa.Integer),
    sa.Column("letter_number", sa.String(50)),
    sa.Column("reply_days", sa.Integer),  # 督办函: working days the unit has to reply
    sa.Column("talk_with", sa.String(200)),  # 约谈: who
    sa.Column("outcome", sa.Text),
    sa.Column("user_id", sa.ForeignKey("users.id"), nullable=True),
    sa.Column("at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
    sa.UniqueConstraint("year", "serial", name="uq_escalations_letter"),
    sa.Index("ix_escalations_task_unit", "task_id", "unit_id"),
    sa.Index("ix_escalations_unit", "unit_id"),
)

# 领导批示 on a task: the leader's words and day; a follow-up task it created, if any.
instructions = sa.Table(
    "instructions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("task_id", sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("leader", sa.String(100), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("given_on", sa.Date, nullable=False),
    sa.Column("follow_up_task_id", sa.ForeignKey("tasks.id", ondelete="SET NULL"), nullable=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), nullable=True),
    sa.Column("at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
)
