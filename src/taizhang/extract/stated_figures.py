"""Figures the text states, for the consistency checks: totals with the parts they add up
('…0.6万亩,…5.5万亩,共计6.1万亩', 'C,其中:a,b') and the water volumes under each county's heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .indicators import CJK, normalise_unit
from .spans import SourceText, Span
from .tables import folded_lines

QUANTITY = re.compile(r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>万亩|亩|万\s*m\s*[3³]|万元|亿元|公里|千米)")
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
    return [
        (float(m["value"]), normalise_unit(m["unit"]), m.start(), m.end()) for m in QUANTITY.finditer(text)
    ]


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


# 共, 合计, 总计 or 其中: one search per line instead of four tests
_TOTAL_WORD = re.compile("共|合计|总计|其中")


def stated_totals(source: SourceText, span: Span) -> list[StatedTotal]:
    """'A,B,共计C' within a clause group (or a table cell), and 'C,其中:a,b' breakdowns of the text."""
    found = []
    for number, line in folded_lines(source, span):
        if _TOTAL_WORD.search(line) is None:
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


_QIZHONG = re.compile(r"其中[::]?")


def _gongji(sentence: str, line: int) -> list[StatedTotal]:
    found: list[StatedTotal] = []
    if not ("共" in sentence or "合计" in sentence or "总计" in sentence):
        return found  # TOTAL_WORD needs one of these words: no figure here is a total
    segment = _QIZHONG.split(sentence)[-1]
    for value, unit, start, end in _quantities(segment):
        if not TOTAL_WORD.search(segment[:start]):
            continue
        before = segment[:start]
        parts = [p for v, u, _, _ in _quantities(before) if (p := _in_unit(v, u, unit)) is not None]
        if len(parts) >= 2:
            found.append(StatedTotal(value, tuple(parts), unit, "共计", segment[:end].strip(), line))
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
VOLUME = re.compile(r"(?P<value>\d+(?:\.\d+)?)\s*万\s*(?:m\s*[³3]|立方米)")


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
    text = source.text(span)
    if "万" not in text or ("立方米" not in text and "m" not in text):
        return found  # no volume can be stated (VOLUME needs 万 and 立方米 or m³; folding keeps them)
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
