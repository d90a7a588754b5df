"""Documents repeated inside one input: the first copy is read, later copies are set aside.

A collection or an export concatenated by hand can hold the same document many times. A later
document is a copy when its text (its non-blank lines, stripped) equals an earlier document's,
or when both carry the same 发文字号 and title and one text begins with the whole of the other
(the last document of a repeated issue runs on into the back matter printed after it). A copy is
dropped from the documents and its lines are blanked before the later stages run, so they
neither read it again nor store it twice; line numbers do not move. Each copy set aside is
reported as a ``Flag`` of kind ``repeated_document`` naming its line and the first copy's line.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Document, Flag
from .spans import SourceText

REPEATED = "repeated_document"


def _text(source: SourceText, document: Document) -> tuple[str, ...]:
    # stripped and the blank ones dropped by builtins: this runs over every line of the source
    return tuple(filter(None, map(str.strip, source.lines[document.span.start - 1 : document.span.end])))


def _first_copy(text: tuple[str, ...], earlier: list[tuple[Document, tuple[str, ...]]]) -> Document | None:
    for document, other in earlier:
        shorter, longer = sorted((text, other), key=len)
        if longer[: len(shorter)] == shorter:
            return document
    return None


def set_aside_repeats(
    source: SourceText, documents: Sequence[Document]
) -> tuple[SourceText, list[Document], list[Flag]]:
    """The source with repeated documents blanked, the documents read once, and a flag per copy set aside."""
    by_text: dict[tuple[str, ...], Document] = {}
    by_name: dict[tuple[str | None, str], list[tuple[Document, tuple[str, ...]]]] = {}
    kept: list[Document] = []
    flags: list[Flag] = []
    lines: list[str] | None = None
    for document in documents:
        text = _text(source, document)
        named = by_name.setdefault((document.doc_number, document.title), []) if document.doc_number else []
        original = by_text.get(text) or _first_copy(text, named)
        if original is None:
            by_text[text] = document
            named.append((document, text))
            kept.append(document)
            continue
        name = document.doc_number or document.title or "无标题文件"
        message = (
            f"第 {document.span.start} 行起的《{name}》与第 {original.span.start} 行起的文件相同，只读取一次"
        )
        flags.append(Flag(REPEATED, document.span.start, message, document.doc_number))
        lines = lines if lines is not None else list(source.lines)
        lines[document.span.start - 1 : document.span.end] = [""] * (
            document.span.end - document.span.start + 1
        )
    if lines is None:
        return source, kept, flags
    return SourceText(source.name, tuple(lines), source.page_starts), kept, flags
