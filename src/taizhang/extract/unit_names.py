"""Unit lists as printed → unit names: splitting, '等', and the dropped 市 prefix.

Gazettes list units as ``市财政局、人力资源社会保障局、医保局``: the level prefix (市) is printed
once and dropped from the names after it. These functions split such a list and restore the
prefix, keeping every name as printed otherwise (resolution against the directory comes later).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Separators between units. 和/及 are ones only after a complete unit name or 等 (see _split_and):
# 住房和城乡建设局, 发展和改革委员会, 文化和旅游部 keep theirs.
_SEPARATORS = "、,，;；"
# Brackets inside a name: 各县(区), 各县〔市、区〕人民政府 (宜府办字〔2024〕28号), whose separators do not split.
_OPEN, _CLOSE = "(（〔", ")）〕"

# Suffixes that end a unit name (局, 委, 办 ...); used to tell a unit from a phrase.
UNIT_SUFFIX = re.compile(
    r"""(?:局|委|委员会|办|办公室|部|厅|署|总局|支队|大队|中心|部门|单位|院|会|所|处|站|队|室|社|行
        |政府|集团|公司|组|团|联|工委|监委|法院|检察院|管委会|医院|校|中央)$""",
    re.VERBOSE,
)

# Trailing '等' forms: 人民银行等部门 (国发〔2018〕38号), 全国总工会等 (国办发〔2018〕129号).
_ETC = re.compile(r"等(?:部门|单位|有关部门|相关部门|机构)?$")

# Names that carry their own level or place and so never take a restored prefix: groups
# (各县(区), 市直有关部门), counties and districts (沙坡头区政府), branches of higher bodies
# (银保监中卫分局), hospitals and companies (医联体牵头医院, 应理集团), and names led by a
# place (中卫市税务局, 卫政办发〔2022〕24号 line 910).
_OWN_LEVEL = re.compile(
    r"""^(?:市|省|县|区|自治区|各|全市|全区|全省|中央|国家|国务院|中国|全国)
        |^[\u4e00-\u9fff]{2,4}(?:市|省)(?!场)
        |区|县|分局|医院|集团|公司|学校|大学|总局|总署
        |^人民银行|^人行|支行|分行""",  # 人民银行银川中心支行: a central bank branch, never municipal
    re.VERBOSE,
)

# Party organs take the 市委 prefix: '市委组织部、编办' → 市委编办 (卫政办发〔2022〕29号 line 1221).
_PARTY_ORGANS = ("编办", "组织部", "宣传部", "统战部", "政法委", "党校", "依法治市办", "网信办", "政研室", "农办", "外办")

# The level prefix a list states once: 市财政局 → 市, 省委组织部 → 省, 自治区财政厅 → 自治区, 区财政局 → 区.
_LEVEL = re.compile(r"^(?P<level>自治区|省|市|县|区)(?P<party>委)?(?!场)")


@dataclass(frozen=True)
class UnitList:
    """A split unit list: the names, and notes for a reviewer ('等', a part that is not a unit)."""

    names: tuple[str, ...]
    etc: tuple[str, ...] = ()  # names printed with a trailing 等
    odd: tuple[str, ...] = ()  # parts that do not look like unit names


def split_top_level(text: str, separators: str = _SEPARATORS) -> list[str]:
    """Split ``text`` on any of ``separators`` outside parentheses; parts stripped, empties dropped."""
    if not any(char in text for char in _OPEN + _CLOSE):
        return [p.strip() for p in re.split("[" + re.escape(separators) + "]", text) if p.strip()]
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        if char in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _split_and(part: str) -> list[str]:
    """Split on 和/及 where they join two units: after 等 or a unit suffix, not inside a name.

    '市级各有关部门及各县市区政府' is two; '住房和城乡建设局' is one.
    """
    pieces: list[str] = []
    start = 0
    for match in re.finditer("[和及]", part):
        left = part[start : match.start()]
        right = part[match.end() :]
        joins_units = left.endswith("等") or (UNIT_SUFFIX.search(left) is not None and len(left) >= 3)
        if joins_units and len(right) >= 2 and "(" not in left[-1:]:
            pieces.append(left)
            start = match.end()
    pieces.append(part[start:])
    return [p for p in (x.strip() for x in pieces) if p]


def split_units(text: str) -> UnitList:
    """Split a printed unit list into names; strip a trailing 等 and note it.

    Guarantees: nothing printed is dropped; a part that does not end like a unit name is kept
    as a name and listed in ``odd``.
    """
    names: list[str] = []
    etc: list[str] = []
    odd: list[str] = []
    parts = [piece for raw in split_top_level(text) for piece in _split_spaces(raw)]
    for part in _merge_level_words(parts):
        for piece in _split_and(part):
            name = _ETC.sub("", piece).strip()
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
    if len(pieces) > 1 and all(_ends_like_unit(p) for p in pieces):
        return pieces
    return ["".join(pieces)]


# A bare level word continuing a group: '各区、县级市' (广州, 2010s talent plan) is one group, not two.
_BARE_LEVEL = re.compile(r"^(?:县级市|自治县|县|区|市|旗|乡镇|乡|镇|街道)(?:人民政府|政府|办事处)?$")


def _merge_level_words(parts: list[str]) -> list[str]:
    """Join a bare level word to the 各… group before it: ['各区', '县级市'] → ['各区、县级市']."""
    out: list[str] = []
    for part in parts:
        if out and out[-1].startswith("各") and _BARE_LEVEL.match(part):
            out[-1] = f"{out[-1]}、{part}"
        else:
            out.append(part)
    return out


def looks_like_unit(name: str) -> bool:
    """True when ``name`` ends like a unit name or is a group reference (各县(区))."""
    return name.startswith("各") or UNIT_SUFFIX.search(_strip_parenthetical(name)) is not None


def _ends_like_unit(name: str) -> bool:
    """True when ``name`` ends with a unit suffix or a bracketed group word (各县(区))."""
    return name.endswith((")", "）")) or UNIT_SUFFIX.search(name) is not None


def _strip_parenthetical(name: str) -> str:
    """``name`` without a trailing parenthetical: 市直有关部门(单位) → 市直有关部门."""
    return re.sub(r"[(（][^()（）]*[)）]$", "", name)


def level_of(name: str) -> str | None:
    """The level prefix a name is printed with (市, 省, 自治区, 县, 区), or None."""
    match = _LEVEL.match(name)
    return match.group("level") if match else None


def needs_prefix(name: str) -> bool:
    """True when a name in a list looks like a department printed without its level prefix."""
    return _OWN_LEVEL.search(name) is None and UNIT_SUFFIX.search(name) is not None


# National bodies keep their name in any list: 市场监管总局, 海关总署 (国发〔2018〕38号 line 2437, 2449).
_NATIONAL = re.compile(r"总局|总署")


def restore_prefix(names: list[str] | tuple[str, ...], level: str | None) -> list[str]:
    """Restore the level prefix dropped after the first name of a list.

    ``level`` is the document's level (市 for a city government) or None (national documents:
    no restoration unless the list itself prints a prefix). A bare 市场监督管理局/市场监管部门
    takes the level even as the first name (卫政办发〔2022〕28号 line 1070: '配合单位:市场监督管理局'
    → 市市场监督管理局): its own 市 is part of the word 市场, never a level.
    """
    out: list[str] = []
    seen: str | None = None
    for name in names:
        own = level_of(name)
        if own:
            seen = own
            out.append(name)
        elif name.startswith("市场") and (seen or level) and UNIT_SUFFIX.search(name) and not _NATIONAL.search(name):
            out.append(f"{seen or level}{name}")
        elif seen and needs_prefix(name):
            party = "委" if name.startswith(_PARTY_ORGANS) else ""
            out.append(seen + party + name)
        else:
            out.append(name)
    return out
