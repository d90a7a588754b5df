"""Parts: one row per task and unit that answers for it, with its own state; actions name a unit.

The upgrade gives every existing task its parts (lead and responsible units, a group's members
one by one) and attaches what the ledger already holds: a closed task (已完成, 长期坚持) closes
every part; otherwise a part is 推进中 at its unit's last reported percent once the unit has
reported, 待审核 when its completion request still waits, and a task with a single part keeps
its status and percent as they were. The task's status and percent are then derived from its
parts by ``ledger.parts.task_state``. Reports and actions are untouched.

Revision ID: 0011_parts
Revises: 0010_campaign_clocks
Create Date: 2026-12-02 23:50:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from taizhang.ledger.parts import PartState, TaskState, expected_parts, task_state

revision = "0011_parts"
down_revision = "0010_campaign_clocks"
branch_labels = None
depends_on = None

CLOSED = ("已完成", "长期坚持")


def upgrade() -> None:
    op.create_table(
        "parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=100), nullable=True),
        sa.Column("done_at", sa.Date(), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_parts_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_parts_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parts")),
        sa.UniqueConstraint("task_id", "unit_id", name="uq_parts_task_unit"),
    )
    with op.batch_alter_table("parts", schema=None) as batch_op:
        batch_op.create_index("ix_parts_unit_task", ["unit_id", "task_id"], unique=False)
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_actions_unit_id_units"), "units", ["unit_id"], ["id"])
    _backfill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_actions_unit_id_units"), type_="foreignkey")
        batch_op.drop_column("unit_id")
    with op.batch_alter_table("parts", schema=None) as batch_op:
        batch_op.drop_index("ix_parts_unit_task")
    op.drop_table("parts")


def _backfill(conn: sa.Connection) -> None:
    members: dict[int, list[int]] = {}
    for group_id, member_id in conn.execute(sa.text("select group_id, member_id from unit_members")):
        members.setdefault(int(group_id), []).append(int(member_id))
    assigned: dict[int, list[tuple[int, str]]] = {}
    rows = conn.execute(
        sa.text("select task_id, unit_id, role from assignments order by task_id, position, id")
    )
    for task_id, unit_id, role in rows:
        assigned.setdefault(int(task_id), []).append((int(unit_id), str(role)))
    last_percent: dict[tuple[int, int], int] = {}
    rows = conn.execute(
        sa.text("select task_id, unit_id, percent from reports where kind = 'progress' order by id")
    )
    for task_id, unit_id, percent in rows:
        last_percent[(int(task_id), int(unit_id))] = int(percent)
    waiting = {
        (int(t), int(u))
        for t, u in conn.execute(
            sa.text("select task_id, unit_id from reports where kind = 'completion' and decision is null")
        )
    }
    tasks = conn.execute(sa.text("select id, status, percent from tasks order by id")).all()
    for task_id, status, percent in tasks:
        wanted = expected_parts(assigned.get(int(task_id), []), members)
        states = [
            PartState(
                unit_id,
                role,
                *_part(int(task_id), unit_id, str(status), int(percent), len(wanted), last_percent, waiting),
            )
            for unit_id, role in wanted.items()
        ]
        for state in states:
            conn.execute(
                sa.text(
                    "insert into parts (task_id, unit_id, role, status, percent) values (:t, :u, :r, :s, :p)"
                ),
                {"t": task_id, "u": state.unit_id, "r": state.role, "s": state.status, "p": state.percent},
            )
        derived = task_state(states, TaskState(str(status), int(percent)))
        if (derived.status, derived.percent) != (status, percent):
            conn.execute(
                sa.text("update tasks set status = :s, percent = :p where id = :t"),
                {"s": derived.status, "p": derived.percent, "t": task_id},
            )


def _part(
    task_id: int,
    unit_id: int,
    status: str,
    percent: int,
    count: int,
    last_percent: dict[tuple[int, int], int],
    waiting: set[tuple[int, int]],
) -> tuple[Any, Any]:
    """(status, percent) of one backfilled part."""
    if status in CLOSED or count == 1:
        return status, percent
    key = (task_id, unit_id)
    if status == "待审核" and key in waiting:
        return "待审核", last_percent.get(key, percent)
    if key in last_percent or key in waiting:
        return "推进中", last_percent.get(key, 0)
    return "未开始", 0
