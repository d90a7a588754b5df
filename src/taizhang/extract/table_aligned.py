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
from bisect import bisect_right
from dataclasses import dataclass

from .cleanup import is_page_number
from .spans import SourceText
from .table_cells import display_width
from .table_columns import UNIT_KINDS, column_kind, is_header_row
from .table_rows import ROW_NUMBER, SECTION

# Cells are separated by two spaces or more, an ideographic space or a tab (a form feed opens the
# first line of a page); a piece is text with at most single spaces inside.
_TEXT = re.compile(r"[^ \u3000\t\f]+(?: [^ \u3000\t\f]+)*")
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
    if not wide:
        return [Piece(m.start(), m.end(), m.group()) for m in _TEXT.finditer(line)]
    out: list[Piece] = []
    position = cursor = 0
    for match in _TEXT.finditer(line):
        position += display_width(line[cursor : match.start()])
        start = position
        position += display_width(match.group())
        cursor = match.end()
        out.append(Piece(start, position, match.group()))
    return out


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
        if len(piece.text) <= 2 and not piece.text.isascii() and column_kind(piece.text) is None:
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
    by_count = {wide: [pieces(source.line(n), wide) for n in lines] for wide in (False, True)}
    columns = {wide: _columns(found) for wide, found in by_count.items()}
    wide = _score(by_count[True], columns[True]) < _score(by_count[False], columns[False])
    rows: list[Row] = []
    for number, found in zip(lines, by_count[wide], strict=True):
        numbered = bool(found) and ROW_NUMBER.match(found[0].text) is not None
        lenient = not numbered and (
            is_header_row(tuple(p.text for p in _join_spaced(found)))
            or (len(found) == 1 and SECTION.match(found[0].text) is not None)
        )
        cells = _cut(found, columns[wide], lenient=lenient)
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
        heading = (
            len(cut) == 1 and SECTION.match(cut[0].text) is not None
        )  # '一、优化营商环境' across the table
        if "\t" in text or (len(cut) == 1 and not heading and _running_text(cut[0], left, first_width)):
            break  # a tab table, or a line of running text starting at the margin
        if len(cut) == 1 and _sentence_at_margin(cut[0], left, first):
            break  # a sentence after the table, starting under its 序号 column
        if page_break and not _resumes(cut, first):
            break
        blank, page_break = 0, False
        found.append(number)
    return found


def _running_text(piece: Piece, left: int, first_width: int) -> bool:
    """True for a lone piece left of the table, or starting at its margin and running past the first column."""
    return piece.start < left - 2 or (piece.start <= left + 2 and piece.end - left > first_width + 2)


def _sentence_at_margin(piece: Piece, left: int, header: list[Piece]) -> bool:
    """True for a sentence starting at the table's margin when the first column is 序号: no 序号
    cell ends with a full stop."""
    numbered = bool(header) and column_kind(header[0].text) == "number"
    return numbered and piece.start <= left and piece.text.endswith("。")


def _resumes(cut: list[Piece], header: list[Piece]) -> bool:
    """After a page break a table goes on with its header repeated or a numbered row."""
    if [p.text for p in cut] == [p.text for p in header] or is_header_row(tuple(p.text for p in cut)):
        return True
    return bool(cut) and ROW_NUMBER.match(cut[0].text) is not None


def _score(lines: list[list[Piece]], columns: list[int]) -> tuple[int, int]:
    """How badly a count of positions lines the body up under the header: pieces across a
    boundary, then how far pieces start from their column's start (lower is better)."""
    misses = sum(_cut(found, columns, lenient=index == 0) is None for index, found in enumerate(lines))
    offset = sum(min(abs(p.start - start) for start in columns) for found in lines for p in found)
    return misses, offset


def _columns(lines: list[list[Piece]]) -> list[int]:
    """Left boundary of each column: the header words (the pieces of ``lines[0]``), moved left to
    where body text starts."""
    header = _join_spaced(lines[0])
    sub = next((s for s in (_sub_header(found) for found in lines[1:3]) if s), None)
    if sub:
        header = sorted(
            sub + [p for p in header if not any(_overlaps(p, s) for s in sub)], key=lambda p: p.start
        )
    starts = [p.start for p in header]
    for found in lines[1:]:
        for piece in found:
            for index in range(1, len(header)):
                if header[index - 1].end < piece.start < starts[index]:
                    starts[index] = piece.start
    starts[0] = min([starts[0], *(found[0].start for found in lines[1:] if found)])
    return starts


def _sub_header(line: list[Piece]) -> list[Piece] | None:
    """The column words of a second header row under merged cells ('号   牵头单位   配合单位'),
    where the rest of the line is short wrapped header fragments."""
    found = _join_spaced(line)
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
        index = bisect_right(starts, piece.start + _SLACK) - 1
        if index < 0:
            return None
        if not lenient and index + 1 < len(starts) and piece.end > starts[index + 1] + _SLACK:
            return None
        cells[index] = f"{cells[index]} {piece.text}".strip() if cells[index] else piece.text
    return tuple(cells)
