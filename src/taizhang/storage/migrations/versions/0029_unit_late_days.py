"""Per unit, its open parts by late day (``tally_late_days``), kept by triggers on ``parts``: the
dashboard read the month of ``as_of`` and the yellow window from the parts themselves, 100,000
parts at a million tasks, where the days are a row per unit and day, keyed day first so
a stretch of days is one range of the key.

A later migration that makes SQLite copy parts into a new table (batch mode) must make these
triggers again.

Revision ID: 0029_unit_late_days
Revises: 0028_search_deferred
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029_unit_late_days"
down_revision = "0028_search_deferred"
branch_labels = None
depends_on = None

_COLUMNS = ("unit_id", "late_on")


def _changes(row: str, sign: int) -> list[str]:
    """Statements counting one part (``row`` is ``new`` or ``old``) in (+1) or out (-1)."""
    out = [
        f"INSERT INTO tally_late_days (scope, scope_id, late_on, n) "
        f"SELECT 'unit', {row}.unit_id, {row}.late_on, {sign} WHERE {row}.late_on IS NOT NULL "
        f"ON CONFLICT (scope, late_on, scope_id) DO UPDATE SET n = tally_late_days.n + excluded.n"
    ]
    if sign < 0:
        out.append(
            f"DELETE FROM tally_late_days WHERE scope = 'unit' AND scope_id = {row}.unit_id "
            f"AND late_on = {row}.late_on AND n <= 0"
        )
    return out


def _triggers(sqlite: bool) -> list[str]:
    add, remove = _changes("new", 1), _changes("old", -1)
    if sqlite:
        changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _COLUMNS)
        body = lambda statements: " ".join(f"{s};" for s in statements)  # noqa: E731
        return [
            f"CREATE TRIGGER parts_days_insert AFTER INSERT ON parts BEGIN {body(add)} END",
            f"CREATE TRIGGER parts_days_delete AFTER DELETE ON parts BEGIN {body(remove)} END",
            f"CREATE TRIGGER parts_days_update AFTER UPDATE OF {', '.join(_COLUMNS)} ON parts "
            f"WHEN {changed} BEGIN {body(remove + add)} END",
        ]
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _COLUMNS)
    removing = "\n        ".join(f"{s};" for s in remove)
    adding = "\n        ".join(f"{s};" for s in add)
    return [
        f"""CREATE FUNCTION parts_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        {removing}
    END IF;
    IF TG_OP <> 'DELETE' THEN
        {adding}
    END IF;
    RETURN NULL;
END $$""",
        "CREATE TRIGGER parts_days_insert_delete AFTER INSERT OR DELETE ON parts "
        "FOR EACH ROW EXECUTE FUNCTION parts_days()",
        f"CREATE TRIGGER parts_days_update AFTER UPDATE OF {', '.join(_COLUMNS)} ON parts "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION parts_days()",
    ]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "tally_late_days",
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("late_on", sa.Date(), nullable=False),
        sa.Column("scope_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "late_on", "scope_id", name=op.f("pk_tally_late_days")),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO tally_late_days (scope, scope_id, late_on, n) "
        "SELECT 'unit', unit_id, late_on, count(*) FROM parts WHERE late_on IS NOT NULL GROUP BY unit_id, late_on"
    )
    for statement in _triggers(sqlite):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for suffix in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS parts_days_{suffix}")
    else:
        op.execute("DROP TRIGGER IF EXISTS parts_days_insert_delete ON parts")
        op.execute("DROP TRIGGER IF EXISTS parts_days_update ON parts")
        op.execute("DROP FUNCTION IF EXISTS parts_days()")
    op.drop_table("tally_late_days")
