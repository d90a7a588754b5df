"""SQLite's full-text index can be filled once for a batch of tasks, not row by row.

A task inserted while ``tasks_fts_deferred`` holds a row is not indexed by the insert trigger;
the writer that put the row there indexes its new tasks with one INSERT … SELECT and removes the
row before its transaction ends (services/search_index.py). An import of many tasks spends about
half as long on the index that way. Every other insert finds the table empty and is indexed by
the trigger as before. PostgreSQL needs nothing here.

Revision ID: 0028_search_deferred
Revises: 0027_running_totals
"""

from __future__ import annotations

from alembic import op

revision = "0028_search_deferred"
down_revision = "0027_running_totals"
branch_labels = None
depends_on = None

# named under tasks_fts so that the schema comparison leaves it out with the index's own tables
_FLAG = "CREATE TABLE tasks_fts_deferred (writer INTEGER PRIMARY KEY)"
_ROW_BY_ROW = """CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO tasks_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END"""
_UNLESS_DEFERRED = """CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks
WHEN NOT EXISTS (SELECT 1 FROM tasks_fts_deferred) BEGIN
    INSERT INTO tasks_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(_FLAG)
    op.execute("DROP TRIGGER tasks_fts_insert")
    op.execute(_UNLESS_DEFERRED)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER tasks_fts_insert")
    op.execute(_ROW_BY_ROW)
    op.execute("DROP TABLE tasks_fts_deferred")
