"""PDF → text lines, with tables read by pdfplumber's table finder, one line per table row.

Text outside tables comes out as the PDF prints it, one line per printed line. A ruled table is
found by its lines (pdfplumber ``find_tables``) and each of its rows becomes one line of cells
joined by tabs, the cell's printed lines joined back into one text (``extract.table_cells``), so
a row that wraps over several printed lines is one line here, as it is from a Word file. A cell
merged over several columns or rows holds its text in its first position and leaves the others
empty. A task table ruled only between rows, or not at all, is found by where its words line
up, from a header naming task columns down (see ``_unruled_task_tables``). Table rows and text
lines are put in the order they are printed down the page.

Guarantees: pages are joined by one blank line and the first line of each page is recorded,
so every row keeps its page; running heads, feet and page numbers are blank lines
(``extract.page_meta``); a page without a table otherwise reads exactly as pdfplumber's plain text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from ..errors import SourceError
from ..extract.page_meta import blank_page_furniture
from ..extract.table_cells import join_lines, wrap_width
from ..extract.table_columns import UNIT_KINDS, column_kind, is_header_row


@dataclass(frozen=True)
class PdfText:
    """The text of a PDF and the first line of each page (1-based)."""

    text: str
    page_starts: tuple[int, ...]


def read_pdf(name: str, data: bytes) -> PdfText:
    """Text of every page of a PDF, tables as tab-separated rows, pages joined by blank lines."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_page_lines(page) for page in pdf.pages]
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(name, f"PDF 文件已损坏（{exc.__class__.__name__}）") from exc
    except Exception as exc:  # pdfminer raises many private error types on damaged files
        raise SourceError(name, f"PDF 文件已损坏（{exc.__class__.__name__}：{exc}）") from exc
    if not any(line.strip() for lines in pages for line in lines):
        raise SourceError(name, f"PDF 没有文字层（{len(pages)} 页可能都是图片）：请先做文字识别（OCR）")
    starts: list[int] = []
    out: list[str] = []
    for lines in pages:
        if out:
            out.append("")  # the blank line between two pages
        starts.append(len(out) + 1)
        out.extend(lines)
    return PdfText("\n".join(blank_page_furniture(out, tuple(starts))), tuple(starts))


def _page_lines(page: Any) -> list[str]:
    """The lines of one page: text lines and table rows, top to bottom."""
    # A framed text box is found as a table of one column: it is text, not a table.
    tables = [t for t in page.find_tables() if max((len(r.cells) for r in t.rows), default=0) > 1]
    plain = str(page.extract_text() or "").split("\n") if not tables else []
    if not tables and any(_task_header(line.split()) for line in plain):
        tables = _unruled_task_tables(page)
    if not tables:
        return plain
    placed: list[tuple[float, int, str]] = []
    for table in tables:
        for top, row in zip((r.bbox[1] for r in table.rows), _rows(table), strict=True):
            placed.append((top, len(placed), row))
    boxes = [t.bbox for t in tables]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    for line in outside.extract_text_lines():
        placed.append((float(line["top"]), len(placed), str(line["text"])))
    placed.sort()
    return [text for _, _, text in placed]


def _unruled_task_tables(page: Any) -> list[Any]:
    """Task tables printed without vertical rules, found by where their words line up.

    A table ruled only across (rows between rules) or not at all escapes the ruled-table finder.
    The text finder sees any run of aligned words as a table, so only one whose first rows name
    task columns (序号 | 重点任务 | 牵头单位 …) is taken, from its header down. Where rules separate
    the rows they are followed, each row whole; without them every printed line is a row of its
    own and the table reader joins the lines of each row.
    """
    found = []
    for table in page.find_tables({"vertical_strategy": "text", "horizontal_strategy": "text"}):
        grid = table.extract()
        header = next((i for i, row in enumerate(grid) if _task_header(row)), None)
        if header is None:
            continue
        top = table.rows[header].bbox[1]
        edges = sorted(
            {round(cell[0], 1) for row in table.rows for cell in row.cells if cell} | {table.bbox[2]}
        )
        ruled = page.find_tables(
            {
                "vertical_strategy": "explicit",
                "explicit_vertical_lines": edges,
                "horizontal_strategy": "lines",
            }
        )
        whole = [
            t
            for t in ruled
            if len(t.rows) > 1 and t.bbox[1] <= top < t.rows[1].bbox[1] and _task_header(t.extract()[0])
        ]
        found.extend(whole[:1] or [_TextTable(table, header)])
    return found


def _task_header(row: list[str] | list[str | None]) -> bool:
    cells = tuple((c or "").replace("\n", "") for c in row)
    return is_header_row(cells) and bool({column_kind(c) for c in cells} & {*UNIT_KINDS, "deadline"})


class _TextTable:
    """A table of the text finder from its header row down: each printed line one row."""

    def __init__(self, table: Any, header: int) -> None:
        kept = [(row, cells) for row, cells in zip(table.rows, table.extract(), strict=True)][header:]
        kept = [(row, cells) for row, cells in kept if any(cells)]  # the finder's rows of gaps
        self.rows = [row for row, _ in kept]
        self._grid = [[c or "" for c in cells] for _, cells in kept]
        self.bbox = (table.bbox[0], self.rows[0].bbox[1], table.bbox[2], table.bbox[3])

    def extract(self) -> list[list[str | None]]:
        return [list(row) for row in self._grid]


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    """True when a character's centre lies inside one of the table boxes."""
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _rows(table: Any) -> list[str]:
    """Each row of a found table as one line of tab-separated cells."""
    grid: list[list[str | None]] = table.extract()
    width = max((len(r) for r in grid), default=0)
    lines = [[_lines(c) for c in row] + [[]] * (width - len(row)) for row in grid]
    widths = []
    for column in range(width):
        # A cell merged over the next column is wider than its column: it says nothing of the width.
        alone = [
            row[column] for row, cells in zip(lines, grid, strict=True) if not _spans_right(cells, column)
        ]
        widths.append(wrap_width(alone))
    return [
        "\t".join(join_lines(cell, widths[i]).replace("\t", " ") for i, cell in enumerate(row))
        for row in lines
    ]


def _lines(cell: str | None) -> list[str]:
    return [line for line in (cell or "").split("\n") if line.strip()]


def _spans_right(cells: list[str | None], column: int) -> bool:
    return column + 1 < len(cells) and cells[column + 1] is None
