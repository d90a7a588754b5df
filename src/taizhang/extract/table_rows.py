"""Printed table lines → tables of whole rows: header read, page-break repeats skipped, wraps joined.

A row whose cells are longer than their columns is printed over several lines; text and PDF
exports give each printed line separately, with the cells that have nothing left empty:

    1   推进政务服务“跨省   国务院办公厅   国家发展改革委、   2023年12月
        通办”                              公安部             底前

Such lines are joined into the row they continue. A row opens where its 序号 cell is filled; a
table without a 序号 column opens a row where a line fills a cell the line above left empty, or
starts a new deadline. A header printed again after a page break is skipped, and a row cut by
the page break goes on after it.

What the next stage may rely on: every :class:`TableRow` spans the source lines it was printed
on and holds one joined text per column; a line is in at most one row; nothing printed is
dropped (a line that fits no column is reported as a :class:`Problem` with its line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .spans import Span
from .table_cells import SHORT_BY, display_width, join_lines, wrap_width
from .table_centred import CUT_COST, looks_centred, row_starts
from .table_columns import Columns, column_kind, exact_kind, is_header_row, read_header

PhysicalRow = tuple[int, tuple[str, ...]]  # (source line, cells as printed)

# A row number as printed in a 序号 cell: 1, 1., (1), 1、
ROW_NUMBER = re.compile(r"^\s*[(（]?\d{1,4}[)）.．、]?\s*$")
# A heading row inside a table ('一、优化营商环境' across all columns): ends the row above.
SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）])")
# A deadline cell that starts a new deadline rather than continuing one ('底前' continues '2023年12月').
_DEADLINE_START = re.compile(
    r"^\s*(?:\d|[一二三四五六七八九十]+月|长期|持续|常态|立即|立行|每|全年|年内|按|分阶段|定期|随时)"
)
# How a complete deadline ends: 2023年6月底前, 长期坚持, 每季度, 2023年9月.
_DEADLINE_END = re.compile(
    r"(?:前|底|止|完成|坚持|推进|持续|长期|常态化|每年|每月|季度|年内|全年|[月日号])\s*$"
)
_TOTAL = re.compile(r"^(?:合计|总计|小计|共计)$")
# Title rows above a header are one cell wide (a merged title cell); at most this many are skipped.
_TITLE_ROWS = 3


@dataclass(frozen=True)
class TableRow:
    """One row of a table: a joined text per column and the source lines it was printed on."""

    cells: tuple[str, ...]
    span: Span

    @property
    def line(self) -> int:
        """The line the row starts on."""
        return self.span.start

    def cell(self, index: int | None) -> str:
        """The text of column ``index``, "" when there is none."""
        return self.cells[index] if index is not None and index < len(self.cells) else ""


@dataclass(frozen=True)
class ReadTable:
    """A table: what its columns hold, the line of its header, its rows."""

    columns: Columns
    header_line: int
    rows: tuple[TableRow, ...]
    end: int  # the last source line of the table

    @property
    def span(self) -> Span:
        """Header to last row."""
        return Span(self.header_line, max(self.header_line, self.end))


@dataclass(frozen=True)
class Problem:
    """A table, or a line of one, that could not be read: where, and why (in words for a reviewer)."""

    line: int
    message: str


@dataclass
class _Row:
    """A row being joined: the printed lines of each cell."""

    first: int
    last: int
    lines: list[list[str]]

    def add(self, number: int, cells: tuple[str, ...]) -> None:
        for index, text in enumerate(cells[: len(self.lines)]):
            if text.strip():
                self.lines[index].append(text.strip())
        self.last = number


@dataclass
class _Table:
    """A table being read."""

    header: list[tuple[str, ...]]
    header_line: int
    columns: Columns
    rows: list[_Row] = field(default_factory=list)
    previous: tuple[str, ...] = ()  # the last printed line added
    end: int = 0
    header_open: bool = True  # still reading header rows
    widest: list[int] = field(default_factory=list)  # the widest printed line of each column
    problems: list[Problem] = field(default_factory=list)
    printed: list[PhysicalRow] = field(default_factory=list)  # the body lines fed, as cut
    carried: bool = False  # reopened after a page header: its first rows were read before

    def __post_init__(self) -> None:
        self.widest = [0] * len(self.columns.kinds)


def assemble(
    physical: list[PhysicalRow], carry: ReadTable | None = None
) -> tuple[list[ReadTable], list[Problem]]:
    """The tables of a run of printed table lines, and the lines of task tables that fit no column.

    ``carry`` is a table the lines may continue when they start without a header (a page header
    printed between two parts of one table). Lines before the first header (a title row) are
    not part of any table.
    """
    tables: list[ReadTable] = []
    problems: list[Problem] = []
    current = _resume(carry) if carry is not None else None
    for number, cells in physical:
        names_columns = is_header_row(cells)
        if current is not None and _repeats_header(cells, names_columns, current):
            current.end = number
        elif current is not None and current.header_open and _continues_header(cells, current.header):
            current.header = _add_to_header(current.header, cells)
            current.columns = read_header(current.header)
            current.widest = [0] * len(current.columns.kinds)
            current.end = number
        elif names_columns:
            if current is not None:
                tables.append(_finish(current, problems))
            current = _Table([cells], number, read_header([cells]), end=number)
        elif current is not None:
            current.header_open = False
            if current.columns.verdict() == "tasks":
                _feed(current, number, cells)
            current.end = number
    if current is not None:
        tables.append(_finish(current, problems))
    return tables, problems


def _resume(table: ReadTable) -> _Table:
    """A finished table reopened to take more rows."""
    rows = [_Row(r.span.start, r.span.end, [[c] if c else [] for c in r.cells]) for r in table.rows]
    reopened = _Table(list(table.columns.header), table.header_line, table.columns, rows, end=table.end)
    reopened.header_open = False
    reopened.carried = True
    return reopened


def _repeats_header(cells: tuple[str, ...], names_columns: bool, table: _Table) -> bool:
    """True for a header row printed again after a page break (``names_columns``: the row names columns)."""
    if table.header_open:
        return False
    squeezed = _squeeze(cells)
    return any(squeezed == _squeeze(row) for row in table.header) or (
        names_columns and read_header([cells]).kinds == read_header([table.header[-1]]).kinds
    )


def _squeeze(cells: tuple[str, ...]) -> tuple[str, ...]:
    """Cells without spaces and without trailing empty cells, to compare rows as printed."""
    out = ["".join(c.split()) for c in cells]
    while out and not out[-1]:
        out.pop()
    return tuple(out)


def _continues_header(cells: tuple[str, ...], header: list[tuple[str, ...]]) -> bool:
    """True for a line that goes on with the header: a second header row naming the columns under
    a merged cell ('牵头单位 | 配合单位'), or the wrapped rest of header words ('序' / '号')."""
    filled = [(i, c.strip()) for i, c in enumerate(cells) if c.strip()]
    return bool(filled) and all(column_kind(c) or _completes(header, i, c) for i, c in filled)


def _completes(header: list[tuple[str, ...]], column: int, fragment: str) -> bool:
    """True when ``fragment`` is the wrapped rest of the header word above it in ``column``."""
    above = _lowest(header, column)
    if above is None:
        return False
    return (
        fragment.startswith(("(", "（")) or exact_kind(header[above][column].strip() + fragment) is not None
    )


def _lowest(header: list[tuple[str, ...]], column: int) -> int | None:
    """The lowest header row with text in ``column``."""
    for index in range(len(header) - 1, -1, -1):
        if column < len(header[index]) and header[index][column].strip():
            return index
    return None


def _add_to_header(header: list[tuple[str, ...]], cells: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The header with a continuing line added: fragments joined to the words above, names as a new row."""
    rows = [list(r) for r in header]
    new = [""] * len(cells)
    for index, text in enumerate(cells):
        text = text.strip()
        if not text:
            continue
        above = _lowest(header, index)
        if above is not None and _completes(header, index, text) and exact_kind(text) is None:
            rows[above][index] = rows[above][index].strip() + text
        else:
            new[index] = text
    out = [tuple(r) for r in rows]
    return out + [tuple(new)] if any(new) else out


def _feed(table: _Table, number: int, cells: tuple[str, ...]) -> None:
    """Add a printed line to the table: a new row, or the rest of the row above."""
    width = len(table.columns.kinds)
    extra = [c for c in cells[width:] if c.strip()]
    table.end = number
    if extra:
        message = f"第{number}行有{width + len(extra)}个单元格，表头只有{width}列，无法对应到列"
        table.problems.append(Problem(number, message))
        return
    cells = tuple(cells[:width]) + ("",) * (width - len(cells))
    if not any(c.strip() for c in cells):
        return
    table.printed.append((number, cells))
    if not table.rows or _opens_row(cells, table):
        if _misplaced(cells, table):
            message = f"第{number}行的序号栏“{cells[table.columns.number or 0].strip()}”不是序号，该行的单元格可能错位"
            table.problems.append(Problem(number, message))
        table.rows.append(_Row(number, number, [[] for _ in range(width)]))
    table.rows[-1].add(number, cells)
    for index, text in enumerate(cells):
        table.widest[index] = max(table.widest[index], display_width(text.strip()))
    table.previous = cells


def _misplaced(cells: tuple[str, ...], table: _Table) -> bool:
    """True for a line whose 序号 cell holds text that is no row number, heading or total: its cells
    have probably slid left (a text export that dropped the empty cells in front)."""
    column = table.columns.number
    if column is None or not cells[column].strip() or ROW_NUMBER.match(cells[column]):
        return False
    filled = [c for c in cells if c.strip()]
    return not (len(filled) == 1 and SECTION.match(filled[0])) and not any(
        _TOTAL.match("".join(c.split())) for c in filled
    )


def _opens_row(cells: tuple[str, ...], table: _Table) -> bool:
    """True when a printed line starts a row rather than continuing the one above."""
    filled = [i for i, c in enumerate(cells) if c.strip()]
    if len(filled) == 1 and SECTION.match(cells[filled[0]]):
        return True
    if any(_TOTAL.match(re.sub(r"\s+", "", cells[i])) for i in filled):
        return True
    columns = table.columns
    if columns.number is not None and cells[columns.number].strip():
        return True
    if _starts_deadline(cells, table):
        return True  # a row under a 序号 merged over several rows, or a row of an unnumbered table
    if columns.number is not None:
        return False
    above = table.previous
    if any(not (i < len(above) and above[i].strip()) for i in filled):
        return True  # fills a cell the line above had left empty
    return not any(_full(above[i], table, i) or above[i].rstrip().endswith(("、", "，", ",")) for i in filled)


def _starts_deadline(cells: tuple[str, ...], table: _Table) -> bool:
    """True when the line's deadline cell starts a deadline of its own below a complete one:
    '2023年9月底前' under '2023年6月底前' is a new row, '10月底前' under '2023年' and '底前' under
    '2023年12月' go on with it."""
    column = table.columns.deadline
    if column is None or not _DEADLINE_START.match(cells[column]):
        return False
    above = table.rows[-1].lines[column]
    return bool(above) and _DEADLINE_END.search(above[-1]) is not None


def centred_numbers(table: _Table) -> bool:
    """True when the table's 序号 stands in the middle of each row (see ``table_centred``)."""
    column = table.columns.number
    anchors = [i for i, (_, cells) in enumerate(table.printed) if _is_anchor(cells, column)]
    if len(anchors) < 2 or any(_fixed(cells) for _, cells in table.printed[:1]):
        return False
    continued = sum(1 for i in anchors if i and _cut_cost(table, i, plain_only=True))
    return looks_centred(anchors[0] == 0, continued, len(anchors))


def regroup_centred(table: _Table) -> list[_Row]:
    """The table's rows, cut where centred numbers put them rather than at each number."""
    printed = table.printed
    column = table.columns.number
    starts = row_starts(
        [number for number, _ in printed],
        [i for i, (_, cells) in enumerate(printed) if _is_anchor(cells, column)],
        [i for i, (_, cells) in enumerate(printed) if _fixed(cells)],
        [_cut_cost(table, i) if i else 0.0 for i in range(len(printed))],
    )
    width = len(table.columns.kinds)
    rows: list[_Row] = []
    for index, (number, cells) in enumerate(printed):
        if index in starts or not rows:
            rows.append(_Row(number, number, [[] for _ in range(width)]))
        rows[-1].add(number, cells)
    return rows


def _is_anchor(cells: tuple[str, ...], column: int | None) -> bool:
    return column is not None and ROW_NUMBER.match(cells[column]) is not None and bool(cells[column].strip())


def _fixed(cells: tuple[str, ...]) -> bool:
    """A heading or total row across the table: a row of its own."""
    filled = [c for c in cells if c.strip()]
    return (len(filled) == 1 and SECTION.match(filled[0]) is not None) or any(
        _TOTAL.match(re.sub(r"\s+", "", c)) for c in filled
    )


def _cut_cost(table: _Table, index: int, plain_only: bool = False) -> float:
    """What starting a row at printed line ``index`` costs: the cells it would cut that plainly go on
    (a line ending in a list separator, a deadline '2023年' over '12月底前') and, unless
    ``plain_only``, full lines that probably wrap."""
    above = table.printed[index - 1][1]
    below = table.printed[index][1]
    cost = 0.0
    for column, text in enumerate(above):
        text = text.strip()
        if not text or column == table.columns.number or not below[column].strip():
            continue
        if text.endswith(_JOINERS):
            cost += CUT_COST
        elif column == table.columns.deadline:
            if not (_DEADLINE_END.search(text) and _DEADLINE_START.match(below[column])):
                cost += CUT_COST
        elif not plain_only and _full(text, table, column) and not text.endswith(_STOPS):
            cost += CUT_COST / 2
    return cost


_JOINERS = ("、", "，", ",", "（", "(", "“", "《", "〔", "和", "及")
_STOPS = ("。", "；", ";", "！", "？")


def _full(text: str, table: _Table, column: int) -> bool:
    """True when a printed cell line reaches its column's width, so its text may go on below."""
    return display_width(text.strip()) > table.widest[column] - SHORT_BY


def _finish(table: _Table, problems: list[Problem]) -> ReadTable:
    """The table with each row's printed lines joined."""
    width = len(table.columns.kinds)
    if table.columns.number is not None and not table.carried and centred_numbers(table):
        table.rows = regroup_centred(table)
    widths = [wrap_width([row.lines[i] for row in table.rows]) for i in range(width)]
    rows = tuple(
        TableRow(tuple(join_lines(row.lines[i], widths[i]) for i in range(width)), Span(row.first, row.last))
        for row in table.rows
    )
    if table.columns.verdict() != "tasks":
        return ReadTable(table.columns, table.header_line, rows, max(table.end, table.header_line))
    problems.extend(table.problems)
    if not rows:
        problems.append(
            Problem(
                table.header_line,
                f"第{table.header_line}行的任务表表头下没有读到任何一行：表格可能在转换时丢失了分列",
            )
        )
    return ReadTable(table.columns, table.header_line, rows, max(table.end, table.header_line))


def row_number(text: str) -> str | None:
    """The digits of a 序号 cell ('1', '(2)' → '2'), None when the cell holds no row number."""
    return re.sub(r"\D", "", text) if ROW_NUMBER.match(text) else None
