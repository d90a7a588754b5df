"""Matching the areas of a 分工 to units: 生态环境 → 市生态环境局, 旅游和文体广电 → 市旅游和文化体育广电局.

A division-of-work notice names fields of work (生态环境, 发展改革, 卫生健康) and, for 分管, units
and sections (云计算和大数据发展局, 督查科(政府督查室)). A field matches a unit when, after the
city prefix and the organ suffix are cut and 和 dropped, the field's characters appear in the
unit's name in order within a short stretch (文体 → 文化体育; 医保 ← 医疗保障), or the other way
round. The stretch bound keeps scattered characters from matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_PREFIX = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,4}?市|市|[\u4e00-\u9fff]{1,3}?(?:自治区|省))(?=[\u4e00-\u9fff]{2})"
)
_SUFFIX = re.compile(
    r"(?:管理委员会|委员会办公室|委员会|办公室|服务中心|管理局|中心|局|委|办|厅|部|科|室|院|队|支队)$"
)
_BRACKETS = re.compile(r"[(（]([^()（）]+)[)）]")
_SECTION = re.compile(r"(?:科|室|组)$")
MIN_CORE = 2
SLACK = 3  # extra characters a match may span beyond the shorter name


def _fold(text: str) -> str:
    return text.replace("（", "(").replace("）", ")").replace(" ", "").strip()


def area_names(area: str) -> tuple[str, ...]:
    """The names an area goes by: 督查科(政府督查室) → itself, 督查科, 政府督查室."""
    area = _fold(area)
    inner = _BRACKETS.findall(area)
    outer = _BRACKETS.sub("", area)
    return tuple(dict.fromkeys(n for n in (area, outer, *inner) if n))


def core(name: str) -> str:
    """A name without city prefix, organ suffix, brackets and 和: 市住房和城乡建设局 → 住房城乡建设."""
    name = _BRACKETS.sub("", _fold(name))
    name = _PREFIX.sub("", name)
    name = _SUFFIX.sub("", name) or name
    return name.replace("和", "")


def _in_order_within(short: str, long: str, *, at_start: bool, slack: int | None = None) -> bool:
    """True when ``short``'s characters appear in ``long`` in order, spanning few extra characters.

    Two characters must be adjacent (民政 is not 人民政府's 民…政 by accident, but it is its
    middle: ``at_start`` asks the match to begin ``long``, as a field names a unit by its head).
    """
    if slack is None:
        slack = SLACK if len(short) > 2 else 0
    starts = [0] if at_start else range(len(long))
    for start in starts:
        if start >= len(long) or long[start] != short[0]:
            continue
        index, position = 1, start + 1
        while index < len(short) and position < len(long) and position - start < len(short) + slack:
            if long[position] == short[index]:
                index += 1
            position += 1
        if index == len(short):
            return True
    return False


def is_section(area: str) -> bool:
    """An office section (秘书一科, 督查科(政府督查室), 研究室): never matched to a unit by likeness."""
    return bool(_SECTION.search(_BRACKETS.sub("", _fold(area))))


@lru_cache(maxsize=65536)
def area_matches(area: str, unit_name: str) -> bool:
    """True when a 分工 area names the unit: by its name, or (a field of work) by its core's characters.

    市住房和城乡建设局 ← 住房城乡建设; 市旅游和文化体育广电局 ← 旅游和文体广电; 市医保局 ← 医疗保障.
    """
    for name in area_names(area):
        if name == _fold(unit_name):
            return True
    if is_section(area):
        return False
    a, u = core(area), core(unit_name)
    if len(a) < MIN_CORE or len(u) < MIN_CORE:
        return False
    if a == u or _in_order_within(a, u, at_start=len(a) < 4):
        return True
    return len(a) <= len(u) + SLACK and _in_order_within(u, a, at_start=True, slack=SLACK)


def matching_units(area: str, units: Iterable[tuple[int, Iterable[str]]]) -> list[int]:
    """Ids of the units (id, names and aliases) an area names."""
    return [unit_id for unit_id, names in units if any(area_matches(area, n) for n in names)]
