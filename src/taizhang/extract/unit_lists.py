"""Unit lists as printed → unit names: separators, groups kept whole, shared suffixes, '等'.

* separators are 、 , ， ; ； outside brackets (各县（市、区）人民政府 is one name) and spaces between
  whole names;
* 及 always separates ('相关部门及各地区'); 和/与 only between two complete names
  (住房和城乡建设局, 文化和旅游部, 各有关部门和单位 and 各级党委和政府 stay whole);
* a group of level words stays whole: 各区、市政府, 有关区、市政府 (the 、 joins 区 and 市);
* a shared suffix is expanded: 济南、青岛、烟台市政府 → 济南市政府, 青岛市政府, 烟台市政府;
* a trailing 等 and the group it stands for are dropped and noted: 'A、B等国务院相关部门' → A, B.

Guarantees: nothing printed is dropped silently: a part that does not end like a unit name is
kept and listed in ``odd``, a name cut from 等 is listed in ``etc``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import lexicon
from .unit_names import ends_like_unit, looks_like_unit, split_top_level

__all__ = ["UnitList", "split_top_level", "split_units"]

# Trailing '等' with the group it stands for: 人民银行等部门 (国发〔2018〕38号), 全国总工会等
# (国办发〔2018〕129号), 体育总局等国务院相关部门 (国办发〔2020〕24号), 等5部门.
_ETC = re.compile(
    r"""等(?:[0-9一二三四五六七八九十]+个?)?
        (?:国务院|中央|省直|市直|县直|区直|省级|市级|县级|省|市|县|区)?
        (?:有关|相关|其他|其它|各)?(?:部门|单位|机构)?(?:和单位|及单位)?$""",
    re.VERBOSE,
)

# Bare words that finish a group rather than name a second unit: 各有关部门和单位, 各级党委和政府.
_GENERIC = ("单位", "部门", "机构", "政府", "人民政府", "企业", "个人", "社会组织", "群众")

# A bare level word continuing a group: '各区、县级市' (广州), '各区、市政府', '有关区、市政府',
# '各市、州、县人民政府' (湖北).
_BARE_LEVEL = re.compile(
    r"^(?:县级市|自治县|自治州|县|区|市|州|盟|旗|地区|乡镇|乡|镇|街道)(?:（[^）]*）)?(?:人民政府|政府|办事处|管委会)?$"
)
_GROUP_HEAD = ("各", "有关", "相关")
# Level words sharing the body after the last of them: '各市、州统计局' (湖北), '有关县、区教育局'.
_LEVELS = r"(?:县级市|自治县|自治州|县|区|市|州|盟|旗)"
_LEVEL_GROUP = re.compile(rf"^(?:各|有关|相关){_LEVELS}(?:、{_LEVELS})*$")
_LEVEL_BODY = re.compile(rf"^{_LEVELS}(?:（[^）]*）)?[\u4e00-\u9fff]{{2,12}}$")

# A group of places followed by a group of bodies: 各地区各部门, 各区县各部门 (not 各级各部门, one group).
_TWO_GROUPS = re.compile(
    r"^(各(?:地区|地|省|市|县|区|区县|县区|县市区|乡镇|街道))(各(?:有关|相关)?(?:部门|单位|部门和单位|机构))$"
)

# A bare place or field name before a shared suffix: '济南' in 济南、青岛、烟台市政府.
_BARE_WORD = re.compile(r"^[\u4e00-\u9fff“”]{2,8}$")


@dataclass(frozen=True)
class UnitList:
    """A split unit list: the names, and notes for a reviewer ('等', a part that is not a unit)."""

    names: tuple[str, ...]
    etc: tuple[str, ...] = ()  # names printed with a trailing 等
    odd: tuple[str, ...] = ()  # parts that do not look like unit names


# A document repeats its unit lists (the same 牵头单位 for item after item, and each assignment is
# read again once closing assignments are folded into their item): each list is split once.
# UnitList is immutable.
@lru_cache(maxsize=4096)
def split_units(text: str) -> UnitList:
    """Split a printed unit list into names; strip a trailing 等 and note it.

    Guarantees: nothing printed is dropped; a part that does not end like a unit name is kept
    as a name and listed in ``odd``.
    """
    names: list[str] = []
    etc: list[str] = []
    odd: list[str] = []
    parts = [piece for raw in split_top_level(text) for piece in _split_spaces(raw)]
    parts = _expand_shared_suffix(_merge_level_words(parts))
    for part in parts:
        for piece in (p for joined in _split_and(part) for p in _split_groups(joined)):
            name = (_ETC.sub("", piece) if "等" in piece else piece).strip()  # _ETC starts with 等
            if not name:
                continue
            if name != piece:
                etc.append(name)
            if not looks_like_unit(name):
                odd.append(name)
            names.append(name)
    return UnitList(names=tuple(names), etc=tuple(etc), odd=tuple(odd))


def _split_spaces(part: str) -> list[str]:
    """Spaces inside a part: separators between whole names, else PDF damage inside one name.

    '各县(区)人 民政府' (卫政办发〔2022〕29号 line 1302, a table cell) is one name with a stray space.
    """
    pieces = part.split()
    if len(pieces) > 1 and all(ends_like_unit(p) for p in pieces):
        return pieces
    return ["".join(pieces)]


def _merge_level_words(parts: list[str]) -> list[str]:
    """Join a bare level word to the group before it: ['各区', '市政府'] → ['各区、市政府']."""
    out: list[str] = []
    for part in parts:
        previous = out[-1] if out else ""
        if (
            previous.startswith(_GROUP_HEAD)
            and _BARE_LEVEL.match(part)
            and not ends_like_unit(previous)
            or (_LEVEL_GROUP.match(previous) and _LEVEL_BODY.match(part) and ends_like_unit(part))
        ):
            out[-1] = f"{previous}、{part}"
        else:
            out.append(part)
    return out


def _expand_shared_suffix(parts: list[str]) -> list[str]:
    """Give bare names the suffix the last of their run prints: 济南、青岛、烟台市政府 → three."""
    out: list[str] = []
    pending: list[str] = []
    for part in parts:
        if _BARE_WORD.match(part) and not looks_like_unit(part):
            pending.append(part)
            continue
        suffix = _shared_suffix(part) if pending else None
        if suffix:
            out.extend(_with_suffix(name, suffix) for name in pending)
        else:
            out.extend(pending)
        pending = []
        out.append(part)
    out.extend(pending)
    return out


def _with_suffix(name: str, suffix: str) -> str:
    """``name`` with ``suffix``, once: 萧山区 + 区政府 → 萧山区政府 (萧山区、余杭区、滨江区政府)."""
    overlap = next((n for n in range(min(len(name), len(suffix)) - 1, 0, -1) if name.endswith(suffix[:n])), 0)
    return name + suffix[overlap:]


def _shared_suffix(part: str) -> str | None:
    """The suffix ``part`` shares with bare names before it: '烟台市政府' → '市政府', '财政部门' → '部门'."""
    for suffix in lexicon().shared_suffixes:
        if part.endswith(suffix) and len(part) > len(suffix) + 1:
            return suffix
    return None


def _split_groups(part: str) -> list[str]:
    """Two groups run together with no 、: '各地区各部门' → 各地区, 各部门 (as '各地区、各部门' reads)."""
    match = _TWO_GROUPS.match(part)
    return [match.group(1), match.group(2)] if match else [part]


_AND = re.compile("[和及与]")


def _split_and(part: str) -> list[str]:
    """Split on 及 (always) and on 和/与 where they join two complete names.

    '相关部门及各地区' is two; '国务院相关部门和单位', '住房和城乡建设局', '各级党委和政府' are one.
    """
    if "和" not in part and "及" not in part and "与" not in part:
        return [part.strip()] if part.strip() else []
    pieces: list[str] = []
    start = 0
    for match in _AND.finditer(part):
        left = part[start : match.start()]
        right = part[match.end() :]
        following = _AND.split(right, maxsplit=1)[0]
        if len(left) < 2 or len(right) < 2 or following in _GENERIC or "(" in left[-1:] or "（" in left[-1:]:
            continue
        if match.group() == "及" or left.endswith("等"):
            joins = True
        else:
            joins = (
                ends_like_unit(left) and len(left) >= 3 and looks_like_unit(following) and len(following) >= 3
            )
        if joins:
            pieces.append(left)
            start = match.end()
    pieces.append(part[start:])
    return [p for p in (x.strip() for x in pieces) if p]
