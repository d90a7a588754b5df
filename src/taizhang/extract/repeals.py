"""Decisions that repeal documents (废止) or declare them void (失效): which ones, with their titles."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Document
from .spans import SourceText


@dataclass(frozen=True)
class Repeal:
    """A document a decision repeals (废止) or declares void (失效), with the line listing it."""

    doc_number: str
    title: str
    status: str
    reason: str
    line: int


# 〔2005〕 as printed in tables: [2005], (2005), （2005） or with spaces inside
_YEAR_BRACKETS = re.compile(r"[\[［(（〔]\s*(\d{4})\s*[\]］)）〕]")
_BOOK_TITLE = re.compile(r"《(?P<title>[^《》]+(?:《[^《》]*》[^《》]*)*)》")


def repeal_status(title: str) -> str | None:
    """废止 for a decision to repeal documents, 失效 for one declaring them void, else None."""
    if "废止" in title:
        return "废止"
    if "失效" in title:
        return "失效"
    return None


def _normalise_numbers(text: str) -> str:
    return _YEAR_BRACKETS.sub(r"〔\1〕", text.replace(" ", "").replace("\u3000", ""))


def _title_from_line(text: str, number: str) -> str | None:
    cells = [c.strip() for c in text.split("\t")]
    if len(cells) > 1:
        named = [c for c in cells if number not in _normalise_numbers(c) and not c.isdigit() and c]
        titled = [c for c in named if c.startswith("《")] or named
        if titled:
            cell = titled[0]
            return cell[1:-1] if cell.startswith("《") and cell.endswith("》") else cell
    before = _normalise_numbers(text).split(number)[0]
    found = list(_BOOK_TITLE.finditer(before))
    return found[-1].group("title") if found else None


def repealed_documents(source: SourceText, doc: Document) -> list[Repeal]:
    """The cited documents a repeal decision lists: in its attachment table, or in a sentence saying 废止.

    A number cited only in passing (the legal basis of the decision) is not marked.
    """
    status = repeal_status(doc.title)
    if status is None:
        return []
    reason = f"{doc.doc_number or ''}《{doc.title}》决定{status}"
    found: list[Repeal] = []
    # each line's numbers normalised once, not once for every number the document cites
    lines = [(line, text, _normalise_numbers(text)) for line, text in source.numbered(doc.span)]
    for number in doc.cited_doc_numbers:
        if number == doc.doc_number:
            continue
        for line, text, normalised in lines:
            if number in normalised and ("\t" in text or status in text):
                title = _title_from_line(text, number) or number
                found.append(Repeal(number, title, status, reason, line))
                break
    return found
