"""Where each document of a source lies, for the stages that read document by document."""

from __future__ import annotations

from collections.abc import Sequence

from .model import Document
from .spans import SourceText, Span


def document_spans(source: SourceText, documents: Sequence[Document]) -> list[tuple[str | None, Span]]:
    """(doc_number, span) of each document; the whole source as one unnamed document when none are known."""
    if not documents:
        return [(None, Span(1, max(1, len(source))))]
    return [(d.doc_number, d.span) for d in documents]
