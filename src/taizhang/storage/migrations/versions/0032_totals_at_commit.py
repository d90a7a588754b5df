"""On PostgreSQL the running totals are counted as a transaction commits, not at each row it writes.

The triggers of 0027 and 0029 add each task, part and report to a few shared rows: the reports of
a day (``tally_reports``), the tasks by status (``tally_statuses``), a document's and a unit's
totals. Counted at the row, a writer locked those rows until its commit, and every other writer
of the day, of any task, waited for its whole transaction. As deferred constraint triggers they
run at the commit, after the change log's append (services/audit.append_at_commit) has taken the
log's lock: writers count one after another, each for the moment of its commit. Each trigger
still sees the row as its own statement left it, so the counts are the same.

The answered periods of 0030 stay counted at the row: their report triggers read the task as it
stands, and a task's deletion takes its periods out in a BEFORE trigger, which cannot be deferred;
their rows are per task, or per document and cycle. SQLite has one writer at a time anyway: its
triggers stay as they are. A later migration that makes these PostgreSQL triggers again must make
them deferred too.

Revision ID: 0032_totals_at_commit
Revises: 0031_answers_by_period
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0032_totals_at_commit"
down_revision = "0031_answers_by_period"
branch_labels = None
depends_on = None

# (table, trigger) of the running totals
_TRIGGERS = tuple(
    (table, f"{name}_{event}")
    for table, name in (
        ("tasks", "tasks_running"),
        ("reports", "reports_running"),
        ("parts", "parts_running"),
        ("parts", "parts_days"),
    )
    for event in ("insert_delete", "update")
)
_PLAIN, _DEFERRED = "CREATE TRIGGER", "CREATE CONSTRAINT TRIGGER"
_WHEN = " FOR EACH ROW "
_DEFERRABLE = " DEFERRABLE INITIALLY DEFERRED"


def _remake(deferred: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table, name in _TRIGGERS:
        definition = bind.execute(
            sa.text(
                "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t "
                "WHERE t.tgname = :name AND t.tgrelid = CAST(:table AS regclass)"
            ),
            {"name": name, "table": table},
        ).scalar_one()
        if deferred:
            definition = definition.replace(_PLAIN, _DEFERRED, 1).replace(_WHEN, _DEFERRABLE + _WHEN, 1)
        else:
            definition = definition.replace(_DEFERRED, _PLAIN, 1).replace(_DEFERRABLE, "", 1)
        op.execute(f"DROP TRIGGER {name} ON {table}")
        op.execute(definition)


def upgrade() -> None:
    _remake(deferred=True)


def downgrade() -> None:
    _remake(deferred=False)
