"""Full-text search over task titles and bodies on SQLite (FTS5, trigram tokenizer).

Chinese has no spaces between words, so the trigram tokenizer indexes every 3-character run;
queries of 3 characters or more use it, shorter ones fall back to LIKE (see services/queries.py).
PostgreSQL uses ILIKE and needs nothing here. Triggers keep the index in step with ``tasks``.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_CREATE = [
    """CREATE VIRTUAL TABLE tasks_fts USING fts5(
        title, body, content='tasks', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN
        INSERT INTO tasks_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER tasks_fts_delete AFTER DELETE ON tasks BEGIN
        INSERT INTO tasks_fts(tasks_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER tasks_fts_update AFTER UPDATE OF title, body ON tasks BEGIN
        INSERT INTO tasks_fts(tasks_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO tasks_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    "INSERT INTO tasks_fts(tasks_fts) VALUES ('rebuild')",
]

_DROP = [
    "DROP TRIGGER IF EXISTS tasks_fts_update",
    "DROP TRIGGER IF EXISTS tasks_fts_delete",
    "DROP TRIGGER IF EXISTS tasks_fts_insert",
    "DROP TABLE IF EXISTS tasks_fts",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _CREATE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _DROP:
        op.execute(statement)
