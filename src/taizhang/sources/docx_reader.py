"""DOCX → text lines: paragraphs as lines, each table row as one line of tab-separated cells.

A cell's paragraphs are joined with a space (a unit per paragraph stays a list the unit splitter
reads). A cell merged over several columns (``gridSpan``) or rows (``vMerge``) holds its text in
its first position and leaves the others empty, as a PDF's table finder gives it, so the same
table reads the same from either file.

Guarantees: the body is read in document order; every table row is one line; a blank line
follows every paragraph and every table.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from ..errors import SourceError


def read_docx(name: str, data: bytes) -> str:
    """Paragraphs and table rows of a DOCX; table cells are joined by tabs, as in the gazette text."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SourceError(name, f"DOCX 文件已损坏（{exc.__class__.__name__}）") from exc
    except Exception as exc:  # python-docx wraps lxml and zip errors in several types
        raise SourceError(name, f"DOCX 文件已损坏（{exc.__class__.__name__}：{exc}）") from exc
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_paragraph_text(child))
            lines.append("")
        elif tag == "tbl":
            lines.extend(_table_rows(child))
            lines.append("")
    return "\n".join(lines)


def _paragraph_text(paragraph: Any, breaks: str = "") -> str:
    """The text of a paragraph's runs; a line break or tab inside it becomes ``breaks``."""
    parts: list[str] = []
    for element in paragraph.iter():
        if element.tag.endswith("}t"):
            parts.append(element.text or "")
        elif element.tag.endswith(("}br", "}cr", "}tab")) and breaks:
            parts.append(breaks)
    return "".join(parts)


def _table_rows(table: Any) -> list[str]:
    """Each row of a table as tab-separated cells, merged cells empty after their first position."""
    rows: list[str] = []
    for tr in table.iterchildren():
        if not tr.tag.endswith("}tr"):
            continue
        cells: list[str] = [""] * _grid_before(tr)
        for tc in tr.iterchildren():
            if not tc.tag.endswith("}tc"):
                continue
            text = "" if _continues_merge(tc) else _cell_text(tc)
            cells.append(text)
            cells.extend([""] * (_grid_span(tc) - 1))
        rows.append("\t".join(cells))
    return rows


def _cell_text(tc: Any) -> str:
    """The cell's paragraphs joined with a space; tabs and line breaks inside become spaces."""
    paragraphs = (_paragraph_text(p, " ") for p in tc.iter() if p.tag.endswith("}p"))
    return " ".join(" ".join(text.split()) for text in paragraphs if text.strip())


def _property(element: Any, name: str) -> Any:
    """A child of the element's property block (w:tcPr or w:trPr) by local name, or None."""
    for props in element.iterchildren():
        if props.tag.endswith(("}tcPr", "}trPr")):
            for child in props.iterchildren():
                if child.tag.endswith("}" + name):
                    return child
    return None


def _value(element: Any) -> str | None:
    return (
        next((v for k, v in element.attrib.items() if k.endswith("}val")), None)
        if element is not None
        else None
    )


def _grid_span(tc: Any) -> int:
    value = _value(_property(tc, "gridSpan"))
    return int(value) if value and value.isdigit() else 1


def _grid_before(tr: Any) -> int:
    value = _value(_property(tr, "gridBefore"))
    return int(value) if value and value.isdigit() else 0


def _continues_merge(tc: Any) -> bool:
    """True for a cell under the first of a vertical merge (vMerge without val="restart")."""
    merge = _property(tc, "vMerge")
    return merge is not None and _value(merge) in (None, "continue")
