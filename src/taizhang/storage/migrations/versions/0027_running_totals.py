"""Running totals (汇总) the dashboard reads in place of the month-by-status ``tallies``: at a million
tasks those were 258,000 rows to sum per request, the tasks owing a report were counted one by one
and the weekly series read every report of twelve weeks.

- ``tally_totals``: per document (its tasks) and unit (its parts): how many, 办结, closed.
- ``tally_statuses``: tasks of the whole ledger by status.
- ``tally_late``: per document and unit, open rows with a late day by month of that day, with the
  running count ``upto`` of rows late in that month or before: what is late before any month is
  the ``upto`` of one row per document, found by the key.
- ``tally_owing``: open tasks under a reporting cycle, per document, cycle and month of late day.
- ``tally_reports``: reports by day sent, with the sum of the percents they state.

Database triggers keep them, as they kept ``tallies``: every writer does, in its own transaction.
The upgrade fills them from the rows there are. A later migration that makes SQLite copy tasks,
parts or reports into a new table (batch mode) must make these triggers again.

Revision ID: 0027_running_totals
Revises: 0026_measure_rows
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027_running_totals"
down_revision = "0026_measure_rows"
branch_labels = None
depends_on = None

DONE, CANCELLED = "已完成", "已撤销"
_IS_DONE = f"status = '{DONE}'"
_IS_CLOSED = f"status IN ('{DONE}', '{CANCELLED}')"

# (table, scope, the column naming the scope's row, the columns a change of which moves a count)
_SCOPED = (
    ("tasks", "document", "document_id", ("document_id", "status", "late_on", "recurrence")),
    ("parts", "unit", "unit_id", ("unit_id", "status", "late_on")),
)


def _month(day: str, sqlite: bool) -> str:
    """The month key of a day (year * 12 + month - 1), 0 for none."""
    if sqlite:
        return (
            f"coalesce(cast(strftime('%Y', {day}) as integer) * 12 "
            f"+ cast(strftime('%m', {day}) as integer) - 1, 0)"
        )
    return f"coalesce((extract(year from {day}) * 12 + extract(month from {day}) - 1)::integer, 0)"


def _flag(condition: str, row: str) -> str:
    return f"CASE WHEN {row}.{condition} THEN 1 ELSE 0 END"


def _scoped_changes(scope: str, column: str, row: str, sign: int, sqlite: bool) -> list[str]:
    """Statements counting one task or part (``row`` is ``new`` or ``old``) in (+1) or out (-1)."""
    key = f"'{scope}', {row}.{column}"
    month = _month(f"{row}.late_on", sqlite)
    done, closed = _flag(_IS_DONE, row), _flag(_IS_CLOSED, row)
    out = [
        f"INSERT INTO tally_totals (scope, scope_id, total, done, closed) "
        f"SELECT {key}, {sign}, {sign} * {done}, {sign} * {closed} WHERE true "
        f"ON CONFLICT (scope, scope_id) DO UPDATE SET total = tally_totals.total + excluded.total, "
        f"done = tally_totals.done + excluded.done, closed = tally_totals.closed + excluded.closed",
    ]
    if sign < 0:
        out.append(
            f"DELETE FROM tally_totals WHERE scope = '{scope}' AND scope_id = {row}.{column} AND total <= 0"
        )
    if scope == "document":
        out.append(
            f"INSERT INTO tally_statuses (scope, status, n) SELECT '{scope}', {row}.status, {sign} WHERE true "
            f"ON CONFLICT (scope, status) DO UPDATE SET n = tally_statuses.n + excluded.n"
        )
    # a late row's month: made with the running count of the month before it, then it and every
    # later month of the document or unit count the row
    of_scope = f"scope = '{scope}' AND scope_id = {row}.{column}"
    if sign > 0:
        out.append(
            f"INSERT INTO tally_late (scope, scope_id, late_month, n, upto) "
            f"SELECT {key}, {month}, 0, coalesce((SELECT t.upto FROM tally_late t WHERE t.scope = '{scope}' "
            f"AND t.scope_id = {row}.{column} AND t.late_month < {month} ORDER BY t.late_month DESC LIMIT 1), 0) "
            f"WHERE {row}.late_on IS NOT NULL ON CONFLICT (scope, scope_id, late_month) DO NOTHING"
        )
    out.append(
        f"UPDATE tally_late SET n = n + CASE WHEN late_month = {month} THEN {sign} ELSE 0 END, "
        f"upto = upto + {sign} WHERE {of_scope} AND late_month >= {month} AND {row}.late_on IS NOT NULL"
    )
    if sign < 0:
        out.append(f"DELETE FROM tally_late WHERE {of_scope} AND late_month = {month} AND n <= 0")
    if scope == "document":
        owing = f"{row}.recurrence IS NOT NULL AND {row}.status NOT IN ('{DONE}', '{CANCELLED}')"
        out.append(
            f"INSERT INTO tally_owing (document_id, recurrence, late_month, n) "
            f"SELECT {row}.document_id, {row}.recurrence, {month}, {sign} WHERE {owing} "
            f"ON CONFLICT (document_id, recurrence, late_month) DO UPDATE SET n = tally_owing.n + excluded.n"
        )
        if sign < 0:
            out.append(
                f"DELETE FROM tally_owing WHERE document_id = {row}.document_id "
                f"AND recurrence = {row}.recurrence AND late_month = {month} AND n <= 0"
            )
    return out


def _report_changes(row: str, sign: int) -> list[str]:
    out = [
        f"INSERT INTO tally_reports (submitted_on, n, percent_sum) "
        f"SELECT {row}.submitted_on, {sign}, {sign} * coalesce({row}.percent, 0) WHERE true "
        f"ON CONFLICT (submitted_on) DO UPDATE SET n = tally_reports.n + excluded.n, "
        f"percent_sum = tally_reports.percent_sum + excluded.percent_sum"
    ]
    if sign < 0:
        out.append(f"DELETE FROM tally_reports WHERE submitted_on = {row}.submitted_on AND n <= 0")
    return out


def _triggers(
    table: str, columns: tuple[str, ...], add: list[str], remove: list[str], sqlite: bool
) -> list[str]:
    name = f"{table}_running"
    if sqlite:
        changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
        body = lambda statements: " ".join(f"{s};" for s in statements)  # noqa: E731
        return [
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN {body(add)} END",
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN {body(remove)} END",
            f"CREATE TRIGGER {name}_update AFTER UPDATE OF {', '.join(columns)} ON {table} "
            f"WHEN {changed} BEGIN {body(remove + add)} END",
        ]
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
    removing = "\n        ".join(f"{s};" for s in remove)
    adding = "\n        ".join(f"{s};" for s in add)
    return [
        f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        {removing}
    END IF;
    IF TG_OP <> 'DELETE' THEN
        {adding}
    END IF;
    RETURN NULL;
END $$""",
        f"CREATE TRIGGER {name}_insert_delete AFTER INSERT OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF {', '.join(columns)} ON {table} "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {name}()",
    ]


def _fill(sqlite: bool) -> list[str]:
    """Statements counting the rows there are into the empty tables."""
    month = _month("late_on", sqlite)
    out = []
    for table, scope, column, _ in _SCOPED:
        out.append(
            f"INSERT INTO tally_totals (scope, scope_id, total, done, closed) "
            f"SELECT '{scope}', {column}, count(*), sum(CASE WHEN {_IS_DONE} THEN 1 ELSE 0 END), "
            f"sum(CASE WHEN {_IS_CLOSED} THEN 1 ELSE 0 END) FROM {table} GROUP BY {column}"
        )
        by_month = (
            f"SELECT {column} AS scope_id, {month} AS late_month, count(*) AS n FROM {table} "
            f"WHERE late_on IS NOT NULL GROUP BY {column}, {month}"
        )
        out.append(
            f"INSERT INTO tally_late (scope, scope_id, late_month, n, upto) "
            f"SELECT '{scope}', scope_id, late_month, n, "
            f"sum(n) OVER (PARTITION BY scope_id ORDER BY late_month) FROM ({by_month}) AS months"
        )
    out.append(
        "INSERT INTO tally_statuses (scope, status, n) SELECT 'document', status, count(*) FROM tasks GROUP BY status"
    )
    out.append(
        f"INSERT INTO tally_owing (document_id, recurrence, late_month, n) "
        f"SELECT document_id, recurrence, {month}, count(*) FROM tasks "
        f"WHERE recurrence IS NOT NULL AND status NOT IN ('{DONE}', '{CANCELLED}') "
        f"GROUP BY document_id, recurrence, {month}"
    )
    out.append(
        "INSERT INTO tally_reports (submitted_on, n, percent_sum) "
        "SELECT submitted_on, count(*), sum(coalesce(percent, 0)) FROM reports GROUP BY submitted_on"
    )
    return out


def _create_tables() -> None:
    op.create_table(
        "tally_totals",
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("scope_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("closed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "scope_id", name=op.f("pk_tally_totals")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "tally_statuses",
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "status", name=op.f("pk_tally_statuses")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "tally_late",
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("scope_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("late_month", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("upto", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "scope_id", "late_month", name=op.f("pk_tally_late")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "tally_owing",
        sa.Column("document_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("recurrence", sa.String(length=50), nullable=False),
        sa.Column("late_month", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("document_id", "recurrence", "late_month", name=op.f("pk_tally_owing")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "tally_reports",
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("percent_sum", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("submitted_on", name=op.f("pk_tally_reports")),
        sqlite_with_rowid=False,
    )


_TABLES = ("tally_totals", "tally_statuses", "tally_late", "tally_owing", "tally_reports")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _drop_tallies(sqlite)
    _create_tables()
    for statement in _fill(sqlite):
        op.execute(statement)
    for table, scope, column, columns in _SCOPED:
        add = _scoped_changes(scope, column, "new", 1, sqlite)
        remove = _scoped_changes(scope, column, "old", -1, sqlite)
        for statement in _triggers(table, columns, add, remove, sqlite):
            op.execute(statement)
    for statement in _triggers(
        "reports", ("submitted_on", "percent"), _report_changes("new", 1), _report_changes("old", -1), sqlite
    ):
        op.execute(statement)


def _drop_triggers(prefix: str, tables: tuple[str, ...], sqlite: bool, pg_names: tuple[str, ...]) -> None:
    for table in tables:
        if sqlite:
            for suffix in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{prefix}_{suffix}")
        else:
            for suffix in pg_names:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{prefix}_{suffix} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_{prefix}()")


def _drop_tallies(sqlite: bool) -> None:
    """The month-by-status tallies of ``0018_tallies``, which these tables replace."""
    _drop_triggers("tally", ("tasks", "parts"), sqlite, ("insert_delete", "update"))
    op.drop_table("tallies")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _drop_triggers("running", ("tasks", "parts", "reports"), sqlite, ("insert_delete", "update"))
    for table in _TABLES:
        op.drop_table(table)
    _make_tallies(sqlite)


# ``0018_tallies`` again, for the downgrade: its table, triggers and filling
_OLD_SOURCES = (("tasks", "document", "document_id"), ("parts", "unit", "unit_id"))


def _old_triggers(table: str, scope: str, column: str, sqlite: bool) -> list[str]:
    month_new, month_old = _month("new.late_on", sqlite), _month("old.late_on", sqlite)
    key_old = (
        f"scope = '{scope}' AND scope_id = old.{column} AND status = old.status AND late_month = {month_old}"
    )
    remove = [
        f"UPDATE tallies SET n = n - 1 WHERE {key_old}",
        f"DELETE FROM tallies WHERE {key_old} AND n <= 0",
    ]
    add = [
        f"INSERT INTO tallies (scope, scope_id, status, late_month, n) "
        f"VALUES ('{scope}', new.{column}, new.status, {month_new}, 1) "
        f"ON CONFLICT (scope, scope_id, status, late_month) DO UPDATE SET n = tallies.n + 1"
    ]
    made = _triggers(table, (column, "status", "late_on"), add, remove, sqlite)
    # the names 0018 gave them
    return [s.replace(f"{table}_running", f"{table}_tally") for s in made]


def _make_tallies(sqlite: bool) -> None:
    op.create_table(
        "tallies",
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("scope_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("late_month", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "scope_id", "status", "late_month", name=op.f("pk_tallies")),
        sqlite_with_rowid=False,
    )
    for table, scope, column in _OLD_SOURCES:
        month = _month("late_on", sqlite)
        op.execute(
            f"INSERT INTO tallies (scope, scope_id, status, late_month, n) "
            f"SELECT '{scope}', {column}, status, {month}, count(*) FROM {table} "
            f"GROUP BY {column}, status, {month}"
        )
        for statement in _old_triggers(table, scope, column, sqlite):
            op.execute(statement)
