"""Unit names: their shapes (a unit or a phrase, a department of some government or not) and the
dropped level prefix.

Gazettes list units as ``市财政局、人力资源社会保障局、医保局``: the level prefix (市) is printed
once and dropped from the names after it. :func:`restore_prefix` puts it back, but only onto a name
of the same kind as its prefixed siblings (a 局/委/办/厅 of that government, as the lexicon's
``department_suffixes`` say), never onto 团省委, a research centre, a laboratory, a bank branch or a
body named after a place (lexicon ``non_government`` and ``places``). Splitting lives in
``unit_lists``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import lexicon, mentions_place

_SEPARATORS = "、,，;；"
# Brackets inside a name: 各县(区), 各县〔市、区〕人民政府 (宜府办字〔2024〕28号), whose separators do not split.
_OPEN, _CLOSE = "(（〔", ")）〕"
_ANY_BRACKET = re.compile(f"[{re.escape(_OPEN + _CLOSE)}]")


def ends_like_unit_name(text: str) -> bool:
    """True when ``text`` ends with a suffix that ends a unit name (局, 委, 办 … the lexicon's
    ``unit_suffixes``): a unit, not a phrase."""
    return text.endswith(lexicon().unit_suffixes)


# Names that carry their own level or place and so never take a restored prefix: groups
# (各县(区), 市直有关部门), counties and districts (沙坡头区政府), branches of higher bodies
# (银保监中卫分局), hospitals and companies (医联体牵头医院, 应理集团), names led by a place
# (中卫市税务局, 卫政办发〔2022〕24号 line 910), and the youth league's 团省委/团市委.
_OWN_LEVEL = re.compile(
    r"""^(?:市|省|县|区|自治区|各|全市|全区|全省|中央|中共|国家|国务院|中国|全国|驻)
        |^[\u4e00-\u9fff]{2,4}(?:市|省)(?!场)
        |^[\u4e00-\u9fff]{1,2}(?:省|市|县|区)委
        |区|县|分局|医院|集团|公司|学校|大学|总局|总署
        |^人民银行|^人行|支行|分行""",  # 人民银行银川中心支行: a central bank branch, never municipal
    re.VERBOSE,
)

# Party organs take the 市委 prefix: '市委组织部、编办' → 市委编办 (卫政办发〔2022〕29号 line 1221).
_PARTY_ORGANS = (
    "编办",
    "组织部",
    "宣传部",
    "统战部",
    "政法委",
    "党校",
    "依法治市办",
    "网信办",
    "政研室",
    "农办",
    "外办",
    "军民融合办",
    "金融办",
    "教育工委",
    "老干部局",
    "机要保密局",
    "台港澳办",
)

# The level prefix a list states once: 市财政局 → 市, 省委组织部 → 省, 自治区财政厅 → 自治区, 区财政局 → 区.
_LEVEL = re.compile(r"^(?P<level>自治区|省|市|县|区)(?P<party>委)?(?!场)")

# National bodies keep their name in any list: 市场监管总局, 海关总署 (国发〔2018〕38号 line 2437, 2449).
_NATIONAL = re.compile(r"总局|总署")


def split_top_level(text: str, separators: str = _SEPARATORS) -> list[str]:
    """Split ``text`` on any of ``separators`` outside parentheses; parts stripped, empties dropped."""
    splitter, marks = _splitters(separators)
    if _ANY_BRACKET.search(text) is None:
        return [p.strip() for p in splitter.split(text) if p.strip()]
    # Only brackets and separators matter: visit those, not every character.
    parts: list[str] = []
    depth = 0
    start = 0
    for match in marks.finditer(text):
        char = match.group()
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


@lru_cache(maxsize=16)
def _splitters(separators: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The pattern splitting on ``separators``, and the one finding separators and brackets."""
    return re.compile(f"[{re.escape(separators)}]"), re.compile(f"[{re.escape(separators + _OPEN + _CLOSE)}]")


def looks_like_unit(name: str) -> bool:
    """True when ``name`` ends like a unit name, is a group reference (各县(区), 有关区、市政府) or
    is a body the lexicon knows (中国科协, 国家电网)."""
    if name.startswith(("各", "有关", "相关")) or ends_like_unit_name(strip_parenthetical(name)):
        return True
    return _known_body(name)


@lru_cache(maxsize=4096)
def _known_body(name: str) -> bool:
    return lexicon().is_known_body(name)


def ends_like_unit(name: str) -> bool:
    """True when ``name`` ends with a unit suffix or a bracketed group word (各县(区))."""
    return name.endswith((")", "）")) or ends_like_unit_name(name)


def strip_parenthetical(name: str) -> str:
    """``name`` without a trailing parenthetical: 市直有关部门(单位) → 市直有关部门."""
    # The pattern ends in a closer before '$' (the end, or a final newline): a name ending otherwise
    # is returned without trying the pattern at every offset.
    last = name[-2:-1] if name.endswith("\n") else name[-1:]
    if last and last not in _TRAILING_CLOSERS:
        return name
    return _PARENTHETICAL.sub("", name)


_TRAILING_CLOSERS = ")）〕"
_PARENTHETICAL = re.compile(r"[(（〔][^()（）〔〕]*[)）〕]$")


def level_of(name: str) -> str | None:
    """The level prefix a name is printed with (市, 省, 自治区, 县, 区), or None."""
    match = _LEVEL.match(name)
    return match.group("level") if match else None


def is_department(name: str) -> bool:
    """True when ``name`` has the shape of a government department (局, 委, 办, 厅, 支队, 交易中心 …).

    Research centres, laboratories, universities, banks and companies are not, whatever their suffix.
    """
    words = lexicon()
    return name.endswith(words.department_suffixes) and words.non_government_marker.search(name) is None


def needs_prefix(name: str) -> bool:
    """True when a name in a list looks like a department printed without its level prefix."""
    return _OWN_LEVEL.search(name) is None and is_department(name) and not mentions_place(name)


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
        elif (
            name.startswith("市场") and (seen or level) and is_department(name) and not _NATIONAL.search(name)
        ):
            out.append(f"{seen or level}{name}")
        elif seen and needs_prefix(name):
            party = "委" if name.startswith(_PARTY_ORGANS) else ""
            out.append(seen + party + name)
        else:
            out.append(name)
    return out
