"""Chinese numerals as numbers, through cn2an: the one place the core converts them."""

from __future__ import annotations

from functools import lru_cache

import cn2an


# Item labels repeat (一、 二、 in every document) and cn2an is slow to convert: each is read once.
@lru_cache(maxsize=1024)
def chinese_int(text: str) -> int | None:
    """``二十三`` → 23, ``一百零五`` → 105, ``两`` → 2, ``12`` → 12; None when ``text`` is no whole number."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    try:
        # strict: a run of digits (三五天, 二〇二二) is no number here but a range or a year as printed
        value = cn2an.cn2an(text.replace("两", "二").replace("〇", "零"), "strict")
    except (ValueError, KeyError, IndexError, TypeError):  # cn2an refuses what is not a numeral
        return None
    return int(value) if value == int(value) else None
