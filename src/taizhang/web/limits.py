"""Input bounds checked before a route runs: ids and numbers in range, dates that parse, ``as_of`` in range.

A number no column can hold (an id of 2^63) or a date the calendar code cannot reach (9999-12-31)
is refused here with a Chinese message, instead of failing deep in the database driver.
"""

from __future__ import annotations

import re
from datetime import date

from fastapi import Request

from ..errors import InvalidInput, NotFound
from ..settings import Settings

MAX_ID = 2**31 - 1  # ids are INTEGER columns: 32 bits on PostgreSQL
FREE_TEXT_PARAMS = frozenset({"q", "next"})  # a search for a long number is text, not an id


def _too_big(text: str) -> bool:
    digits = text.strip().removeprefix("-")
    return digits.isdigit() and (len(digits) > 10 or int(digits) > MAX_ID)


async def check_ranges(request: Request) -> None:
    """Refuse a path id (404) or a numeric query value (400) beyond what the database holds."""
    for value in request.path_params.values():
        if isinstance(value, str) and _too_big(value):
            raise NotFound(f"编号 {value[:30]} 不存在")
    for name, value in request.query_params.multi_items():
        if name not in FREE_TEXT_PARAMS and _too_big(value):
            raise InvalidInput(f"参数 {name[:30]} 的值 {value[:30]} 超出范围（最大 {MAX_ID}）")


_OFFICE_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def form_date(text: str, what: str) -> date | None:
    """A date typed into field ``what`` as 2022-06-30, 2022/6/30, 2022.6.30 or 2022年6月30日; None when
    empty. Raises InvalidInput (an impossible day too)."""
    if not text.strip():
        return None
    match = _OFFICE_DATE.match(text)
    try:
        if match is None:
            raise ValueError(text)
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise InvalidInput(f"{what}「{text[:40]}」不是有效日期，请写成 2022-06-30 的形式") from None


def bounded_as_of(settings: Settings, day: date) -> date:
    """``day`` when within ``as_of_earliest``..``as_of_latest``; InvalidInput otherwise."""
    if not settings.as_of_earliest <= day <= settings.as_of_latest:
        raise InvalidInput(
            f"统计日期 as_of={day.isoformat()} 超出范围：须在 {settings.as_of_earliest.isoformat()} "
            f"至 {settings.as_of_latest.isoformat()} 之间"
        )
    return day
