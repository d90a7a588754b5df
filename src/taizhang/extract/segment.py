"""Segmentation: the documents of a file, and a document for text that has no header.

A plan saved on its own (an enclosure, a page of a government website) has no 发文字号: the whole
file is then one document, titled by its first title-like line (or the file name), its missing
fields left empty and a ``no_header`` review item saying so. Text before the first recognised
document (after an issue header) that holds numbered, assigned items is such a document too.
Nothing is dropped: every non-blank line after the issue header belongs to some document.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePath

from .documents import document_at, parse_documents
from .grammar import count_assignment_phrases
from .headers import Header, title_run_on_body
from .model import Document, Flag, Issue
from .outline import MARKER
from .spans import SourceText, Span
from .titles import could_be_title_line, is_organ_line, is_page_number, join_title, type_of_title

_TITLE_SCAN = 6  # a plan's title stands among its first few non-blank lines
_TITLE_LENGTH = (6, 80)


def segment(source: SourceText, issue: Issue | None) -> list[Document]:
    """Every document of ``source`` in order, one without a header included.

    Guarantees: spans do not overlap; a file with any text yields at least one document.
    """
    documents = parse_documents(source, issue)
    start = issue.span.end + 1 if issue and issue.span else 1
    end = documents[0].span.start - 1 if documents else len(source)
    lead = _headerless(source, start, end, issue, alone=not documents)
    return [lead, *documents] if lead else documents


def _headerless(
    source: SourceText, start: int, end: int, issue: Issue | None, *, alone: bool
) -> Document | None:
    """A document for lines ``start``..``end`` that no header claims, or None when they hold none."""
    if end < start:
        return None
    numbered = [(n, t) for n, t in source.numbered(Span(start, end)) if t.strip() and not is_page_number(t)]
    if not numbered:
        return None
    text = "\n".join(t for _, t in numbered)
    if not alone and not (
        count_assignment_phrases(text) and any(MARKER.match(t.strip()) for _, t in numbered)
    ):
        return None
    title_line = _title_line(numbered)
    first = title_line or numbered[0][0]
    run_on = None if title_line else title_run_on_body(source.line(first))
    if run_on:
        # a title running on into its body on one line: the body starts after it
        title_line = first
        header = Header(first, (first,), first, None, run_on[0], False, first, run_on[1])
    elif title_line:
        lines = _title_block(numbered, title_line)
        first = lines[0]
        title = join_title([source.line(n) for n in lines])
        header = Header(first, lines, first, None, title, False, lines[-1] + 1)
    else:
        header = Header(first, (), first, None, PurePath(source.name).stem, False, first)
    document = document_at(source, header, numbered[-1][0], issue)
    message = f"未找到公文版头（发文字号、标题、发文机关），第{first}行起按一份文件读取，标题取自" + (
        f"第{title_line}行" if title_line else "文件名"
    )
    # the header's missing parts are said once, by no_header; other findings (附件 lists) stay
    kept = tuple(
        f for f in document.flags if f.kind not in ("missing_field", "uncertain_title", "contents_mismatch")
    )
    return replace(document, flags=(Flag("no_header", first, message, None), *kept))


def _title_block(numbered: list[tuple[int, str]], title_line: int) -> tuple[int, ...]:
    """The lines of a title found at ``title_line``: with the issuer line printed above it
    ('某市人民政府办公室' / '关于…的实施意见') and a second line it wraps onto ('…的' / '实施意见')."""
    texts = dict(numbered)
    order = [n for n, _ in numbered]
    at = order.index(title_line)
    lines = [title_line]
    above = order[at - 1] if at else None
    if (
        above is not None
        and is_organ_line(texts[above].strip())
        and texts[title_line].strip().startswith("关于")
    ):
        lines.insert(0, above)
    below = order[at + 1] if at + 1 < len(order) else None
    if below is not None and type_of_title(texts[title_line].strip(), None) is None:
        following = texts[below].strip()
        if could_be_title_line(following) and not MARKER.match(following) and type_of_title(following, None):
            lines.append(below)
    return tuple(lines)


def _title_line(numbered: list[tuple[int, str]]) -> int | None:
    """The first title-like line among the first few, before the body begins."""
    for number, text in numbered[:_TITLE_SCAN]:
        stripped = text.strip()
        if "。" in stripped or MARKER.match(stripped):
            return None  # the body has begun
        low, high = _TITLE_LENGTH
        if could_be_title_line(stripped) and low <= len(stripped) <= high and not is_organ_line(stripped):
            return number  # (an issuer line of its own, '国务院办公厅', is no title)
    return None
