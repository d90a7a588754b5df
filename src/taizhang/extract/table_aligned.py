"""Tables in text whose columns are aligned with spaces, as PDF-to-text tools print them.

    序号   重点任务              牵头单位       参加单位          完成时限
    1      推进政务服务“跨省     国务院办公厅   国家发展改革委、  2023年12月
           通办”，实现异地办事                  公安部            底前

Each printed line is cut into cells at the column boundaries read from the header line, so a
line holding only the wrapped rest of some cells keeps them in their columns. Tools differ in
how they count a Chinese character: one position (a PDF's character grid) or two (an editor's
display width); each table is read with whichever count lines its body up under its header.

What the next stage may rely on: :func:`read_aligned` returns one row of cells per printed line
of the table (header rows included, page-break blank lines and page numbers left out), each
with its source line, and stops at the first line that is not part of the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cleanup import is_page_number
from .spans import SourceText
from .table_cells import display_width
from .table_columns import UNIT_KINDS, column_kind, is_header_row
from .table_rows import SECTION

# Cells are separated by two spaces or more, or by an ideographic space.
_GAP = re.compile(r"(?: {2,}|\u3000+|\t)")
# Blank lines tolerated inside a table (a page break) before the table must resume.
_MAX_GAP = 6
# A piece may start this many positions left of its column or run this far into the next one.
_SLACK = 1


Row = tuple[int, tuple[str, ...]]  # (source line, cells)


@dataclass(frozen=True)
class Piece:
    """A run of text between gaps: its position (in the table's count) and its text."""

    start: int
    end: int
    text: str


def pieces(line: str, wide: bool) -> list[Piece]:
    """The pieces of a printed line; ``wide`` counts a Chinese character as two positions."""
    line = line.replace("\f", " ")  # a form feed opens the first line of a page
    out: list[Piece] = []
    position = 0
    cursor = 0
    for match in _GAP.finditer(line):
        position = _add(out, line[cursor : match.start()], position, wide)
        position += _width(match.group(), wide)
        cursor = match.end()
    _add(out, line[cursor:], position, wide)
    return out


def _add(out: list[Piece], text: str, position: int, wide: bool) -> int:
    stripped = text.strip(" ")
    if stripped:
        lead = len(text) - len(text.lstrip(" "))
        start = position + lead
        out.append(Piece(start, start + _width(stripped, wide), stripped))
    return position + _width(text, wide)


def _width(text: str, wide: bool) -> int:
    return display_width(text) if wide else len(text)


def header_pieces(line: str, wide: bool = False) -> list[Piece] | None:
    """The pieces of a line that is an aligned task-table header, or None.

    Letter-spaced headers ('序  号', '完 成 时 限') are joined back into their words.
    """
    if "\t" in line or len(line) > 400:
        return None
    found = _join_spaced(pieces(line, wide))
    if len(found) < 3 or not is_header_row(tuple(p.text for p in found)):
        return None
    kinds = {column_kind(p.text) for p in found}
    return found if kinds & {*UNIT_KINDS, "deadline"} else None


def _join_spaced(found: list[Piece]) -> list[Piece]:
    """Join runs of one- and two-character pieces that spell a column word together."""
    out: list[Piece] = []
    index = 0
    while index < len(found):
        piece = found[index]
        if column_kind(piece.text) is None and len(piece.text) <= 2:
            for stop in range(min(len(found), index + 6), index + 1, -1):
                run = found[index:stop]
                word = "".join(p.text for p in run)
                if all(len(p.text) <= 2 for p in run) and column_kind(word):
                    piece = Piece(run[0].start, run[-1].end, word)
                    index = stop - 1
                    break
        out.append(piece)
        index += 1
    return out


def read_aligned(source: SourceText, header_line: int, last: int) -> tuple[list[Row], int | None]:
    """Rows of cells, one per printed line, of the aligned table whose header is ``header_line``,
    and the line where a cell ran across a column boundary (None when every line was cut).

    ``last`` is the last line the table may reach (the end of its document).
    """
    lines = _table_lines(source, header_line, last)
    wide = _better_count(source, header_line, lines)
    columns = _columns(source, header_line, lines, wide)
    rows: list[Row] = []
    for number in lines:
        found = pieces(source.line(number), wide)
        lenient = is_header_row(tuple(p.text for p in _join_spaced(found))) or (
            len(found) == 1 and SECTION.match(found[0].text) is not None
        )
        cells = _cut(found, columns, lenient=lenient)
        if cells is None:
            return rows, number
        rows.append((number, cells))
    return rows, None


def _table_lines(source: SourceText, header_line: int, last: int) -> list[int]:
    """The header line and the lines after it that may belong to its table (first pass).

    Layout-keeping exports put blank lines inside tall rows; a page break (a form feed or a page
    number) must be followed by the header printed again or a numbered row.
    """
    found = [header_line]
    first = header_pieces(source.line(header_line)) or []
    left = first[0].start if first else 0
    first_width = (first[1].start - left) if len(first) > 1 else 0
    blank = 0
    page_break = False
    for number in range(header_line + 1, last + 1):
        text = source.line(number).replace("\f", " ")
        if "\f" in source.line(number):
            page_break = True
        if not text.strip() or is_page_number(text):
            blank += 1
            page_break = page_break or bool(text.strip())
            if blank > _MAX_GAP:
                break
            continue
        cut = pieces(text, False)
        heading = len(cut) == 1 and SECTION.match(cut[0].text) is not None  # '一、优化营商环境' across the table
        if "\t" in text or (len(cut) == 1 and not heading and _running_text(cut[0], left, first_width)):
            break  # a tab table, or a line of running text starting at the margin
        if page_break and not _resumes(cut, first):
            break
        blank, page_break = 0, False
        found.append(number)
    return found


def _running_text(piece: Piece, left: int, first_width: int) -> bool:
    """True for a lone piece left of the table, or starting at its margin and running past the first column."""
    return piece.start < left - 2 or (piece.start <= left + 2 and piece.end - left > first_width + 2)


def _resumes(cut: list[Piece], header: list[Piece]) -> bool:
    """After a page break a table goes on with its header repeated or a numbered row."""
    if [p.text for p in cut] == [p.text for p in header] or is_header_row(tuple(p.text for p in cut)):
        return True
    return bool(cut) and re.match(r"^[(（]?\d{1,3}[)）.．、]?$", cut[0].text) is not None


def _better_count(source: SourceText, header_line: int, lines: list[int]) -> bool:
    """True when counting Chinese characters as two positions lines the body up better: fewer
    pieces across a boundary, then pieces starting closer to their column's start."""
    scores = []
    for wide in (False, True):
        columns = _columns(source, header_line, lines, wide)
        misses = 0
        offset = 0
        for number in lines:
            found = pieces(source.line(number), wide)
            misses += _cut(found, columns, lenient=number == header_line) is None
            offset += sum(min(abs(p.start - start) for start in columns) for p in found)
        scores.append((misses, offset))
    return scores[1] < scores[0]


def _columns(source: SourceText, header_line: int, lines: list[int], wide: bool) -> list[int]:
    """Left boundary of each column: the header words, moved left to where body text starts."""
    header = header_pieces(source.line(header_line), wide) or pieces(source.line(header_line), wide)
    sub = next((s for s in (_sub_header(source.line(n), wide) for n in lines[1:3]) if s), None)
    if sub:
        header = sorted(sub + [p for p in header if not any(_overlaps(p, s) for s in sub)], key=lambda p: p.start)
    starts = [p.start for p in header]
    for number in lines[1:]:
        for piece in pieces(source.line(number), wide):
            for index in range(1, len(header)):
                if header[index - 1].end < piece.start < starts[index]:
                    starts[index] = piece.start
    starts[0] = min([starts[0], *(p.start for n in lines[1:] for p in pieces(source.line(n), wide)[:1])])
    return starts


def _sub_header(line: str, wide: bool) -> list[Piece] | None:
    """The column words of a second header row under merged cells ('号   牵头单位   配合单位'),
    where the rest of the line is short wrapped header fragments."""
    found = _join_spaced(pieces(line, wide))
    named = [p for p in found if column_kind(p.text)]
    if named and all(len(p.text) <= 3 for p in found if p not in named):
        return named
    return None


def _overlaps(a: Piece, b: Piece) -> bool:
    return a.start < b.end and b.start < a.end


def _cut(found: list[Piece], starts: list[int], *, lenient: bool = False) -> tuple[str, ...] | None:
    """The cells of a line, or None when a piece runs across a column boundary.

    A header cell may (``lenient``): '责任单位' printed over its two columns is a merged cell.
    """
    cells = [""] * len(starts)
    for piece in found:
        index = max((i for i, s in enumerate(starts) if s <= piece.start + _SLACK), default=None)
        if index is None:
            return None
        if not lenient and index + 1 < len(starts) and piece.end > starts[index + 1] + _SLACK:
            return None
        cells[index] = f"{cells[index]} {piece.text}".strip() if cells[index] else piece.text
    return tuple(cells)
