"""Indicators and their targets: name, unit of measure, direction, a target per period.

Two sources, each a general rule rather than a place in one file:

- yearly targets stated in the text per county (``沙坡头区2021—2023年每年度压减黄河耗水量分别为
  3224万m³、4774万m³、4825万m³``) and ceilings (``2021年,沙坡头区耗黄河水量控制2.168亿m³以内``);
- indicator tables with one column per period (``指标 | 2022年 | 2023年``).

Measure tables of a plan are read by ``measures``, totals the text states by ``stated_figures``.

Direction is one of ``≥``, ``≤``, ``=``, ``between`` (a range), ``decreasing``, ``increasing``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .document_spans import document_spans
from .model import Document
from .spans import SourceText, Span
from .tables import Table, find_tables, folded_lines, parse_number

CJK = r"\u4e00-\u9fff"
YEAR_RANGE = r"(?P<y1>\d{4})\s*[—–\-~至到]+\s*(?P<y2>\d{4})\s*年"

# "沙坡头区2021—2023年每年度压减黄河耗水量分别为3224万 m³ 、4774万 m³ 、4825万 m³"
# (卫政办发〔2022〕19号, 二(二)2): one value per year of the range, in order.
YEARLY_LIST = re.compile(
    rf"""(?P<subject>[{CJK}]{{1,10}}?(?:区|县|市|旗))\s*
    {YEAR_RANGE}
    (?:每年度?|各年度?|逐年)?
    (?P<measure>[{CJK}]{{2,20}}?)
    分别(?:为|是|达到)
    (?P<values>[^,,。;;]+)""",
    re.VERBOSE,
)
# "沙坡头区耗黄河水量控制2.168亿 m³ 以内" (卫政办发〔2022〕19号, 二(二)3): a ceiling.
CEILING = re.compile(
    rf"""(?P<subject>[{CJK}]{{1,10}}?(?:区|县|市|旗))
    (?P<measure>[{CJK}]{{2,20}}?)
    控制(?:在)?\s*
    (?P<value>\d+(?:\.\d+)?)\s*(?P<unit>[万亿]?\s*(?:m\s*[3³]|立方米|亩|万亩|元|万元|%)?)\s*
    (?:以内|以下)""",
    re.VERBOSE,
)
PERIOD = re.compile(rf"(?:{YEAR_RANGE}|(?P<year>\d{{4}})\s*年)")
VALUE = re.compile(
    r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>[万亿]?\s*(?:m\s*[3³]|立方米|万亩|亩|万元|元|%|天)?)"
)

# Direction phrases; each alternative cites where it was seen.
DIRECTION = re.compile(
    r"""(?P<ge>≥|不低于|不少于|达到|以上|超过)      # ≥35% (28号 工作目标), 不低于25% (28号 保障措施)
    |(?P<le>≤|不高于|不超过|以内|以下|控制在(?!.*[—–~至]))  # ≤7% (28号), 控制…以内 (19号)
    |(?P<between>控制在\s*\d+(?:\.\d+)?%?\s*[—–~至-]+\s*\d+)   # 控制在35%—50% (28号 任务5)
    |(?P<down>逐年下降|逐年减少|逐步降低)
    |(?P<up>逐年增加|逐年提高|逐年上升|逐步提高)""",
    re.VERBOSE,
)


@lru_cache(maxsize=256)  # a few units, read for every figure of every table and sentence
def normalise_unit(unit: str) -> str:
    """``万 m³`` → ``万m³``; ``亿m3`` and ``亿立方米`` → ``亿m³``; other units unchanged without spaces."""
    unit = re.sub(r"\s+", "", unit or "")
    unit = re.sub(r"m3|m³|立方米", "m³", unit)
    return unit


def to_base(value: float, unit: str) -> tuple[float, str]:
    """Express 亿m³ in 万m³ so text and tables compare (2.168亿m³ = 21680万m³)."""
    if unit == "亿m³":
        return round(value * 10000, 6), "万m³"
    return value, unit


def parse_direction(text: str) -> dict[str, Any]:
    """Direction, bounds and unit of a target phrase: '≥35%', '控制在35%—50%', '不低于25%', '逐年下降'."""
    unit_match = re.search(r"%|万m³|万亩|万元|天|元|亩", normalise_unit(text))
    unit = unit_match.group(0) if unit_match else None
    numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)]
    match = DIRECTION.search(text)
    kind = match.lastgroup if match else None
    if kind == "between" or (kind == "le" and "控制在" in text and len(numbers) >= 2):
        return {"direction": "between", "low": numbers[0], "high": numbers[1], "unit": unit}
    direction = {"ge": "≥", "le": "≤", "down": "decreasing", "up": "increasing"}.get(
        kind or "", "=" if numbers else None
    )
    value = numbers[0] if numbers else None
    low, high = (value, None) if direction == "≥" else (None, value) if direction == "≤" else (value, value)
    return {"direction": direction, "low": low, "high": high, "unit": unit}


@dataclass(frozen=True)
class Target:
    """A target of an indicator for one period (a year), as printed and as data."""

    period: str
    text: str
    value: float | None
    unit: str | None = None
    direction: str | None = None
    high: float | None = None  # upper bound of a range
    line: int = 0


@dataclass(frozen=True)
class Indicator:
    """An indicator (指标) with its unit, direction and targets per period, pointing to its source line."""

    doc_number: str | None
    name: str
    unit: str | None
    direction: str | None
    targets: tuple[Target, ...]
    line: int
    subject: str | None = None  # the county or unit the targets are set for
    responsible: str | None = None
    source: str = "table"  # table / text
    label: str | None = None  # 序号
    annex: str | None = None
    key: str = ""


def _values(text: str) -> list[tuple[float, str]]:
    found = []
    for part in re.split(r"[、,]", text):
        match = VALUE.search(part)
        if match:
            found.append((float(match.group("value")), normalise_unit(match.group("unit"))))
    return found


# The yearly targets of the last source read, per document: the indicator and check stages both
# ask for them. One entry, replaced whole when another source is read.
_LAST_TARGETS: tuple[tuple[str, ...], dict[tuple[Span, str | None], tuple[Indicator, ...]]] = ((), {})


def yearly_targets(source: SourceText, span: Span, doc_number: str | None) -> list[Indicator]:
    """Targets stated in the text per subject (county) and year: lists over a year range and ceilings."""
    global _LAST_TARGETS
    read = _LAST_TARGETS
    if read[0] is not source.lines:
        read = _LAST_TARGETS = (source.lines, {})
    if (span, doc_number) not in read[1]:
        read[1][span, doc_number] = tuple(_yearly_targets(source, span, doc_number))
    return list(read[1][span, doc_number])


def _yearly_targets(source: SourceText, span: Span, doc_number: str | None) -> list[Indicator]:
    found: list[Indicator] = []
    text = source.text(span)
    if "分别" not in text and "控制" not in text:
        return found  # a yearly list says 分别, a ceiling 控制 (folding leaves both as they are)
    for number, line in folded_lines(source, span):
        if "\t" in line or ("分别" not in line and "控制" not in line):
            continue  # a yearly list says 分别, a ceiling 控制: most lines state neither
        for match in YEARLY_LIST.finditer(line) if "分别" in line else ():
            years = range(int(match["y1"]), int(match["y2"]) + 1)
            values = _values(match["values"])
            if len(values) != len(years):
                continue
            unit = values[0][1] or None
            targets = tuple(
                Target(str(y), f"{v:g}{u}", v, u or None, "≥", None, number)
                for y, (v, u) in zip(years, values, strict=True)
            )
            found.append(
                _text_indicator(doc_number, match["subject"], match["measure"], unit, "≥", targets, number)
            )
        if "控制" in line and ("以内" in line or "以下" in line):
            found.extend(_ceilings(line, number, doc_number))
    return found


def _ceilings(line: str, number: int, doc_number: str | None) -> list[Indicator]:
    found = []
    for clause in re.split(r"(?<=[。;;])", line):
        periods = list(PERIOD.finditer(clause))
        for match in CEILING.finditer(clause):
            before = [p for p in periods if p.start() < match.start()]
            if not before:
                continue
            period = before[-1]
            years = (
                [period["year"]]
                if period["year"]
                else [str(y) for y in range(int(period["y1"]), int(period["y2"]) + 1)]
            )
            value, unit = to_base(float(match["value"]), normalise_unit(match["unit"]))
            printed = match.group(0)[match.start("measure") - match.start() + len(match["measure"]) :].strip()
            targets = tuple(Target(y, printed, value, unit, "≤", None, number) for y in years)
            found.append(
                _text_indicator(doc_number, match["subject"], match["measure"], unit, "≤", targets, number)
            )
    return found


def _text_indicator(doc_number, subject, measure, unit, direction, targets, line) -> Indicator:  # type: ignore[no-untyped-def]
    key = f"{doc_number}|text|{subject}|{measure}"
    return Indicator(
        doc_number, measure, unit or None, direction, targets, line, subject=subject, source="text", key=key
    )


PERIOD_COLUMN = re.compile(r"^(?P<year>(19|20)\d\d)年?$")


def table_indicators(table: Table, doc_number: str | None) -> list[Indicator]:
    """Indicators of a table with an 指标 column and one column per period (2022年, 2023年)."""
    # the indicator, scheme and two check stages all read them: once per table and document
    return list(table.derived(("indicators", doc_number), lambda: _table_indicators(table, doc_number)))


def _table_indicators(table: Table, doc_number: str | None) -> list[Indicator]:
    name_col = table.column("指标")
    if name_col is None or not table.header:
        return []
    periods = [(i, m["year"]) for i, c in enumerate(table.header[0].cells) if (m := PERIOD_COLUMN.match(c))]
    if not periods:
        return []
    found = []
    for row in table.body:
        name = row.cell(name_col)
        if not name or row.kind != "data":
            continue
        targets = tuple(_table_target(year, row.cell(i), row.line) for i, year in periods if row.cell(i))
        if not targets:
            continue
        unit = next((t.unit for t in targets if t.unit), None) or _unit_from_name(name)
        direction = _direction_from_trend(name, targets)
        label = row.cell(0) if name_col > 0 else None
        key = f"{doc_number}|{table.annex}|{label or name}"
        found.append(
            Indicator(
                doc_number, name, unit, direction, targets, row.line, annex=table.annex, label=label, key=key
            )
        )
    return found


def _table_target(year: str, cell: str, line: int) -> Target:
    value = parse_number(cell)
    unit_match = re.search(r"(%|天|元|万元|万亩|亩)$", cell)
    return Target(year, cell, value, unit_match.group(1) if unit_match else None, None, None, line)


def _unit_from_name(name: str) -> str | None:
    if re.search(r"百元|费用|金额|收费", name) and not re.search(r"比例|率|占比", name):
        return "元"
    if re.search(r"比例|率|占比|满意度|比$", name):
        return "%"
    if "日" in name or "天数" in name:
        return "天"
    return None


# Lower is better for these (28号 附件2: 资产负债率, 平均住院日, 增长比例, 百元医疗收入的医疗支出).
LOWER_IS_BETTER = re.compile(r"负债|住院日|增长|支出|消耗|费用|成本|门诊人次与出院人次比")


def _direction_from_trend(name: str, targets: tuple[Target, ...]) -> str:
    """≤ when targets fall over the periods or the name says lower is better, else ≥."""
    values = [t.value for t in targets if t.value is not None]
    if len(values) >= 2 and values[-1] != values[0]:
        return "≤" if values[-1] < values[0] else "≥"
    return "≤" if LOWER_IS_BETTER.search(name) else "≥"


def find_indicators(source: SourceText, documents: Sequence[Document]) -> list[Indicator]:
    """Every indicator of the source: text targets and indicator tables, document by document."""
    found: list[Indicator] = []
    for doc_number, span in document_spans(source, documents):
        found.extend(yearly_targets(source, span, doc_number))
        for table in find_tables(source, span):
            found.extend(table_indicators(table, doc_number))
    return found
