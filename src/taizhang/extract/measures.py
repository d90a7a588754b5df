"""Measure tables of a plan (措施表: a measure per row with its figures, 责任部门 and 配合部门), per
year and subject named in the table title: a row of such a table is a :class:`Measure`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .document_spans import document_spans
from .indicators import CJK
from .model import Document
from .spans import SourceText
from .tables import YEAR_CELL, Row, Table, find_tables, fold, parse_number


@dataclass(frozen=True)
class Quantity:
    """One figure of a measure (量): what it measures as the table heads it, its value and unit."""

    name: str
    value: float
    unit: str | None = None


@dataclass(frozen=True)
class Measure:
    """One row of a plan's measure table (措施): what is done, by whom, for which subject and period,
    and the figures printed for it (a saving, a reduction, an investment ...)."""

    doc_number: str | None
    subject: str | None  # the county or unit of the table's title
    period: str | None  # the year of the table's title
    name: str  # the measure as printed
    quantities: tuple[Quantity, ...] = ()
    responsible: tuple[str, ...] = ()  # 责任部门
    cooperating: tuple[str, ...] = ()  # 配合部门
    line: int = 0
    annex: str | None = None


# The figure columns a measure table prints, in their order: saved, then reduced intake (both in
# 万m³, the volume the plan's table heads them with), then the estimated investment.
SAVED = ("节耗水量", "万m³")
REDUCED = ("折减取水量", "万m³")
INVESTMENT = ("投资估算", "万元")


UNIT_CELL = re.compile(r"(局|委|委员会|管委会|公司|政府|中心|办公室|办)$")
TITLE_SUBJECT = re.compile(rf"(?P<subject>[{CJK}]{{1,10}}?(?:区|县|市|旗))\s*(?P<year>\d{{4}})\s*年")


def table_measures(table: Table, doc_number: str | None) -> list[Measure]:
    """Measure rows of a plan table with 责任部门 and a saving column, for the subject and year of its title."""
    if table.column("责任部门") is None or table.column("节耗水量", "节水", "压减水量") is None:
        return []
    title = TITLE_SUBJECT.search(fold(table.title or "").replace(" ", ""))
    subject, period = (title["subject"], title["year"]) if title else (None, None)
    found = []
    for row in table.body:
        numbers = row.numbers(skip_first_year=True)
        if row.kind != "data" or not numbers:
            continue
        found.append(_measure(row, numbers, doc_number, subject, period, table.annex))
    return found


def _quantities(numbers: list[float]) -> tuple[Quantity, ...]:
    """Two figures or more are saved, reduced and (a third) investment; one alone is an investment."""
    two = len(numbers) >= 2
    named = [
        (SAVED, numbers[0] if two else None),
        (REDUCED, numbers[1] if two else None),
        (INVESTMENT, numbers[2] if len(numbers) >= 3 else (numbers[0] if not two else None)),
    ]
    return tuple(Quantity(name, value, unit) for (name, unit), value in named if value is not None)


def _measure(
    row: Row,
    numbers: list[float],
    doc_number: str | None,
    subject: str | None,
    period: str | None,
    annex: str | None,
) -> Measure:
    """One row: the measure is the last text cell before the first figure; units after the figures."""
    first_figure = next(
        i
        for i, c in enumerate(row.cells)
        if parse_number(c) is not None and not (i == 0 and YEAR_CELL.match(c))
    )
    before = [c for c in row.cells[:first_figure] if c and not YEAR_CELL.match(c)]
    units = [c for c in row.cells[first_figure:] if UNIT_CELL.search(c) and parse_number(c) is None]
    split = [tuple(u for u in re.split(r"[、,,]", c) if u) for c in units]
    return Measure(
        doc_number,
        subject,
        period,
        before[-1] if before else "",
        _quantities(numbers),
        split[0] if split else (),
        split[1] if len(split) > 1 else (),
        row.line,
        annex,
    )


def find_measures(source: SourceText, documents: Sequence[Document]) -> list[Measure]:
    """Every measure row of every plan table."""
    found: list[Measure] = []
    for doc_number, span in document_spans(source, documents):
        for table in find_tables(source, span):
            found.extend(table_measures(table, doc_number))
    return found
