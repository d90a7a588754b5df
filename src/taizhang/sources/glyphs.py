"""Undo a common PDF text-layer defect: ideographs exported as radical code points.

PDF fonts often map characters such as 人, 工, 门 to the Kangxi radicals (U+2F00–U+2FD5) or the
CJK radicals supplement (U+2E80–U+2EF3) that look the same: '中卫市⼈⺠政府' instead of
'中卫市人民政府'. Every later stage matches on real ideographs, so they are mapped back here.
"""

from __future__ import annotations

import re
import unicodedata

# The radicals supplement has no compatibility mapping for most characters; these are the
# simplified forms that fonts substitute in government text.
_SUPPLEMENT = {
    "⺠": "民",
    "⻔": "门",
    "⻓": "长",
    "⻅": "见",
    "⻆": "角",
    "⻋": "车",
    "⻢": "马",
    "⻛": "风",
    "⻜": "飞",
    "⻝": "食",
    "⻚": "页",
    "⻉": "贝",
    "⻄": "西",
    "⻘": "青",
    "⻦": "鸟",
    "⻥": "鱼",
    "⻬": "齐",
    "⻮": "齿",
    "⻰": "龙",
    "⻳": "龟",
    "⺟": "母",
    "⻨": "麦",
    "⻩": "黄",
    "⻈": "讠",
    "⺮": "竹",
    "⺶": "羊",
    "⻊": "足",
    "⻌": "辶",
    "⻏": "阝",
    "⺈": "刀",
    "⺊": "卜",
    "⺧": "牛",
}


_RADICAL = re.compile("[\u2e80-\u2fdf]")


def _ideograph(match: re.Match[str]) -> str:
    char = match.group()
    return _SUPPLEMENT.get(char) or unicodedata.normalize("NFKC", char)


def repair_radicals(text: str) -> str:
    """Map Kangxi and supplement radicals back to the ideographs they stand for."""
    return _RADICAL.sub(_ideograph, text)
