"""The tab-separated tables of a gazette text, with their original line numbers.

Text taken from a printed PDF keeps table rows as tab-separated cells, one row per line. The
layout is damaged in predictable ways, which this module describes rather than repairs:

- continuation rows start with empty cells (the 乡镇 of a village row is inherited from above);
- merged cells leave a row with fewer cells, or the label one cell to the left (``小计`` in
  column 0 instead of 1);
- a table broken by a page repeats its header row after a blank line;
- 小计 (subtotal) and 合计/总计 (total) rows close a block or the table.

Guarantees: every :class:`Row` keeps its 1-based source line; cells are stripped of spaces but
never reordered, dropped or invented.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, TypeVar, cast

from .spans import SourceText, Span

# A figure as printed in a cell: "3394", "63.5", "-2", "35%", "1,200", "8.3天", "4.75万".
NUMBER = re.compile(
    r"""^\s*
    (?P<value>[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-−]?\d+(?:\.\d+)?)  # 1,200 or 63.5
    \s*(?P<unit>%|‰|天|元|万元|万亩|亩|万|个|人|家|件|次)?            # unit glued to the figure
    \s*$""",
    re.VERBOSE,
)
# Full-width punctuation and digits (State Council texts) fold to ASCII one character for one, so
# positions, and therefore slices of the original line, stay valid.
FOLD = str.maketrans("，；：（）％．－～０１２３４５６７８９", ",;:()%.-~0123456789")


_T = TypeVar("_T")

FULL_WIDTH = re.compile("[，；：（）％．－～０-９]")


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """``text`` with full-width punctuation and digits as ASCII (same length)."""
    return text.translate(FOLD) if FULL_WIDTH.search(text) else text


# The folded lines of the last source read: the check and indicator stages fold every document's
# lines several times over, so each line is folded once per source. One entry, replaced whole.
_LAST_FOLDED: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())


def folded_lines(source: SourceText, span: Span) -> list[tuple[int, str]]:
    """``(line number, folded text)`` of a span."""
    global _LAST_FOLDED
    read = _LAST_FOLDED
    if read[0] is not source.lines:
        read = _LAST_FOLDED = (source.lines, tuple(fold(text) for text in source.lines))
    return list(zip(range(span.start, span.end + 1), read[1][span.start - 1 : span.end], strict=False))


YEAR_CELL = re.compile(r"^(19|20)\d\d(年)?$")
SUBTOTAL_WORDS = ("小计",)  # 小计: closes a block
TOTAL_WORDS = ("合计", "总计", "总合计")  # 合计: closes the table (or the last block)
ANNEX_HEADING = re.compile(r"^\s*附\s*件\s*(?P<number>\d+)?\s*$")


@lru_cache(maxsize=8192)
def parse_number(cell: str) -> float | None:
    """The value of a cell that holds a single figure, else None ("4%、4%" is not one figure)."""
    match = NUMBER.match(fold(cell).replace(" ", ""))
    if not match:
        return None
    return float(match.group("value").replace(",", "").replace("−", "-"))


def _figure_text(cell: str) -> str:
    """The figure of a single-figure cell as ASCII text that ``float`` reads ("１,２００万元" → "1200")."""
    match = NUMBER.match(fold(cell).replace(" ", ""))
    if not match:
        return cell
    value = match.group("value").replace(",", "").replace("−", "-")
    return value + "%" if match.group("unit") == "%" else value


def decimals(value_text: str) -> int:
    """Digits after the decimal point of a printed figure (for rounding tolerance)."""
    text = value_text.strip().rstrip("%")
    return len(text.split(".", 1)[1]) if "." in text else 0


@dataclass(frozen=True)
class Row:
    """One table row: its source line and its cells as printed (spaces removed, trailing empties dropped)."""

    line: int
    cells: tuple[str, ...]

    @cached_property
    def kind(self) -> str:
        """``subtotal`` (小计), ``total`` (合计/总计) or ``data``."""
        for cell in self.cells:
            # "合计", and a labelled one such as "全市合计" or "沙坡头区小计" (a short cell ending in the
            # word, not a figure): the word is sought first, since most cells end in neither
            if cell in TOTAL_WORDS or (cell.endswith(TOTAL_WORDS) and _short_label(cell)):
                return "total"
            if cell in SUBTOTAL_WORDS or (cell.endswith(SUBTOTAL_WORDS) and _short_label(cell)):
                return "subtotal"
        return "data"

    def numbers(self, skip_first_year: bool = False, skip_first: bool = False) -> list[float]:
        """The single-figure cells in order; optionally not the first cell (a 阶段 year or a 序号)."""
        # The check stages ask a row for its figures many times over (each 小计 re-reads its block):
        # the cells never change, so each variant is read once and handed out as a fresh list.
        read: dict[tuple[bool, bool], list[float]] = self.__dict__.setdefault("_figures_read", {})
        key = (skip_first_year, skip_first)
        if key not in read:
            read[key] = self._numbers(skip_first_year, skip_first)
        return list(read[key])

    def _numbers(self, skip_first_year: bool, skip_first: bool) -> list[float]:
        found = []
        for index, cell in enumerate(self.cells):
            if index == 0 and (skip_first or (skip_first_year and YEAR_CELL.match(cell))):
                continue
            value = parse_number(cell)
            if value is not None:
                found.append(value)
        return found

    def number_texts(self, skip_first_year: bool = False) -> list[str]:
        """The printed text of the single-figure cells, folded to ASCII digits, in order; optionally not a
        year in the first cell."""
        return [
            _figure_text(c)
            for i, c in enumerate(self.cells)
            if parse_number(c) is not None and not (i == 0 and skip_first_year and YEAR_CELL.match(c))
        ]

    def cell(self, index: int) -> str:
        """Cell ``index`` or "" when the row is shorter."""
        return self.cells[index] if 0 <= index < len(self.cells) else ""

    @property
    def leading_empty(self) -> int:
        """How many cells at the start are empty (a continuation row inherits them from above)."""
        count = 0
        for cell in self.cells:
            if cell:
                break
            count += 1
        return count

    def text(self) -> str:
        """The non-empty cells joined with a space (for labels and messages)."""
        return " ".join(c for c in self.cells if c)


@dataclass(frozen=True)
class Table:
    """A run of tab-separated rows: header rows (before the first row with a figure), then body rows."""

    header: tuple[Row, ...]
    body: tuple[Row, ...]
    title: str | None = None  # the nearest line above that is not a 附件 heading
    title_line: int | None = None
    annex: str | None = None  # "附件1" when the table sits under an 附件 heading
    note: str | None = None  # a bracketed line between title and table: (最终得分按满分30分进行标化)
    note_line: int | None = None

    @property
    def span(self) -> Span:
        """First to last line of the table."""
        rows = self.header + self.body
        return Span(rows[0].line, rows[-1].line)

    @property
    def rows(self) -> tuple[Row, ...]:
        """Header and body rows in line order."""
        return self.header + self.body

    def derived(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """What a later stage reads from this table (its indicators, say), computed on first asking.

        The indicator, scheme and check stages each read the same tables: what they derive from a
        table's cells is read once, whichever stage asks first.
        """
        found: dict[Hashable, Any] = self.__dict__.setdefault("_derived_read", {})
        if key not in found:
            found[key] = compute()
        return cast(_T, found[key])

    def column(self, *words: str) -> int | None:
        """Index of the first header cell containing one of ``words``."""
        # Every stage looks up its columns by name, several times per table: each lookup is kept.
        found: dict[tuple[str, ...], int | None] = self.__dict__.setdefault("_columns_read", {})
        if words not in found:
            found[words] = self._column(words)
        return found[words]

    def _column(self, words: tuple[str, ...]) -> int | None:
        for row in self.header:
            for index, cell in enumerate(row.cells):
                if any(word in cell for word in words):
                    return index
        return None

    @cached_property
    def has_row_numbers(self) -> bool:
        """True when the first column is a 序号 (1, 2, 3 ...), which is not a figure to add up."""
        if self.header and self.header[0].cell(0) in ("序号", "编号"):
            return True
        firsts = [r.cell(0) for r in self.body if r.kind == "data" and r.cell(0)]
        return len(firsts) >= 2 and all(c.isdigit() for c in firsts) and firsts[0] == "1"

    @cached_property
    def groups(self) -> dict[int, str]:
        """The first-column label each body row belongs to (by line): continuation rows inherit it from above.

        A 小计/合计 row closes its group, so the row after it starts a new one; a 小计 row that slid
        into the first column (a merged cell) is not a label.
        """
        found: dict[int, str] = {}
        current = ""
        for row in self.body:
            cell = row.cell(0)
            if row.kind == "data" and cell and parse_number(cell) is None:
                current = cell
            found[row.line] = current
            if row.kind != "data":
                current = ""
        return found


def _short_label(cell: str) -> bool:
    """True for a cell of at most 10 characters that is not a figure."""
    return len(cell) <= 10 and parse_number(cell) is None


def split_row(line_number: int, text: str) -> Row:
    """A source line as a row of cells."""
    cells = [c.replace(" ", "").replace("\u3000", "") for c in text.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return Row(line=line_number, cells=tuple(cells))


def _is_header(row: Row) -> bool:
    return not any(parse_number(c) is not None for c in row.cells)


def _blocks(source: SourceText, span: Span) -> list[list[Row]]:
    """Runs of consecutive tab lines; a run separated only by blank lines from a repeat of its header joins it."""
    blocks: list[list[Row]] = []
    current: list[Row] = []
    gap = 0
    for number, text in source.numbered(span):
        if "\t" in text:
            row = split_row(number, text)
            if gap and current and row.cells != current[0].cells:
                blocks.append(current)
                current = []
            if not (current and row.cells == current[0].cells):  # a repeated header is not a row
                current.append(row)
            gap = 0
        elif text.strip():
            if current:
                blocks.append(current)
                current = []
            gap = 0
        elif current:
            gap += 1
    if current:
        blocks.append(current)
    return blocks


BRACKETED = re.compile(r"^[(（].*[)）]$")


def _note_above(source: SourceText, start: int, floor: int) -> tuple[str | None, int | None]:
    """A bracketed line right above the table (a note on how it is scored), if any."""
    for number in range(start - 1, max(floor, 1) - 1, -1):
        text = source.line(number).strip()
        if text:
            return (text, number) if BRACKETED.match(text) else (None, None)
    return None, None


def _title_above(source: SourceText, start: int, floor: int) -> tuple[str | None, int | None, str | None]:
    """The nearest non-blank line above ``start`` that is not an 附件 heading or a note, and the 附件 label seen."""
    annex = None
    for number in range(start - 1, max(floor, 1) - 1, -1):
        text = source.line(number).strip()
        if not text or "\t" in text:
            if "\t" in text:
                break
            continue
        heading = ANNEX_HEADING.match(text)
        if heading:
            annex = annex or ("附件" + (heading.group("number") or ""))
            continue
        if BRACKETED.match(text):
            continue
        return text, number, annex
    return None, None, annex


def _annex_below(source: SourceText, title_line: int | None, start: int) -> str | None:
    """An 附件 heading between a title and its table (``title`` / ``附件 2`` / table)."""
    if title_line is None:
        return None
    for number in range(title_line + 1, start):
        heading = ANNEX_HEADING.match(source.line(number))
        if heading:
            return "附件" + (heading.group("number") or "")
    return None


def _annex_above_title(source: SourceText, title_line: int | None, floor: int) -> str | None:
    """An 附件 heading right above a title (``附件 2`` / ``title`` / table)."""
    if title_line is None:
        return None
    for number in range(title_line - 1, max(floor, 1) - 1, -1):
        text = source.line(number).strip()
        if not text:
            continue
        heading = ANNEX_HEADING.match(text)
        return ("附件" + (heading.group("number") or "")) if heading else None
    return None


# The tables of the last source read, by span: the task, check, indicator and scheme stages each
# ask for the tables of every document. One entry, replaced whole, so threads never share a dict.
_LAST_READ: tuple[tuple[str, ...], dict[Span, tuple[Table, ...]]] = ((), {})


def find_tables(source: SourceText, span: Span | None = None) -> list[Table]:
    """Every tab-separated table inside ``span`` (default: the whole source), in line order."""
    global _LAST_READ
    span = span or Span(1, max(1, len(source)))
    read = _LAST_READ
    if read[0] is not source.lines:
        read = _LAST_READ = (source.lines, {})
    if span not in read[1]:
        read[1][span] = tuple(_read_tables(source, span))
    return list(read[1][span])


def _read_tables(source: SourceText, span: Span) -> list[Table]:
    tables = []
    floor = span.start
    for rows in _blocks(source, span):
        split = 0
        while split < len(rows) and _is_header(rows[split]):
            split += 1
        header, body = tuple(rows[:split]), tuple(r for r in rows[split:] if r.cells)
        title, title_line, annex = _title_above(source, rows[0].line, floor)
        annex = (
            annex
            or _annex_below(source, title_line, rows[0].line)
            or _annex_above_title(source, title_line, floor)
        )
        note, note_line = _note_above(source, rows[0].line, floor)
        tables.append(
            Table(
                header=header,
                body=body,
                title=title,
                title_line=title_line,
                annex=annex,
                note=note,
                note_line=note_line,
            )
        )
        floor = rows[-1].line + 1
    return tables
