"""Evaluation schemes (考评方案) as data: weighted indicator tables and graded item tables.

A table with a 权重/分值 column is a weighted scheme; a table whose header has grade levels
(好/中/差, 优/良/中/差 ...) is a graded scheme. The total it is standardised to comes from the
note above it (``(最终得分按满分30分进行标化)``, 卫政办发〔2022〕28号 附件3/附件4). Items of a
weighted scheme are linked to the indicator of the same name in the same document, whose
targets per period are what a unit's value is scored against.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .document_spans import document_spans
from .indicators import Indicator, table_indicators
from .model import Document
from .spans import SourceText
from .tables import Table, find_tables, parse_number

GRADE_WORDS = ("优秀", "优", "良好", "良", "好", "较好", "中", "一般", "合格", "较差", "差", "不合格")
WEIGHT_WORDS = ("权重", "分值", "权数")
SCALE = re.compile(r"满分\s*(?P<points>\d+(?:\.\d+)?)\s*分")


@dataclass(frozen=True)
class SchemeItem:
    """One indicator or qualitative item of a scheme."""

    label: str | None
    name: str
    weight: float | None = None  # weighted schemes
    grades: tuple[tuple[str, float], ...] = ()  # graded schemes, best first
    line: int = 0
    indicator_key: str | None = None  # the indicator whose targets score this item
    source: str | None = None  # 数据来源


@dataclass(frozen=True)
class Scheme:
    """An evaluation scheme: its items, the raw maximum and the total it is standardised to."""

    key: str  # "卫政办发〔2022〕28号 附件3"
    doc_number: str | None
    name: str
    annex: str | None
    kind: str  # weighted / graded
    scale: float | None
    maximum: float
    items: tuple[SchemeItem, ...]
    line: int
    note: str | None = None


def _scale(table: Table) -> float | None:
    for text in (table.note, table.title):
        match = SCALE.search(text or "")
        if match:
            return float(match["points"])
    return None


def _grades(table: Table) -> list[str]:
    for row in table.header:
        labels = [c for c in row.cells if c]
        if len(labels) >= 2 and all(c in GRADE_WORDS for c in labels):
            return labels
    return []


def _name_column(table: Table) -> int:
    index = table.column("指标", "项目", "内容", "名称")
    return index if index is not None else (1 if table.has_row_numbers else 0)


def scheme_from_table(table: Table, doc_number: str | None, indicators: list[Indicator]) -> Scheme | None:
    """The scheme a table holds, or None when it has neither weights nor grade levels."""
    grades = _grades(table)
    weight_col = table.column(*WEIGHT_WORDS)
    if not grades and weight_col is None:
        return None
    name_col = _name_column(table)
    source_col = table.column("数据来源", "来源")
    items = []
    for row in table.body:
        if row.kind != "data" or not row.cell(name_col):
            continue
        label = row.cell(0) if table.has_row_numbers else None
        name = row.cell(name_col)
        if grades:
            points = row.numbers(skip_first=table.has_row_numbers)[-len(grades) :]
            if len(points) != len(grades):
                continue
            items.append(
                SchemeItem(label, name, grades=tuple(zip(grades, points, strict=True)), line=row.line)
            )
        else:
            weight = parse_number(row.cell(weight_col))  # type: ignore[arg-type]
            if weight is None:
                continue
            linked = next((i.key for i in indicators if i.name == name), None)
            source = row.cell(source_col) if source_col is not None else None
            items.append(
                SchemeItem(label, name, weight=weight, line=row.line, indicator_key=linked, source=source)
            )
    if not items:
        return None
    kind = "graded" if grades else "weighted"
    maximum = sum(max(p for _, p in i.grades) for i in items) if grades else sum(i.weight or 0 for i in items)
    label = table.annex or f"line {table.span.start}"
    return Scheme(
        f"{doc_number or ''} {label}".strip(),
        doc_number,
        table.title or label,
        table.annex,
        kind,
        _scale(table),
        maximum,
        tuple(items),
        table.span.start,
        table.note,
    )


def find_schemes(source: SourceText, documents: Sequence[Document]) -> list[Scheme]:
    """Every scheme in the source, document by document."""
    found = []
    for doc_number, span in document_spans(source, documents):
        tables = find_tables(source, span)
        indicators = [i for t in tables for i in table_indicators(t, doc_number)]
        for table in tables:
            scheme = scheme_from_table(table, doc_number, indicators)
            if scheme:
                found.append(scheme)
    return found
