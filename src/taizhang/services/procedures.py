"""Store what ``extract.procedures`` reads, inside the import's transaction: the registry of
normative documents and its status links, decision catalogues, people and their posts, and the
consultation rules. Called by ``import_issue.store_extraction`` once documents and tasks are in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import Connection

from ..extract.extraction import Extraction
from ..extract.procedures import Procedures
from .consultations import store_rules
from .decisions import store_decisions
from .people import store_people
from .registry import store_registry


@dataclass
class ProceduresStored:
    """What was stored: new decision items, people, rules, and the documents whose status changed."""

    decisions: int = 0
    people: int = 0
    rules: int = 0
    status_changed: list[str] = field(default_factory=list)


def store_procedures(
    conn: Connection, extraction: Extraction, found: Procedures, doc_ids: dict[str | None, int], *, actor: str
) -> ProceduresStored:
    """Store the procedures the extraction read; ``doc_ids`` maps 发文字号 to stored ids."""
    stored = ProceduresStored()
    stored.status_changed = store_registry(conn, found.normative, found.status_links, actor=actor)
    stored.decisions = store_decisions(conn, found.decisions, doc_ids, actor=actor)
    spans = [(d.span, doc_ids.get(d.doc_number)) for d in extraction.documents]
    document_of = {
        p.line: doc_id
        for p in extraction.people
        for span, doc_id in spans
        if doc_id is not None and p.line in span
    }
    if extraction.people:
        stored.people = store_people(
            conn, extraction.people, found.posts, found.backup_pairs, document_of, actor=actor
        )
    stored.rules = store_rules(conn, found.consultation_rules, doc_ids, actor=actor)
    return stored
