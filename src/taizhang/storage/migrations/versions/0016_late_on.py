"""The day each task and each part turns late (``late_on``), stored so "late on D" is an index range.

The dashboard counts red as ``late_on <= as_of``, per document and per unit, from indexes alone.
The upgrade fills ``late_on`` for every existing task and part by the rule of
``ledger.standing`` (``late_from``, ``part_late_from``); the workflow keeps it from then on.
Rows already sealed (封存) are sealed again as they now stand: the new column is part of what a
seal covers, and the application, not a client, wrote it.

Revision ID: 0016_late_on
Revises: 0015_seals
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from taizhang.ledger.standing import late_from, part_late_from
from taizhang.settings import load_settings

revision = "0016_late_on"
down_revision = "0015_seals"
branch_labels = None
depends_on = None

BATCH = 10_000


def upgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("late_on", sa.Date(), nullable=True))
        batch_op.create_index("ix_tasks_late_on", ["late_on"], unique=False)
        batch_op.create_index(
            "ix_tasks_document_status_late", ["document_id", "status", "late_on"], unique=False
        )
        batch_op.create_index("ix_tasks_recurrence", ["recurrence"], unique=False)
    with op.batch_alter_table("parts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("late_on", sa.Date(), nullable=True))
        batch_op.create_index("ix_parts_unit_status_late", ["unit_id", "status", "late_on"], unique=False)
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index("ix_reports_submitted_on", ["submitted_on"], unique=False)
    _backfill(op.get_bind())
    _reseal(op.get_bind())


def _reseal(conn: sa.Connection) -> None:
    """Seal again the rows that carry a seal, as ``services/seals.py`` seals them (frozen here: a
    migration keeps the rule of its day)."""
    sealed = {
        name: list(
            conn.execute(
                sa.text("select row_id from row_seals where table_name = :name"), {"name": name}
            ).scalars()
        )
        for name in ("tasks", "parts")
    }
    if not any(sealed.values()):
        return
    key = hmac.new(
        load_settings().secret_key.encode("utf-8"), b"taizhang change log", hashlib.sha256
    ).digest()
    update = sa.text("update row_seals set seal = :seal where table_name = :name and row_id = :row_id")
    for name, ids in sealed.items():
        table = sa.Table(name, sa.MetaData(), autoload_with=conn)
        for start in range(0, len(ids), 500):
            rows = conn.execute(sa.select(table).where(table.c.id.in_(ids[start : start + 500]))).mappings()
            changes = [
                {"seal": _seal(key, name, row), "name": name, "row_id": int(row["id"])} for row in rows
            ]
            if changes:
                conn.execute(update, changes)


def _seal(key: bytes, table_name: str, row: Mapping[str, Any]) -> str:
    payload = json.dumps(
        [table_name, {name: _canonical(value) for name, value in row.items()}],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    ).encode("utf-8")
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_submitted_on")
    with op.batch_alter_table("parts", schema=None) as batch_op:
        batch_op.drop_index("ix_parts_unit_status_late")
        batch_op.drop_column("late_on")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_recurrence")
        batch_op.drop_index("ix_tasks_document_status_late")
        batch_op.drop_index("ix_tasks_late_on")
        batch_op.drop_column("late_on")


def _backfill(conn: sa.Connection) -> None:
    tasks = conn.execute(sa.text("select id, status, deadline_kind, due_on from tasks")).all()
    _store(
        conn,
        "tasks",
        [{"row_id": t.id, "day": late_from(t.status, t.deadline_kind, _day(t.due_on))} for t in tasks],
    )
    parts = conn.execute(
        sa.text(
            "select p.id, p.status, t.status as task_status, t.deadline_kind, t.due_on"
            " from parts p join tasks t on t.id = p.task_id"
        )
    ).all()
    _store(
        conn,
        "parts",
        [
            {"row_id": p.id, "day": part_late_from(p.status, p.task_status, p.deadline_kind, _day(p.due_on))}
            for p in parts
        ],
    )


def _day(value: date | str | None) -> date | None:
    """A date from the driver (SQLite hands back text through ``sa.text``)."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


def _store(conn: sa.Connection, table: str, rows: list[dict[str, object]]) -> None:
    changed = [r for r in rows if r["day"] is not None]
    statement = sa.text(f"update {table} set late_on = :day where id = :row_id").bindparams(
        sa.bindparam("day", type_=sa.Date())
    )
    for start in range(0, len(changed), BATCH):
        conn.execute(statement, changed[start : start + BATCH])
