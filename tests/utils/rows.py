"""Bare rows written straight into a schema, for tests that run below the services (migrations, triggers)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

_ISSUE = sa.text(
    "insert into issues (id, source_name, source_sha256, source_text, contents, review_notes) "
    "values (1, 'x', 'abc', '', '[]', '[]')"
)
_DOCUMENT = sa.text(
    "insert into documents (id, issue_id, title, addressees, enclosed, attachments, "
    "cited_doc_numbers, status, is_public, position, needs_review, review_notes) "
    "values (:id, 1, 'd', '[]', '[]', '[]', '[]', '有效', false, 0, false, '[]')"
)


def insert_issue_with_documents(conn: sa.Connection, document_ids: Iterable[int] = (1,)) -> None:
    """The gazette issue with id 1 and empty documents under it, as any schema since the first keeps them."""
    conn.execute(_ISSUE)
    for document_id in document_ids:
        conn.execute(_DOCUMENT, {"id": document_id})
