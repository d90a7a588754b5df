"""Where a document's tables are, in any of the shapes text gives them.

- Tab-separated lines: a Word or PDF table read by ``taizhang.sources`` (one line per row), or
  a text export with one line per printed line (wrapped rows over several lines).
- Columns aligned with spaces, as PDF-to-text tools print them (``table_aligned``).
- A header whose columns ran together ('序号 重点任务 牵头单位 完成时限' with single spaces, or no
  space at all): the rows under it cannot be cut into cells, which is reported, never skipped.

A table interrupted by a page header or footer goes on when the next run of rows has no header
of its own and as many columns.

What the next stage may rely on: :func:`read_tables` returns the tables of a span in line order,
each with its columns and whole rows (``table_rows``), plus a :class:`Problem` for each table or
line that could not be read. Reading the same span again costs nothing (the result is cached).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .cleanup import is_page_number
from .spans import SourceText, Span
from .table_aligned import header_pieces, read_aligned
from .table_columns import UNIT_KINDS, column_kind, spell_header
from .table_rows import PhysicalRow, Problem, ReadTable, assemble, row_number

# Words a task-table header line holds (a unit or a deadline column); other lines are not tried.
_HINT = re.compile(r"单位|部门|牵头|时限|时间|节点|期限|安排")
# Lines of a page header or footer that may stand between two parts of one table.
_BETWEEN_PARTS = 4
_PAGE_FURNITURE = 40  # characters: a running head or footer is short
_HEADER_MAX = 300  # characters: a header line is never longer


@dataclass(frozen=True)
class TableReading:
    """The tables of a span and what could not be read."""

    tables: tuple[ReadTable, ...]
    problems: tuple[Problem, ...]

    def lines(self) -> frozenset[int]:
        """Every source line inside a table (header to last row)."""
        return frozenset(n for t in self.tables for n in t.span.lines())


@lru_cache(maxsize=16)
def read_tables(source: SourceText, span: Span) -> TableReading:
    """The tables inside ``span``, in line order, and the problems met reading them."""
    tables: list[ReadTable] = []
    problems: list[Problem] = []
    number = span.start
    last = min(span.end, len(source))
    while number <= last:
        text = source.line(number)
        if "\t" in text:
            rows, number = _tab_run(source, number, last)
            carry = _carried(source, tables, rows)
            found, trouble = assemble(rows, carry)
            if carry is not None:
                tables[-1] = found.pop(0)
            tables.extend(found)
            problems.extend(trouble)
            continue
        hinted = len(text) < _HEADER_MAX and _HINT.search(text) is not None
        if hinted and ("  " in text or "\u3000" in text) and header_pieces(text) is not None:
            aligned, stop = read_aligned(source, number, last)
            found, trouble = assemble(aligned)
            tables.extend(found)
            problems.extend(trouble)
            if stop is not None and any(t.columns.verdict() == "tasks" for t in found):
                problems.append(Problem(stop, f"第{stop}行的文字跨越了表格的列，无法对应到列"))
            number = max(number, aligned[-1][0] if aligned else number) + 1
            continue
        if hinted and _columns_run_together(text):
            problems.append(
                Problem(
                    number,
                    f"第{number}行像任务表的表头，但各列之间没有分隔（制表符或对齐的空格），表格无法读取，请对照原件核对",
                )
            )
        number += 1
    return TableReading(tuple(tables), tuple(problems))


def _tab_run(source: SourceText, start: int, last: int) -> tuple[list[PhysicalRow], int]:
    """The tab-separated lines from ``start``: blank lines and page numbers between them are
    skipped, a line of text ends the run. Returns the rows and the line to go on from."""
    rows: list[PhysicalRow] = []
    number = start
    resume = start
    while number <= last:
        text = source.line(number)
        if "\t" in text:
            rows.append((number, tuple(c.strip() for c in text.split("\t"))))
            resume = number + 1
        elif text.strip() and text.strip() != "\f" and not is_page_number(text):
            break
        number += 1
    return rows, resume


def _carried(source: SourceText, tables: list[ReadTable], rows: list[PhysicalRow]) -> ReadTable | None:
    """The task table a headerless run of rows continues, across a page header or footer.

    The run must go on with the table's numbering (its first numbered row follows the last
    one) and have as many columns, and only a few short lines may stand between the two parts.
    """
    if not tables or not rows or not tables[-1].rows or tables[-1].columns.verdict() != "tasks":
        return None
    previous = tables[-1]
    column = previous.columns.number
    if column is None or len(rows[0][1]) != len(previous.columns.kinds):
        return None
    last = next(
        (row_number(r.cell(column)) for r in reversed(previous.rows) if row_number(r.cell(column))), None
    )
    first = next(
        (row_number(cells[column]) for _, cells in rows[:3] if column < len(cells) and cells[column]), None
    )
    if last is None or first is None or int(first) != int(last) + 1:
        return None
    between = [source.line(n).strip() for n in range(previous.end + 1, rows[0][0])]
    between = [t for t in between if t and not is_page_number(t)]
    if len(between) > _BETWEEN_PARTS or any(len(t) > _PAGE_FURNITURE for t in between):
        return None
    return previous


def _columns_run_together(text: str) -> bool:
    """True for a line that names three columns or more, a unit column among them, with nothing
    between them but single spaces: the header of a table whose columns were lost."""
    words = text.split()
    if len(words) == 1:
        spelled = spell_header(words[0])
        words = spelled or []
    if len(words) < 3 or not all(column_kind(w) for w in words):
        return False
    return any(column_kind(w) in UNIT_KINDS for w in words)
