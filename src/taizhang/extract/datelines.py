"""Dates printed as a line of their own: the 成文日期 under a signature, the 出版 date of an issue.

Both digit dates ('2022年3月17日', gazette line 133) and Chinese-numeral dates
('一九九六年一月二十五日', '二〇〇四年八月十二日', State Council file lines 522 and 572) occur.
"""

from __future__ import annotations

import re
from datetime import date

_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUMERAL = "〇○零O一二三四五六七八九十"

_DATE = re.compile(
    rf"""
    (?P<year>\d{{4}}|[{_NUMERAL}]{{4}})\s*年\s*
    (?P<month>\d{{1,2}}|[{_NUMERAL}]{{1,2}})\s*月\s*
    (?P<day>\d{{1,2}}|[{_NUMERAL}]{{1,3}})\s*日
    """,
    re.VERBOSE,
)

# A line holding nothing but a date, optionally followed by 出版 (issue date, gazette line 31).
_DATE_LINE = re.compile(rf"^\s*(?:{_DATE.pattern})\s*(?P<suffix>出版)?\s*$", re.VERBOSE)


def parse_date(text: str) -> date | None:
    """The first date in ``text`` (digits or Chinese numerals), or None when none is valid."""
    match = _DATE.search(text)
    return _to_date(match) if match else None


def date_of_line(line: str, suffix: str | None = None) -> date | None:
    """The date when the whole line is a date (ending in ``suffix`` if given, e.g. 出版), else None."""
    match = _DATE_LINE.match(line)
    if not match or match.group("suffix") != suffix:
        return None
    return _to_date(match)


def _to_date(match: re.Match[str]) -> date | None:
    try:
        return date(_year(match.group("year")), _small(match.group("month")), _small(match.group("day")))
    except ValueError:
        return None


def _year(text: str) -> int:
    if text.isdigit():
        return int(text)
    return int("".join(str(_DIGITS.get(ch, 0)) for ch in text))


def _small(text: str) -> int:
    """1-31 in digits or Chinese numerals: 十 = 10, 十一 = 11, 二十五 = 25, 三十 = 30."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _DIGITS.get(text, 0)
    tens, _, units = text.partition("十")
    return (_DIGITS.get(tens, 0) if tens else 1) * 10 + (_DIGITS.get(units, 0) if units else 0)
