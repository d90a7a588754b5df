"""The registry of normative documents (规范性文件): status, and who repealed or revised whom.

The import stores what the text shows (``store_registry``): which documents are normative and
the links that change a document's status (废止, 失效, 修订), both ends kept, so a document page
says what repealed it and the repealing one what it repealed. A document known only by citation
is created without text. When a document stops being in force, its open tasks are flagged for
review: nobody should go on chasing work a repealed document asked for.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, NotFound
from ..extract.normative import STATUSES, NormativeDocument, StatusLink
from ..ledger.status import DONE
from ..storage.tables import documents, tasks
from ..storage.tables_procedures import document_links, normative_documents
from .audit import record_change
from .queries import resolve_document

IN_FORCE = "有效"
_YEAR = re.compile(r"〔(\d{4})〕")


def _document_id(
    conn: Connection,
    doc_number: str,
    title: str | None,
    line: int | None,
    actor: str,
    known: dict[str, int],
) -> int:
    """The document with this number, created as a citation (no text) when the ledger lacks it.

    ``known`` (number → id, read beforehand for the whole import) learns the ones created here.
    """
    found = known.get(doc_number)
    if found is not None:
        return int(found)
    values = {
        "doc_number": doc_number,
        "title": title or doc_number,
        "line_start": line,
        "line_end": line,
        "status": IN_FORCE,
    }
    doc_id = int(conn.execute(documents.insert(), {"issue_id": None, **values}).inserted_primary_key[0])
    record_change(conn, actor=actor, action="create", entity="document", entity_id=doc_id, after=values)
    known[doc_number] = doc_id
    return doc_id


def _documents_numbered(conn: Connection, numbers: set[str]) -> dict[str, int]:
    """The ids of the ledger's documents bearing these numbers, read at once."""
    ordered = sorted(numbers)
    found: dict[str, int] = {}
    for start in range(0, len(ordered), 500):
        chosen = documents.c.doc_number.in_(ordered[start : start + 500])
        rows = conn.execute(sa.select(documents.c.doc_number, documents.c.id).where(chosen))
        found.update((row.doc_number, int(row.id)) for row in rows)
    return found


def _mark_normative(conn: Connection, doc_id: int, reason: str, line: int | None, actor: str) -> None:
    exists = conn.execute(
        sa.select(normative_documents.c.document_id).where(normative_documents.c.document_id == doc_id)
    ).first()
    if exists:
        return
    row = {"document_id": doc_id, "reason": reason, "line": line}
    conn.execute(normative_documents.insert().values(**row))
    record_change(
        conn, actor=actor, action="create", entity="normative_document", entity_id=doc_id, after=row
    )


def flag_open_tasks(
    conn: Connection, doc_id: int, status: str, reason: str, line: int | None, actor: str
) -> int:
    """Flag every open task of a document no longer in force for review; returns how many."""
    rows = conn.execute(
        sa.select(tasks.c.id, tasks.c.review_notes, tasks.c.needs_review).where(
            tasks.c.document_id == doc_id, tasks.c.status != DONE
        )
    ).all()
    note = {
        "kind": "document_" + {"废止": "repealed", "失效": "void", "修订": "revised"}.get(status, "changed"),
        "line": line,
        "message": f"所属文件已{status}（{reason}），请核查该任务是否继续督办",
    }
    flagged = 0
    for row in rows:
        notes = list(row.review_notes or [])
        if note in notes:
            continue
        conn.execute(
            tasks.update().where(tasks.c.id == row.id).values(needs_review=True, review_notes=[*notes, note])
        )
        record_change(
            conn,
            actor=actor,
            action="flag",
            entity="task",
            entity_id=row.id,
            before={"needs_review": bool(row.needs_review)},
            after={"needs_review": True, "note": note},
        )
        flagged += 1
    return flagged


def link_documents(
    conn: Connection,
    target_id: int,
    by_id: int | None,
    status: str,
    *,
    line: int | None,
    reason: str,
    actor: str,
) -> bool:
    """Record that ``by_id`` changed ``target_id`` to ``status``; set the status; flag open tasks.

    Returns False when the link was known already (importing twice changes nothing).
    """
    if status not in STATUSES or status == IN_FORCE:
        raise InvalidInput(f"文件状态应为废止、失效或修订，而不是“{status}”")
    exists = conn.execute(
        sa.select(document_links.c.id).where(
            document_links.c.document_id == target_id,
            document_links.c.relation == status,
            document_links.c.by_document_id.is_(None)
            if by_id is None
            else document_links.c.by_document_id == by_id,
        )
    ).first()
    if exists:
        return False
    row = {
        "document_id": target_id,
        "by_document_id": by_id,
        "relation": status,
        "line": line,
        "reason": reason,
    }
    link_id = conn.execute(document_links.insert().values(**row)).inserted_primary_key[0]
    record_change(conn, actor=actor, action="create", entity="document_link", entity_id=link_id, after=row)
    current = conn.execute(
        sa.select(documents.c.status, documents.c.status_reason).where(documents.c.id == target_id)
    ).one()
    if current.status != status:
        after = {"status": status, "status_reason": reason}
        conn.execute(documents.update().where(documents.c.id == target_id).values(**after))
        record_change(
            conn,
            actor=actor,
            action="update",
            entity="document",
            entity_id=target_id,
            before={"status": current.status, "status_reason": current.status_reason},
            after=after,
        )
    flag_open_tasks(conn, target_id, status, reason, line, actor)
    return True


def store_registry(
    conn: Connection, normative: tuple[NormativeDocument, ...], links: tuple[StatusLink, ...], *, actor: str
) -> list[str]:
    """Store normative documents and status links; returns the numbers whose status changed."""
    numbers = {item.doc_number for item in normative}
    numbers.update(n for link in links for n in (link.doc_number, link.by) if n)
    known = _documents_numbered(conn, numbers)
    for item in normative:
        doc_id = _document_id(conn, item.doc_number, item.title, item.line, actor, known)
        _mark_normative(conn, doc_id, item.reason, item.line, actor)
    marked: list[str] = []
    for link in links:
        if link.doc_number is None:
            continue  # a revision known only by title stays in the extraction for a reviewer
        target = _document_id(conn, link.doc_number, link.title, link.line, actor, known)
        by = _document_id(conn, link.by, None, None, actor, known) if link.by else None
        link_documents(conn, target, by, link.status, line=link.line, reason=link.reason, actor=actor)
        marked.append(link.doc_number)
    # several decisions of one input may change the same document: it is named once, in first-seen order
    return list(dict.fromkeys(marked))


def find_document(conn: Connection, document: str | int) -> int:
    """The id of a document given by id or 发文字号.

    Raises:
        NotFound: no such document (said in Chinese, naming what was asked for).
    """
    try:
        return resolve_document(conn, document)
    except NotFound:
        raise NotFound(f"没有文号或编号为“{document}”的文件") from None


# Reading ---------------------------------------------------------------------------------------


def _year(row: Any) -> int | None:
    if row.signed_on:
        return int(row.signed_on.year)
    match = _YEAR.search(row.doc_number or "")
    return int(match.group(1)) if match else None


def _links(conn: Connection) -> tuple[dict[int, list[dict[str, Any]]], dict[int, list[dict[str, Any]]]]:
    """Links by target (changed_by) and by the changing document (changes)."""
    other = documents.alias("other")
    by = documents.alias("by_doc")
    query = (
        sa.select(
            document_links,
            other.c.doc_number.label("target_number"),
            other.c.title.label("target_title"),
            by.c.doc_number.label("by_number"),
            by.c.title.label("by_title"),
        )
        .join(other, other.c.id == document_links.c.document_id)
        .outerjoin(by, by.c.id == document_links.c.by_document_id)
        .order_by(document_links.c.id)
    )
    changed_by: dict[int, list[dict[str, Any]]] = {}
    changes: dict[int, list[dict[str, Any]]] = {}
    for r in conn.execute(query):
        changed_by.setdefault(r.document_id, []).append(
            {
                "relation": r.relation,
                "document_id": r.by_document_id,
                "doc_number": r.by_number,
                "title": r.by_title,
                "line": r.line,
                "reason": r.reason,
            }
        )
        if r.by_document_id is not None:
            changes.setdefault(r.by_document_id, []).append(
                {
                    "relation": r.relation,
                    "document_id": r.document_id,
                    "doc_number": r.target_number,
                    "title": r.target_title,
                    "line": r.line,
                    "reason": r.reason,
                }
            )
    return changed_by, changes


def list_registry(
    conn: Connection, *, status: str | None = None, year: int | None = None
) -> list[dict[str, Any]]:
    """Every normative document with status, reason, links both ways and open tasks, newest first."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"状态应为{'、'.join(STATUSES)}之一，而不是“{status}”")
    open_tasks = (
        sa.select(sa.func.count())
        .where(tasks.c.document_id == documents.c.id, tasks.c.status != DONE)
        .scalar_subquery()
    )
    query = sa.select(
        documents.c.id,
        documents.c.doc_number,
        documents.c.title,
        documents.c.signed_on,
        documents.c.status,
        documents.c.status_reason,
        documents.c.is_public,
        documents.c.issue_id,
        normative_documents.c.reason,
        open_tasks.label("open_tasks"),
    ).join(normative_documents, normative_documents.c.document_id == documents.c.id)
    if status:
        query = query.where(documents.c.status == status)
    changed_by, changes = _links(conn)
    found = []
    for row in conn.execute(query):
        if year is not None and _year(row) != year:
            continue
        found.append(
            {
                "id": row.id,
                "doc_number": row.doc_number,
                "title": row.title,
                "signed_on": row.signed_on,
                "year": _year(row),
                "status": row.status,
                "status_reason": row.status_reason,
                "normative_reason": row.reason,
                "has_text": row.issue_id is not None,
                "is_public": bool(row.is_public),
                "open_tasks": int(row.open_tasks or 0),
                "changed_by": changed_by.get(row.id, []),
                "changes": changes.get(row.id, []),
            }
        )
    return sorted(found, key=lambda r: (-(r["year"] or 0), r["doc_number"] or ""))


def registry_entry(conn: Connection, document: str | int) -> dict[str, Any]:
    """One document's registry entry (any document, normative or not), with its links.

    Raises:
        NotFound: no such document.
    """
    doc_id = find_document(conn, document)
    row = conn.execute(
        sa.select(documents, normative_documents.c.reason.label("normative_reason"))
        .outerjoin(normative_documents, normative_documents.c.document_id == documents.c.id)
        .where(documents.c.id == doc_id)
    ).first()
    if row is None:
        raise NotFound(f"没有编号为 {document} 的文件")
    changed_by, changes = _links(conn)
    return {
        "id": row.id,
        "doc_number": row.doc_number,
        "title": row.title,
        "status": row.status,
        "status_reason": row.status_reason,
        "normative_reason": row.normative_reason,
        "changed_by": changed_by.get(row.id, []),
        "changes": changes.get(row.id, []),
    }


def change_status(
    conn: Connection,
    actor: str,
    document: str | int,
    status: str,
    *,
    by: str | None = None,
    reason: str = "",
    today: date | None = None,
) -> dict[str, Any]:
    """The office records a status change by hand (a document expired: 失效), linked to ``by`` if given.

    Raises:
        NotFound: either document is unknown.
        InvalidInput: an unknown status, or no reason for a change without a document.
    """
    target = find_document(conn, document)
    by_id = find_document(conn, by) if by else None
    if not by_id and not reason.strip():
        raise InvalidInput("未指明依据文件时须填写理由")
    text = reason.strip() or f"{by}决定{status}"
    link_documents(conn, target, by_id, status, line=None, reason=text, actor=actor)
    _mark_normative(conn, target, "人工认定", None, actor)
    return registry_entry(conn, target)


def mark_normative(conn: Connection, actor: str, document: str | int, reason: str = "人工认定") -> None:
    """The office adds a document to the registry by hand."""
    _mark_normative(conn, find_document(conn, document), reason or "人工认定", None, actor)
