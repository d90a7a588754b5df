"""Running totals of the reports that answer a reporting period (已报送), kept by triggers: the
dashboard counted the open tasks of a cycle answered in its owed period by joining the cycle's
open tasks with the period's reports, 73,000 tasks with 40,000 reports at a million tasks.

- ``tally_answers``: per task and period label, its progress reports answering that period. A
  report answers the period it names; one that names none answers the period of each frequency
  its day falls in (2022-05, 2022-Q2, 2022-H1, 2022 and 2022-W18 for 6 May 2022). The labels of
  different frequencies never look alike, so a task's own cycle picks its own label, and a
  report's rows do not depend on its task (a task deleted before its reports changes nothing).
- ``tally_answered``: open tasks per cycle, period label, document and month of late day (0 when
  none) with at least one report answering that period.

A task that is deleted takes its answered periods out before the row goes (a BEFORE trigger):
the reports its deletion takes with it no longer find it. A later migration that makes SQLite
copy tasks or reports into a new table (batch mode) must make these triggers again.

Revision ID: 0030_answered_periods
Revises: 0029_unit_late_days
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030_answered_periods"
down_revision = "0029_unit_late_days"
branch_labels = None
depends_on = None

DONE, CANCELLED = "已完成", "已撤销"
_OPEN = f"status NOT IN ('{DONE}', '{CANCELLED}')"
_TASK_COLUMNS = ("document_id", "status", "late_on", "recurrence")
_REPORT_COLUMNS = ("task_id", "kind", "period", "submitted_on")


def _month(day: str, sqlite: bool) -> str:
    """The month key of a day (year * 12 + month - 1), 0 for none (as ``0027_running_totals``)."""
    if sqlite:
        return (
            f"coalesce(cast(strftime('%Y', {day}) as integer) * 12 "
            f"+ cast(strftime('%m', {day}) as integer) - 1, 0)"
        )
    return f"coalesce((extract(year from {day}) * 12 + extract(month from {day}) - 1)::integer, 0)"


def _day_labels(day: str, sqlite: bool) -> list[str]:
    """The labels of the periods ``day`` falls in, one per frequency, as ``ledger.cycles`` writes them:
    month, quarter, half-year, year and ISO week."""
    if sqlite:
        month = f"cast(strftime('%m', {day}) as integer)"
        # the ISO week is the week of its Thursday: its year and its day of the year give the label
        thursday = f"date({day}, (3 - (cast(strftime('%w', {day}) as integer) + 6) % 7) || ' days')"
        return [
            f"strftime('%Y-%m', {day})",
            f"strftime('%Y', {day}) || '-Q' || (({month} + 2) / 3)",
            f"strftime('%Y', {day}) || '-H' || (({month} + 5) / 6)",
            f"strftime('%Y', {day})",
            f"strftime('%Y', {thursday}) || '-W' || "
            f"printf('%02d', (cast(strftime('%j', {thursday}) as integer) - 1) / 7 + 1)",
        ]
    return [
        f"to_char({day}, 'YYYY-MM')",
        f"to_char({day}, 'YYYY') || '-Q' || to_char({day}, 'Q')",
        f"to_char({day}, 'YYYY') || '-H' || ((extract(month from {day})::integer + 5) / 6)::text",
        f"to_char({day}, 'YYYY')",
        f"to_char({day}, 'IYYY') || '-W' || to_char({day}, 'IW')",
    ]


def _labels(row: str, sqlite: bool) -> str:
    """A query of the period labels a report (``row`` is ``new`` or ``old``) answers: none unless
    it is a progress report; the period it names, else one per frequency of its day."""
    named = f"SELECT {row}.period AS period WHERE {row}.period IS NOT NULL AND {row}.kind = 'progress'"
    by_day = [
        f"SELECT {label} AS period WHERE {row}.period IS NULL AND {row}.kind = 'progress'"
        for label in _day_labels(f"{row}.submitted_on", sqlite)
    ]
    return " UNION ALL ".join([named, *by_day])


def _task_key(task: str, sqlite: bool) -> str:
    return f"{task}.recurrence, {task}.document_id, {_month(f'{task}.late_on', sqlite)}"


def _report_changes(row: str, sign: int, sqlite: bool) -> list[str]:
    """Statements counting one report (``row`` is ``new`` or ``old``) in (+1) or out (-1): its
    periods for its task, and its task as answered for a period it is now the first (or was the
    last) report to answer."""
    labels = _labels(row, sqlite)
    if sign > 0:
        return [
            f"INSERT INTO tally_answers (task_id, period, n) SELECT {row}.task_id, period, 1 "
            f"FROM ({labels}) AS labels WHERE true "
            f"ON CONFLICT (task_id, period) DO UPDATE SET n = tally_answers.n + 1",
            f"INSERT INTO tally_answered (recurrence, document_id, late_month, period, n) "
            f"SELECT {_task_key('t', sqlite)}, a.period, 1 FROM tasks t JOIN tally_answers a ON a.task_id = t.id "
            f"WHERE t.id = {row}.task_id AND a.n = 1 AND a.period IN ({labels}) "
            f"AND t.recurrence IS NOT NULL AND t.{_OPEN} "
            f"ON CONFLICT (recurrence, period, document_id, late_month) DO UPDATE SET n = tally_answered.n + 1",
        ]
    task = (
        f"SELECT {_task_key('t', sqlite)} FROM tasks t WHERE t.id = {row}.task_id "
        f"AND t.recurrence IS NOT NULL AND t.{_OPEN}"
    )
    return [
        f"UPDATE tally_answers SET n = n - 1 WHERE task_id = {row}.task_id AND period IN ({labels})",
        f"UPDATE tally_answered SET n = n - 1 WHERE (recurrence, document_id, late_month) IN ({task}) "
        f"AND period IN (SELECT period FROM tally_answers WHERE task_id = {row}.task_id AND n <= 0)",
        f"DELETE FROM tally_answered WHERE (recurrence, document_id, late_month) IN ({task}) "
        f"AND period IN ({labels}) AND n <= 0",
        f"DELETE FROM tally_answers WHERE task_id = {row}.task_id AND n <= 0",
    ]


def _task_changes(row: str, sign: int, sqlite: bool) -> list[str]:
    """Statements counting one task (``row`` is ``new`` or ``old``) in (+1) or out (-1) of the
    periods its reports answer."""
    key = f"recurrence = {row}.recurrence AND document_id = {row}.document_id AND late_month = " + _month(
        f"{row}.late_on", sqlite
    )
    periods = f"SELECT period FROM tally_answers WHERE task_id = {row}.id"
    if sign > 0:
        return [
            f"INSERT INTO tally_answered (recurrence, document_id, late_month, period, n) "
            f"SELECT {_task_key(row, sqlite)}, period, 1 FROM tally_answers WHERE task_id = {row}.id "
            f"AND {row}.recurrence IS NOT NULL AND {row}.{_OPEN} "
            f"ON CONFLICT (recurrence, period, document_id, late_month) DO UPDATE SET n = tally_answered.n + 1"
        ]
    return [
        f"UPDATE tally_answered SET n = n - 1 WHERE {key} AND period IN ({periods}) AND {row}.{_OPEN}",
        f"DELETE FROM tally_answered WHERE {key} AND period IN ({periods}) AND n <= 0",
    ]


def _sqlite_triggers() -> list[str]:
    body = lambda statements: " ".join(f"{s};" for s in statements)  # noqa: E731
    add_report, remove_report = _report_changes("new", 1, True), _report_changes("old", -1, True)
    add_task, remove_task = _task_changes("new", 1, True), _task_changes("old", -1, True)
    reports_changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _REPORT_COLUMNS)
    tasks_changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _TASK_COLUMNS)
    return [
        f"CREATE TRIGGER reports_answers_insert AFTER INSERT ON reports BEGIN {body(add_report)} END",
        f"CREATE TRIGGER reports_answers_delete AFTER DELETE ON reports BEGIN {body(remove_report)} END",
        f"CREATE TRIGGER reports_answers_update AFTER UPDATE OF {', '.join(_REPORT_COLUMNS)} ON reports "
        f"WHEN {reports_changed} BEGIN {body(remove_report + add_report)} END",
        f"CREATE TRIGGER tasks_answers_insert AFTER INSERT ON tasks BEGIN {body(add_task)} END",
        f"CREATE TRIGGER tasks_answers_delete BEFORE DELETE ON tasks BEGIN {body(remove_task)} END",
        f"CREATE TRIGGER tasks_answers_update AFTER UPDATE OF {', '.join(_TASK_COLUMNS)} ON tasks "
        f"WHEN {tasks_changed} BEGIN {body(remove_task + add_task)} END",
    ]


def _pg_function(name: str, remove: list[str], add: list[str], returned: str) -> str:
    removing = "\n        ".join(f"{s};" for s in remove)
    adding = "\n        ".join(f"{s};" for s in add)
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        {removing}
    END IF;
    IF TG_OP <> 'DELETE' THEN
        {adding}
    END IF;
    RETURN {returned};
END $$"""


def _pg_triggers() -> list[str]:
    reports_changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _REPORT_COLUMNS)
    tasks_changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _TASK_COLUMNS)
    return [
        _pg_function(
            "reports_answers", _report_changes("old", -1, False), _report_changes("new", 1, False), "NULL"
        ),
        "CREATE TRIGGER reports_answers_insert_delete AFTER INSERT OR DELETE ON reports "
        "FOR EACH ROW EXECUTE FUNCTION reports_answers()",
        f"CREATE TRIGGER reports_answers_update AFTER UPDATE OF {', '.join(_REPORT_COLUMNS)} ON reports "
        f"FOR EACH ROW WHEN ({reports_changed}) EXECUTE FUNCTION reports_answers()",
        # a BEFORE DELETE trigger lets the row go by returning it
        _pg_function(
            "tasks_answers",
            _task_changes("old", -1, False),
            _task_changes("new", 1, False),
            "CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NULL END",
        ),
        "CREATE TRIGGER tasks_answers_insert AFTER INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION tasks_answers()",
        "CREATE TRIGGER tasks_answers_delete BEFORE DELETE ON tasks FOR EACH ROW EXECUTE FUNCTION tasks_answers()",
        f"CREATE TRIGGER tasks_answers_update AFTER UPDATE OF {', '.join(_TASK_COLUMNS)} ON tasks "
        f"FOR EACH ROW WHEN ({tasks_changed}) EXECUTE FUNCTION tasks_answers()",
    ]


def _fill(sqlite: bool) -> list[str]:
    """Statements counting the reports and tasks there are into the empty tables."""
    progress = "FROM reports WHERE kind = 'progress'"
    labels = [f"SELECT task_id, period {progress} AND period IS NOT NULL"] + [
        f"SELECT task_id, {label} AS period {progress} AND period IS NULL"
        for label in _day_labels("submitted_on", sqlite)
    ]
    return [
        f"INSERT INTO tally_answers (task_id, period, n) SELECT task_id, period, count(*) "
        f"FROM ({' UNION ALL '.join(labels)}) AS labels GROUP BY task_id, period",
        f"INSERT INTO tally_answered (recurrence, document_id, late_month, period, n) "
        f"SELECT {_task_key('t', sqlite)}, a.period, count(*) FROM tasks t JOIN tally_answers a ON a.task_id = t.id "
        f"WHERE t.recurrence IS NOT NULL AND t.{_OPEN} "
        f"GROUP BY t.recurrence, a.period, t.document_id, {_month('t.late_on', sqlite)}",
    ]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "tally_answers",
        sa.Column("task_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("task_id", "period", name=op.f("pk_tally_answers")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "tally_answered",
        sa.Column("recurrence", sa.String(length=50), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("document_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("late_month", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "recurrence", "period", "document_id", "late_month", name=op.f("pk_tally_answered")
        ),
        sqlite_with_rowid=False,
    )
    for statement in _fill(sqlite):
        op.execute(statement)
    for statement in _sqlite_triggers() if sqlite else _pg_triggers():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in ("reports", "tasks"):
            for suffix in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_answers_{suffix}")
    else:
        op.execute("DROP TRIGGER IF EXISTS reports_answers_insert_delete ON reports")
        op.execute("DROP TRIGGER IF EXISTS reports_answers_update ON reports")
        for suffix in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS tasks_answers_{suffix} ON tasks")
        op.execute("DROP FUNCTION IF EXISTS reports_answers()")
        op.execute("DROP FUNCTION IF EXISTS tasks_answers()")
    op.drop_table("tally_answered")
    op.drop_table("tally_answers")
