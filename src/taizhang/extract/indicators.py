"""Indicators and their targets: name, unit of measure, direction, a target per period.

Three sources, each a general rule rather than a place in one file:

- yearly targets stated in the text per county (``沙坡头区2021—2023年每年度压减黄河耗水量分别为
  3224万m³、4774万m³、4825万m³``) and ceilings (``2021年,沙坡头区耗黄河水量控制2.168亿m³以内``);
- indicator tables with one column per period (``指标 | 2022年 | 2023年``);
- measure tables of a plan (治理措施 with saving, investment, 责任部门, 配合部门), per year and county
  named in the table title.

Direction is one of ``≥``, ``≤``, ``=``, ``between`` (a range), ``decreasing``, ``increasing``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .model import Document
from .records import as_dict
from .spans import SourceText, Span
from .tables import YEAR_CELL, Table, find_tables, fold, folded_lines, parse_number

CJK = r"\u4e00-\u9fff"
YEAR_RANGE = r"(?P<y1>\d{4})\s*[—–\-~至到]+\s*(?P<y2>\d{4})\s*年"

# "沙坡头区2021—2023年每年度压减黄河耗水量分别为3224万 m^3 、4774万 m^3 、4825万 m^3"
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
# "沙坡头区耗黄河水量控制2.168亿 m^3 以内" (卫政办发〔2022〕19号, 二(二)3): a ceiling.
CEILING = re.compile(
    rf"""(?P<subject>[{CJK}]{{1,10}}?(?:区|县|市|旗))
    (?P<measure>[{CJK}]{{2,20}}?)
    控制(?:在)?\s*
    (?P<value>\d+(?:\.\d+)?)\s*(?P<unit>[万亿]?\s*(?:m\s*\^?\s*3|m\s*³|立方米|亩|万亩|元|万元|%)?)\s*
    (?:以内|以下)""",
    re.VERBOSE,
)
PERIOD = re.compile(rf"(?:{YEAR_RANGE}|(?P<year>\d{{4}})\s*年)")
VALUE = re.compile(r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>[万亿]?\s*(?:m\s*\^?\s*3|m\s*³|立方米|万亩|亩|万元|元|%|天)?)")

# Direction phrases; each alternative cites where it was seen.
DIRECTION = re.compile(
    r"""(?P<ge>≥|\\geq|不低于|不少于|达到|以上|超过)      # ≥35% (28号 工作目标), 不低于25% (28号 保障措施)
    |(?P<le>≤|\\leq|不高于|不超过|以内|以下|控制在(?!.*[—–~至]))  # ≤7% (28号), 控制…以内 (19号)
    |(?P<between>控制在\s*\d+(?:\.\d+)?%?\s*[—–~至-]+\s*\d+)   # 控制在35%—50% (28号 任务5)
    |(?P<down>逐年下降|逐年减少|逐步降低)
    |(?P<up>逐年增加|逐年提高|逐年上升|逐步提高)""",
    re.VERBOSE,
)


def normalise_unit(unit: str) -> str:
    """``万 m^3`` → ``万m³``; ``亿 m^3`` → ``亿m³``; other units unchanged without spaces."""
    unit = re.sub(r"\s+", "", unit or "")
    unit = re.sub(r"m\^?3|m³|立方米", "m³", unit)
    return unit


def to_base(value: float, unit: str) -> tuple[float, str]:
    """Express 亿m³ in 万m³ so text and tables compare (2.168亿m³ = 21680万m³)."""
    if unit == "亿m³":
        return round(value * 10000, 6), "万m³"
    return value, unit


def parse_direction(text: str) -> dict[str, Any]:
    """Direction, bounds and unit of a target phrase: '≥35%', '控制在35%—50%', '不低于25%', '逐年下降'."""
    clean = text.replace("$", "").replace("\\%", "%")
    unit_match = re.search(r"%|万m³|万亩|万元|天|元|亩", normalise_unit(clean))
    unit = unit_match.group(0) if unit_match else None
    numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", clean)]
    match = DIRECTION.search(clean)
    kind = match.lastgroup if match else None
    if kind == "between" or (kind == "le" and "控制在" in clean and len(numbers) >= 2):
        return {"direction": "between", "low": numbers[0], "high": numbers[1], "unit": unit}
    direction = {"ge": "≥", "le": "≤", "down": "decreasing", "up": "increasing"}.get(kind or "", "=" if numbers else None)
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


def _values(text: str) -> list[tuple[float, str]]:
    found = []
    for part in re.split(r"[、,]", text):
        match = VALUE.search(part)
        if match:
            found.append((float(match.group("value")), normalise_unit(match.group("unit"))))
    return found


def yearly_targets(source: SourceText, span: Span, doc_number: str | None) -> list[Indicator]:
    """Targets stated in the text per subject (county) and year: lists over a year range and ceilings."""
    found: list[Indicator] = []
    for number, line in folded_lines(source, span):
        if "\t" in line:
            continue
        for match in YEARLY_LIST.finditer(line) if "分别" in line else ():
            years = range(int(match["y1"]), int(match["y2"]) + 1)
            values = _values(match["values"])
            if len(values) != len(years):
                continue
            unit = values[0][1] or None
            targets = tuple(
                Target(str(y), f"{v:g}{u}", v, u or None, "≥", None, number) for y, (v, u) in zip(years, values, strict=True)
            )
            found.append(_text_indicator(doc_number, match["subject"], match["measure"], unit, "≥", targets, number))
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
            years = [period["year"]] if period["year"] else [str(y) for y in range(int(period["y1"]), int(period["y2"]) + 1)]
            value, unit = to_base(float(match["value"]), normalise_unit(match["unit"]))
            printed = match.group(0)[match.start("measure") - match.start() + len(match["measure"]) :].strip()
            targets = tuple(Target(y, printed, value, unit, "≤", None, number) for y in years)
            found.append(_text_indicator(doc_number, match["subject"], match["measure"], unit, "≤", targets, number))
    return found


def _text_indicator(doc_number, subject, measure, unit, direction, targets, line) -> Indicator:  # type: ignore[no-untyped-def]
    key = f"{doc_number}|text|{subject}|{measure}"
    return Indicator(doc_number, measure, unit or None, direction, targets, line, subject=subject, source="text", key=key)


PERIOD_COLUMN = re.compile(r"^(?P<year>(19|20)\d\d)年?$")


def table_indicators(table: Table, doc_number: str | None) -> list[Indicator]:
    """Indicators of a table with an 指标 column and one column per period (2022年, 2023年)."""
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
            Indicator(doc_number, name, unit, direction, targets, row.line, annex=table.annex, label=label, key=key)
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


def _water_measure(row, numbers, doc_number, subject, period, annex) -> WaterMeasure:  # type: ignore[no-untyped-def]
    """One row: the measure is the last text cell before the first figure; units after the figures."""
    first_figure = next(
        i for i, c in enumerate(row.cells) if parse_number(c) is not None and not (i == 0 and YEAR_CELL.match(c))
    )
    before = [c for c in row.cells[:first_figure] if c and not YEAR_CELL.match(c)]
    units = [c for c in row.cells[first_figure:] if UNIT_CELL.search(c) and parse_number(c) is None]
    split = [tuple(u for u in re.split(r"[、,,]", c) if u) for c in units]
    two = len(numbers) >= 2
    return WaterMeasure(
        doc_number, subject, period, before[-1] if before else "",
        numbers[0] if two else None,
        numbers[1] if two else None,
        numbers[2] if len(numbers) >= 3 else (numbers[0] if not two else None),
        split[0] if split else (), split[1] if len(split) > 1 else (), row.line, annex,
    )


def document_spans(source: SourceText, documents: list[Document]) -> list[tuple[str | None, Span]]:
    """(doc_number, span) of each document; the whole source as one unnamed document when none are known."""
    if not documents:
        return [(None, Span(1, max(1, len(source))))]
    return [(d.doc_number, d.span) for d in documents]


def find_indicators(source: SourceText, documents: list[Document]) -> list[Indicator]:
    """Every indicator of the source: text targets and indicator tables, document by document."""
    found: list[Indicator] = []
    for doc_number, span in document_spans(source, documents):
        found.extend(yearly_targets(source, span, doc_number))
        for table in find_tables(source, span):
            found.extend(table_indicators(table, doc_number))
    return found


def find_water_measures(source: SourceText, documents: list[Document]) -> list[WaterMeasure]:
    """Every measure row of every plan table."""
    found: list[WaterMeasure] = []
    for doc_number, span in document_spans(source, documents):
        for table in find_tables(source, span):
            found.extend(water_measures(table, doc_number))
    return found


def indicator_to_dict(indicator: Indicator) -> dict[str, Any]:
    """JSON-ready form."""
    return as_dict(indicator)


def extract_quantitative(source: SourceText, documents: list[Document]) -> dict[str, list[dict[str, Any]]]:
    """Indicators (with water measures), evaluation schemes and the fiscal matrix as JSON-ready lists."""
    from .fiscal import find_fiscal_matters
    from .schemes import find_schemes

    indicators = [indicator_to_dict(i) for i in find_indicators(source, documents)]
    indicators.extend({"kind": "water_measure", **as_dict(m)} for m in find_water_measures(source, documents))
    return {
        "indicators": indicators,
        "schemes": [as_dict(s) for s in find_schemes(source, documents)],
        "fiscal": [as_dict(m) for m in find_fiscal_matters(source, documents)],
    }


__all__ = [
    "Indicator", "Target", "WaterMeasure", "extract_quantitative", "find_indicators", "find_water_measures",
    "normalise_unit", "parse_direction",
]


# -- totals stated in the text ----------------------------------------------------------------

QUANTITY = re.compile(r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>万亩|亩|万\s*m\s*\^?\s*3|万\s*m\s*³|万元|亿元|公里|千米)")
# "共计6.1万亩" (19号 四(一)2), and in annex remarks "共新建 2.5 万亩" (19号 附件2): the figure that follows totals
TOTAL_WORD = re.compile(rf"(?:共|合计|总计)[{CJK}]{{0,4}}\s*$")
TO_UNIT = {("亩", "万亩"): 1 / 10000, ("万亩", "亩"): 10000.0}


def _in_unit(value: float, unit: str, target: str) -> float | None:
    """``value`` in ``target`` units (亩 and 万亩 convert), or None when the units do not compare."""
    if unit == target:
        return value
    factor = TO_UNIT.get((unit, target))
    return round(value * factor, 6) if factor else None


@dataclass(frozen=True)
class StatedTotal:
    """A total printed in the text with the parts it adds up: '…0.6万亩,…5.5万亩,共计6.1万亩'."""

    total: float
    parts: tuple[float, ...]
    unit: str
    form: str  # 共计 (the parts before it) / 其中 (the breakdown after it)
    text: str
    line: int


def _quantities(text: str) -> list[tuple[float, str, int, int]]:
    return [(float(m["value"]), normalise_unit(m["unit"]), m.start(), m.end()) for m in QUANTITY.finditer(text)]


def _collapse_totals(clause: str, unit: str) -> list[float]:
    """Figures of one unit in a clause, a '共计N' replacing the figures it totals."""
    values: list[float] = []
    for value, found_unit, start, _ in _quantities(clause):
        if found_unit != unit:
            continue
        if TOTAL_WORD.search(clause[:start]):
            values = [value]
        else:
            values.append(value)
    return values


def stated_totals(source: SourceText, span: Span) -> list[StatedTotal]:
    """'A,B,共计C' within a clause group (or a table cell), and 'C,其中:a,b' breakdowns of the text."""
    found = []
    for number, line in folded_lines(source, span):
        if not ("共" in line or "合计" in line or "总计" in line or "其中" in line):
            continue
        if "\t" in line:  # a remark cell: "永康镇5000亩、东园镇4000亩…,共新建2.5万亩"
            for cell in line.split("\t"):
                found.extend(_gongji(cell, number))
            continue
        for sentence in re.split(r"(?<=[。;;])", line):
            found.extend(_gongji(sentence, number))
        for head, _, tail in _qizhong_pairs(line):
            found.extend(_qizhong(head, tail, number))
    return found


def _gongji(sentence: str, line: int) -> list[StatedTotal]:
    found = []
    segment = re.split(r"其中[::]?", sentence)[-1]
    for value, unit, start, end in _quantities(segment):
        if not TOTAL_WORD.search(segment[:start]):
            continue
        before = segment[:start]
        parts = [p for v, u, _, _ in _quantities(before) if (p := _in_unit(v, u, unit)) is not None]
        if len(parts) >= 2:
            found.append(StatedTotal(value, tuple(parts), unit, "共计", segment[: end].strip(), line))
    return found


def _qizhong_pairs(line: str) -> list[tuple[str, str, str]]:
    pairs = []
    for match in re.finditer(r"其中[::]?", line):
        head = re.split(r"(?<=[;;])", line[: match.start()])[-1]
        tail = re.split(r"。", line[match.end() :])[0]
        pairs.append((head, match.group(0), tail))
    return pairs


def _qizhong(head: str, tail: str, line: int) -> list[StatedTotal]:
    before = _quantities(head)
    if not before:
        return []
    total, unit = before[-1][0], before[-1][1]
    parts: list[float] = []
    for clause in re.split(r"[;;]", tail):
        parts.extend(_collapse_totals(clause, unit))
    if len(parts) < 2:
        return []
    return [StatedTotal(total, tuple(parts), unit, "其中", (head[-30:] + "其中:" + tail)[:120], line)]


# -- figures a county's section of the text states --------------------------------------------

SUBJECT_HEADING = re.compile(
    rf"^\s*(?:[(][一二三四五六七八九十]+[)]|[一二三四五六七八九十]+、)\s*(?P<subject>[{CJK}]{{1,10}}?(?:区|县|旗))"
)
ANY_HEADING = re.compile(r"^\s*(?:[(][一二三四五六七八九十]+[)]|[一二三四五六七八九十]+、)")
VOLUME = re.compile(r"(?P<value>\d+(?:\.\d+)?)\s*万\s*(?:m\s*\^?\s*[³3]|立方米)")


@dataclass(frozen=True)
class SectionFigures:
    """The 万m³ figures stated in the text section of one county ("(一)沙坡头区治理任务")."""

    subject: str
    heading_line: int
    figures: tuple[tuple[float, int], ...]  # (value, line)


def section_figures(source: SourceText, span: Span) -> list[SectionFigures]:
    """Water volumes stated under each county heading, up to the next heading of any county or section."""
    found: list[SectionFigures] = []
    current: list[Any] = []
    for number, line in folded_lines(source, span):
        if "\t" in line:
            continue
        heading = SUBJECT_HEADING.match(line)
        if heading or ANY_HEADING.match(line):
            if current and current[2]:
                found.append(SectionFigures(current[0], current[1], tuple(current[2])))
            current = [heading["subject"], number, []] if heading else []
            continue
        if current:
            current[2].extend((float(m["value"]), number) for m in VOLUME.finditer(line))
    if current and current[2]:
        found.append(SectionFigures(current[0], current[1], tuple(current[2])))
    return found
