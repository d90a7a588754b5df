"""How many tasks each unit holds in each role (``tally_assigned``), kept by triggers on
``assignments``, so a unit's listing knows its count without reading the unit's index entries: the
count stopped at 5,001 entries, which a large unit read on every page, more of them out of cache
the larger the ledger.

An assignment is unique per (task, unit, role), so a (unit, role) row's ``n`` is its number of
assignments: each trigger adds or takes one, never reads the assignments. On PostgreSQL they are
deferred constraint triggers, counted at the commit like the running totals of
``0032_totals_at_commit``, so writers assigning tasks to one unit do not queue on its row. The
upgrade fills the table from the assignments there are. A later migration that makes SQLite copy
``assignments`` into a new table (batch mode) must make these triggers again.

Revision ID: 0034_assigned_by_unit
Revises: 0033_late_by_month
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0034_assigned_by_unit"
down_revision = "0033_late_by_month"
branch_labels = None
depends_on = None

_NAME = "assignments_assigned"
_COLUMNS = ("unit_id", "role")


def _change(row: str, sign: int) -> list[str]:
    """Statements counting one assignment (``row`` is ``new`` or ``old``) in (+1) or out (-1)."""
    out = [
        f"INSERT INTO tally_assigned (unit_id, role, n) SELECT {row}.unit_id, {row}.role, {sign} WHERE true "
        f"ON CONFLICT (unit_id, role) DO UPDATE SET n = tally_assigned.n + excluded.n"
    ]
    if sign < 0:
        out.append(
            f"DELETE FROM tally_assigned WHERE unit_id = {row}.unit_id AND role = {row}.role AND n <= 0"
        )
    return out


def _sqlite_triggers() -> list[str]:
    add, remove = _change("new", 1), _change("old", -1)
    body = lambda statements: " ".join(f"{s};" for s in statements)  # noqa: E731
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _COLUMNS)
    return [
        f"CREATE TRIGGER {_NAME}_insert AFTER INSERT ON assignments BEGIN {body(add)} END",
        f"CREATE TRIGGER {_NAME}_delete AFTER DELETE ON assignments BEGIN {body(remove)} END",
        f"CREATE TRIGGER {_NAME}_update AFTER UPDATE OF {', '.join(_COLUMNS)} ON assignments "
        f"WHEN {changed} BEGIN {body(remove + add)} END",
    ]


def _pg_triggers() -> list[str]:
    removing = "\n        ".join(f"{s};" for s in _change("OLD", -1))
    adding = "\n        ".join(f"{s};" for s in _change("NEW", 1))
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _COLUMNS)
    return [
        f"""CREATE FUNCTION {_NAME}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        {removing}
    END IF;
    IF TG_OP <> 'DELETE' THEN
        {adding}
    END IF;
    RETURN NULL;
END $$""",
        f"CREATE CONSTRAINT TRIGGER {_NAME}_insert_delete AFTER INSERT OR DELETE ON assignments "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {_NAME}()",
        f"CREATE CONSTRAINT TRIGGER {_NAME}_update AFTER UPDATE OF {', '.join(_COLUMNS)} ON assignments "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {_NAME}()",
    ]


def upgrade() -> None:
    op.create_table(
        "tally_assigned",
        sa.Column("unit_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("unit_id", "role", name=op.f("pk_tally_assigned")),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO tally_assigned (unit_id, role, n) "
        "SELECT unit_id, role, count(*) FROM assignments GROUP BY unit_id, role"
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _sqlite_triggers() if sqlite else _pg_triggers():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for suffix in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {_NAME}_{suffix}")
    else:
        for suffix in ("insert_delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {_NAME}_{suffix} ON assignments")
        op.execute(f"DROP FUNCTION IF EXISTS {_NAME}()")
    op.drop_table("tally_assigned")
