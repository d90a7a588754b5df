"""Measure tables of a plan (治理措施 with saving, investment, 责任部门, 配合部门), per year and county
named in the table title: a row of such a table is a :class:`WaterMeasure`.
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
class WaterMeasure:
    """One 治理措施 row of a plan: saving, reduced intake, investment, departments, for a year and county."""

    doc_number: str | None
    subject: str | None
    period: str | None
    measure: str
    saving: float | None  # 节(耗)水量, 万m³
    intake_cut: float | None  # 折减取水量, 万m³
    investment: float | None  # 投资估算, 万元
    responsible: tuple[str, ...] = ()  # 责任部门
    cooperating: tuple[str, ...] = ()  # 配合部门
    line: int = 0
    annex: str | None = None


UNIT_CELL = re.compile(r"(局|委|委员会|管委会|公司|政府|中心|办公室|办)$")
TITLE_SUBJECT = re.compile(rf"(?P<subject>[{CJK}]{{1,10}}?(?:区|县|市|旗))\s*(?P<year>\d{{4}})\s*年")


def water_measures(table: Table, doc_number: str | None) -> list[WaterMeasure]:
    """Measure rows of a plan table with 责任部门 and a saving column, for the county and year of its title."""
    if table.column("责任部门") is None or table.column("节耗水量", "节水", "压减水量") is None:
        return []
    title = TITLE_SUBJECT.search(fold(table.title or "").replace(" ", ""))
    subject, period = (title["subject"], title["year"]) if title else (None, None)
    found = []
    for row in table.body:
        numbers = row.numbers(skip_first_year=True)
        if row.kind != "data" or not numbers:
            continue
        found.append(_water_measure(row, numbers, doc_number, subject, period, table.annex))
    return found


def _water_measure(
    row: Row,
    numbers: list[float],
    doc_number: str | None,
    subject: str | None,
    period: str | None,
    annex: str | None,
) -> WaterMeasure:
    """One row: the measure is the last text cell before the first figure; units after the figures."""
    first_figure = next(
        i
        for i, c in enumerate(row.cells)
        if parse_number(c) is not None and not (i == 0 and YEAR_CELL.match(c))
    )
    before = [c for c in row.cells[:first_figure] if c and not YEAR_CELL.match(c)]
    units = [c for c in row.cells[first_figure:] if UNIT_CELL.search(c) and parse_number(c) is None]
    split = [tuple(u for u in re.split(r"[、,,]", c) if u) for c in units]
    two = len(numbers) >= 2
    return WaterMeasure(
        doc_number,
        subject,
        period,
        before[-1] if before else "",
        numbers[0] if two else None,
        numbers[1] if two else None,
        numbers[2] if len(numbers) >= 3 else (numbers[0] if not two else None),
        split[0] if split else (),
        split[1] if len(split) > 1 else (),
        row.line,
        annex,
    )


def find_water_measures(source: SourceText, documents: Sequence[Document]) -> list[WaterMeasure]:
    """Every measure row of every plan table."""
    found: list[WaterMeasure] = []
    for doc_number, span in document_spans(source, documents):
        for table in find_tables(source, span):
            found.extend(water_measures(table, doc_number))
    return found
