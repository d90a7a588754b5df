"""Deadline phrases (完成时限) → :class:`~taizhang.extract.model.Deadline` data.

``parse_deadline`` reads the phrases gazettes print after an item ("2022年12月底前",
"2022年底完成并长期坚持", "立行立改,长期坚持", "每月25日前", "10个工作日内") and returns the kind
and, where the text gives or implies one, the last day the work may be done on.

Conventions (what later stages may rely on):

- ``due`` is always a real date, inclusive: "12月底前" is 12-31, "3月1日前" is 03-01.
- A month alone means its last day; 上旬/中旬/下旬 end on the 10th, the 20th and the month end;
  月初 counts as 上旬 and 月中 as the 15th; a quarter, half-year or year means its last day.
- A month without a year takes ``year`` (else the year of ``signed``); when ``signed`` is given and
  that date falls more than 90 days before signing, the text meant the next year.
- ``recurring``: ``recurrence`` uses the grammar of :mod:`taizhang.ledger.cycles`
  (``monthly:25``, ``monthly:+5``, ``quarterly``, ``quarterly:+10``, ``half-yearly``, ``yearly``,
  ``yearly:01-31``, ``weekly``); ``due`` is the explicit end date if the text has one, else None.
- ``relative``: working days go in ``working_days``; calendar spans, which have no field of their
  own, go in ``recurrence`` as ``days:N``, ``weeks:N``, ``months:N`` or ``years:N``; ``anchor`` is
  the event the count starts from, as printed ("收住老年人后"). ``due`` is None until
  :func:`due_from_relative` is given the anchor's date, except when the anchor is the document's
  own issue ("自本方案印发之日起3个月内") and ``signed`` is known. A count longer than ten years is
  a misread figure: the text is ``other``.
- ``phased``: a range ("2023年1月—2023年4月") gives two phases, its start (first day) and its end;
  several dates give one phase per clause; ``due`` is the last date. "分阶段完成" alone has no due.
- 本月/当月/下月/本季度 are counted from ``signed``; without it they are not read.
- 立行立改 / 立即 alone means the signing date when ``signed`` is known (else ``other``).
- ``other``: text with no deadline we can read; ``due`` is None and the caller flags it.
- Never raises on any string.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from ..workdays import add_workdays, next_workday
from .model import Deadline
from .numerals import chinese_int

__all__ = ["parse_deadline", "due_from_relative", "normalise_deadline_text"]

# A year further from these bounds is a misread figure, not a deadline.
MIN_YEAR, MAX_YEAR = 1900, 2199
ROLL_OVER_DAYS = 90  # a year-less date this far before signing means next year

ONGOING = re.compile(
    r"长期坚持|长期推进|长期开展|长期执行|长期有效|常态化|持续推进|持续开展|久久为功|^长期$|^持续$|^长期任务$"
)
IMMEDIATE = re.compile(r"立行立改|立即|即时|马上")
PHASED = re.compile(r"(?<!不)(?:分阶段|分步骤|分步|分批|分年度)")  # "不分阶段" (卫政办发〔2022〕44号) is not

# Chinese numerals, converted only where a date or count unit follows ("十二月", "三个月",
# "十个工作日"), so words like 统一 or 一次 are left alone.
CN_YEAR = re.compile(r"[〇零○一二三四五六七八九]{4}(?=年)")
CN_NUMBER = re.compile(r"[零〇一二三四五六七八九两十百]+(?=个|年|月|日|号|天|季|周|星期|工作日|旬)")
CN_YEAR_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")

DASH = r"(?:—+|–|-|~|―|至|到)"
ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?!\d)")
YEAR_RANGE = re.compile(rf"(?<!\d)(\d{{4}})年?{DASH}(\d{{4}})年")  # 2021—2023年
MONTH_RANGE = re.compile(rf"(?<![\d年])(\d{{1,2}}){DASH}(\d{{1,2}})月")  # 1—4月
RANGE_DASH = re.compile(rf"(?<=[年月日号旬底末度]){DASH}(?=\d|今|明|本|次)")

DATE = re.compile(
    r"""
    (?:(?P<y>(?<!\d)\d{4})年度?|(?P<ry>今年|明年|本年|当年|次年))?   # 2022年 / 今年
    (?:
        (?<!\d)(?P<m>\d{1,2})月份?                                  # 12月, 4月份
        (?:(?P<d>\d{1,2})[日号]|(?P<part>上旬|中旬|下旬|初|中|底|末))?  # 1日, 上旬, 底
      | 第?(?P<q>[1-4])季度(?:末|底)?                               # 第三季度, 三季度末
      | (?P<h>上|下)半年(?:末|底)?                                  # 上半年
      | (?P<yend>年?底|年?末|年?内|年?终|全年)                      # 年底, 2022年底, 全年
    )?
    """,
    re.VERBOSE,
)

RECURRING = re.compile(
    r"""
    (?:每个?|逐|按(?=月|季|半年|年度))                               # 每月, 逐月, 按季度 (not 按年龄)
    (?:
        (?P<month>月)(?:(?P<md>\d{1,2})[日号]|(?P<mend>底|末))?        # 每月25日前 (卫政办发〔2022〕29号)
      | (?P<quarter>季度?)(?:末|底)?                                  # 每季度
      | (?P<half>半年)                                                # 每半年
      | (?P<year>年度?)(?:(?P<ym>\d{1,2})月(?:(?P<yd>\d{1,2})[日号])?)?  # 每年1月31日前
      | (?P<week>周|星期)(?P<wd>[1-7一二三四五六日天])?                 # 每周五
    )
    """,
    re.VERBOSE,
)
AFTER_PERIOD = re.compile(
    r"(?:结束|终了|届满)后(?P<n>\d+)(?P<unit>个?工作日|日|天)内|首月(?P<first>\d+)[日号]"
)
WEEKDAYS = {c: str(i % 7 + 1) for i, c in enumerate("一二三四五六日")} | {"天": "7"}
WEEKDAYS |= {str(n): str(n) for n in range(1, 8)}
PREVIOUS_PERIOD = re.compile(r"上月|上一?季度|上半年|上一?年度?")

RELATIVE = re.compile(
    r"""
    (?P<cap>不超过|不得超过|最长不超过|最多|限期)?
    (?<![\d月年])(?P<n>\d+)个?
    (?P<unit>工作日|自然日|日历日|日|天|周|星期|月|年)
    (?P<within>以内|之内|内)?
    """,
    re.VERBOSE,
)
RELATIVE_UNITS = {
    "日": "days",
    "天": "days",
    "自然日": "days",
    "日历日": "days",
    "周": "weeks",
    "星期": "weeks",
}
RELATIVE_UNITS |= {"月": "months", "年": "years"}
# Longest count we accept per span, about ten years; a larger one is a misread figure.
RELATIVE_LIMITS = {"working": 2600, "days": 3660, "weeks": 522, "months": 120, "years": 10}
ANCHOR_MODAL = re.compile(r"应当|必须|务必|须|应")
ANCHOR_LEAD = re.compile(r"^(?:并|且|均|一般|原则上|力争|争取|确保|务必|要)*(?:在|于|自|从|由)?")
# "自本方案印发之日起3个月内": the anchor is the document itself, so its signing date starts the count
ISSUANCE = re.compile(r"(?:印发|下发|发布|公布|施行)之日")
START_MARK = re.compile(
    r"起(?!至|到)|开始|以来"
)  # "从4月底开始" (卫政办发〔2022〕44号) starts, it is not due
CLAUSE = re.compile(r"[,;。、:]")


@dataclass(frozen=True)
class _Found:
    """A date expression found in the text: its words and the first and last day it covers."""

    text: str
    start: int
    end: int
    first: date
    last: date
    explicit_year: bool


def parse_deadline(text: str | None, *, year: int | None = None, signed: date | None = None) -> Deadline:
    """Read a deadline phrase; unreadable text gives kind ``other`` with no due date.

    Guarantees: never raises; ``due`` is a real date or None; ``text`` is the phrase as given.
    """
    return _parse_deadline(text, year, signed)


# A document states the same few phrases again and again ('2022年底前完成' for a whole list, a
# table's deadline column, the reporting duties read from the same lines): each is read once.
# The reading depends on nothing but the arguments, and a Deadline is immutable.
@lru_cache(maxsize=4096)
def _parse_deadline(text: str | None, year: int | None, signed: date | None) -> Deadline:
    if text is None or not text.strip():
        return Deadline(kind="none", text=text or None)
    try:
        return _parse(text, year=year, signed=signed)
    except (ValueError, ArithmeticError):
        # A figure no calendar holds (year 0, day 99): the reviewer reads it, we do not guess.
        return Deadline(kind="other", text=text)


def _parse(text: str, *, year: int | None, signed: date | None) -> Deadline:
    """The reading itself, once the text is known not to be empty."""
    norm = normalise_deadline_text(text)
    if signed is not None:
        norm = _months_of_signing(norm, signed)
    base_year = year if year is not None else (signed.year if signed else None)
    recurring = RECURRING.search(norm)
    found = _find_dates(norm, base_year, signed)
    if recurring:
        # the cycle's own day ("每年1月31日前", "每年年底") is not an end date; a dated clause beside it is
        ends = [
            f.last
            for f in found
            if f.explicit_year and (f.end <= recurring.start() or f.start >= recurring.end())
        ]
        due = max(ends, default=None)
        return Deadline(kind="recurring", due=due, text=text, recurrence=_recurrence(recurring, norm))
    relative = _find_relative(norm)
    if relative is not None:
        return _relative_deadline(text, norm, relative, signed)
    if found:
        return _dated_deadline(text, norm, found)
    if ONGOING.search(norm):
        return Deadline(kind="ongoing", text=text)
    if PHASED.search(norm):
        return Deadline(kind="phased", text=text)
    if IMMEDIATE.search(norm) and signed is not None:
        return Deadline(kind="date", due=signed, text=text)
    return Deadline(kind="other", text=text)


def normalise_deadline_text(text: str) -> str:
    """NFKC (full-width digits and punctuation), Chinese numerals as digits, one dash for ranges."""
    norm = unicodedata.normalize("NFKC", text)
    norm = re.sub(r"\s+", "", norm)
    norm = CN_YEAR.sub(lambda m: m.group(0).translate(CN_YEAR_DIGITS), norm)
    norm = CN_NUMBER.sub(_cn_number, norm)
    norm = ISO_DATE.sub(r"\1年\2月\3日", norm)
    norm = YEAR_RANGE.sub(r"\1年—\2年", norm)
    norm = MONTH_RANGE.sub(r"\1月—\2月", norm)
    norm = re.sub(r"(?<=[年月日号旬底末度])起(?=至|到)", "", norm)  # 5月1日起至6月30日
    return RANGE_DASH.sub("—", norm)


def _months_of_signing(norm: str, signed: date) -> str:
    """本月/当月/下月 and 本季度 written as the month or quarter they mean for a document signed then.

    次月 is left alone: "代扣税款的次月十五日内" counts from an event, not from the document.
    """
    following = date(signed.year + signed.month // 12, signed.month % 12 + 1, 1)
    quarter = (signed.month - 1) // 3 + 1
    norm = re.sub(r"本月|当月", f"{signed.year}年{signed.month}月", norm)
    norm = norm.replace("下月", f"{following.year}年{following.month}月")
    return re.sub(r"本季度?|当季度?", f"{signed.year}年第{quarter}季度", norm)


def _cn_number(match: re.Match[str]) -> str:
    """One run of Chinese numerals as digits, or the run unchanged when it is not a number."""
    value = chinese_int(match.group(0))
    return match.group(0) if value is None else str(value)


def _find_dates(norm: str, base_year: int | None, signed: date | None) -> list[_Found]:
    """Every date expression in ``norm`` that names a real day, in text order."""
    found: list[_Found] = []
    carried = base_year  # "2023年1月—4月": the second month takes the year printed before it
    year_from_document = True  # until the text prints a year of its own
    for match in DATE.finditer(norm):
        if not match.group(0) or not _is_date_expression(match) or START_MARK.match(norm, match.end()):
            continue
        explicit = match.group("y") is not None
        year_from_document = year_from_document and not explicit
        year = _year_of(match, carried, base_year)
        if year is None or not MIN_YEAR <= year <= MAX_YEAR:
            continue
        bounds = _bounds(match, year)
        if bounds is None:
            continue
        first, last = bounds
        if year_from_document and match.group("ry") is None and signed is not None:
            first, last = _roll_over(first, last, signed)
        if explicit:
            carried = year
        found.append(_Found(match.group(0), match.start(), match.end(), first, last, explicit))
    return found


def _is_date_expression(match: re.Match[str]) -> bool:
    """False for a lone "底" or "内" with no year, and for a bare year-relative word."""
    has_period = any(match.group(g) for g in ("m", "q", "h"))
    yend = match.group("yend")
    if has_period:
        return True
    if yend:
        return (
            match.group("y") is not None or match.group("ry") is not None or yend.startswith(("年", "全年"))
        )
    return match.group("y") is not None


def _year_of(match: re.Match[str], carried: int | None, base_year: int | None) -> int | None:
    """The year an expression refers to: printed, relative to the document, or carried forward."""
    if match.group("y"):
        return int(match.group("y"))
    relative = match.group("ry")
    if relative:
        if base_year is None:
            return None
        return base_year + 1 if relative in ("明年", "次年") else base_year
    return carried


def _bounds(match: re.Match[str], year: int) -> tuple[date, date] | None:
    """First and last day covered by the expression, or None when it names no real day."""
    if match.group("m"):
        return _month_bounds(year, int(match.group("m")), match.group("d"), match.group("part"))
    if match.group("q"):
        quarter = int(match.group("q"))
        return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
    if match.group("h"):
        if match.group("h") == "上":
            return date(year, 1, 1), date(year, 6, 30)
        return date(year, 7, 1), date(year, 12, 31)
    return date(year, 1, 1), date(year, 12, 31)


def _month_bounds(year: int, month: int, day: str | None, part: str | None) -> tuple[date, date] | None:
    """A day, a 旬 or a whole month."""
    if not 1 <= month <= 12:
        return None
    end = _month_end(year, month)
    if day is not None:
        number = int(day)
        if not 1 <= number <= end.day:
            return None
        return date(year, month, number), date(year, month, number)
    first, last = {
        "上旬": (1, 10),
        "初": (1, 10),
        "中旬": (11, 20),
        "中": (11, 15),
        "下旬": (21, end.day),
    }.get(part or "", (1, end.day))
    return date(year, month, first), date(year, month, last)


def _month_end(year: int, month: int) -> date:
    """The last day of a month (29 February in leap years)."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _roll_over(first: date, last: date, signed: date) -> tuple[date, date]:
    """A year-less date well before signing refers to the next year ("3月底前" signed in November)."""
    if (signed - last).days <= ROLL_OVER_DAYS:
        return first, last
    return _next_year(first), _next_year(last)


def _next_year(day: date) -> date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _dated_deadline(text: str, norm: str, found: list[_Found]) -> Deadline:
    """One date (maybe with 长期坚持), a range, or several dates by clause."""
    ongoing = bool(ONGOING.search(norm))
    ranges = _ranges(norm, found)
    if ranges:
        start, end = ranges[0]
        span_phases: tuple[tuple[str, date | None], ...] = ((start.text, start.first), (end.text, end.last))
        return Deadline(kind="phased", due=max(f.last for f in found), text=text, phases=span_phases)
    distinct = sorted({f.last for f in found})
    if len(distinct) == 1:
        kind = "date+ongoing" if ongoing else "date"
        return Deadline(kind=kind, due=distinct[0], text=text)
    phases = tuple(_clause_phases(norm, found))
    return Deadline(kind="phased", due=distinct[-1], text=text, phases=phases)


def _ranges(norm: str, found: list[_Found]) -> list[tuple[_Found, _Found]]:
    """Pairs of consecutive dates joined by a dash ("2023年1月—2023年4月")."""
    return [(a, b) for a, b in zip(found, found[1:], strict=False) if norm[a.end : b.start] == "—"]


def _clause_phases(norm: str, found: list[_Found]) -> list[tuple[str, date | None]]:
    """One (clause, last day) per date: "2022年6月底前完成试点,年底前全面推开"."""
    phases: list[tuple[str, date | None]] = []
    for item in found:
        begin = max((m.end() for m in CLAUSE.finditer(norm, 0, item.start)), default=0)
        stop = CLAUSE.search(norm, item.end)
        phases.append((norm[begin : stop.start() if stop else len(norm)], item.last))
    return phases


def _recurrence(match: re.Match[str], norm: str) -> str:
    """The cycle rule for a 每月/每季度/每年 phrase (grammar of ledger.cycles)."""
    after = AFTER_PERIOD.search(norm, match.end())
    if match.group("month"):
        frequency = "monthly"
        day = match.group("md")
        if day and PREVIOUS_PERIOD.search(norm):
            return f"monthly:+{int(day)}"  # 每月5日前报送上月情况: five days after the month
        if day:
            return f"monthly:{int(day)}"
    elif match.group("quarter"):
        frequency = "quarterly"
    elif match.group("half"):
        frequency = "half-yearly"
    elif match.group("year"):
        frequency = "yearly"
        if match.group("ym"):
            month = int(match.group("ym"))
            day = int(match.group("yd")) if match.group("yd") else 31
            return f"yearly:{month:02d}-{day:02d}"
    else:
        weekday = match.group("wd")
        return f"weekly:{WEEKDAYS[weekday]}" if weekday else "weekly"
    if after is None:
        return frequency
    if after.group("first"):
        return f"{frequency}:+{int(after.group('first'))}"
    suffix = "wd" if "工作日" in after.group("unit") else ""
    return f"{frequency}:+{int(after.group('n'))}{suffix}"


def _find_relative(norm: str) -> re.Match[str] | None:
    """A "N个工作日内" / "30日内" / "不超过3个工作日" / "限期10个工作日" span, if the text has one."""
    for match in RELATIVE.finditer(norm):
        if match.group("unit") == "年" and len(match.group("n")) == 4:
            continue  # "2022年内" is a year, not 2022 years
        unit = RELATIVE_UNITS.get(match.group("unit"), "working")
        if int(match.group("n")) > RELATIVE_LIMITS[unit]:
            continue
        if match.group("within") or match.group("cap"):
            return match
    return None


def _relative_deadline(text: str, norm: str, match: re.Match[str], signed: date | None) -> Deadline:
    """Working days in ``working_days``; calendar spans as ``days:N`` etc. in ``recurrence``."""
    count = int(match.group("n"))
    anchor = _anchor(norm[: match.start("cap") if match.group("cap") else match.start("n")])
    unit = match.group("unit")
    if unit == "工作日":
        deadline = Deadline(kind="relative", text=text, working_days=count, anchor=anchor)
    else:
        span = f"{RELATIVE_UNITS[unit]}:{count}"
        deadline = Deadline(kind="relative", text=text, recurrence=span, anchor=anchor)
    if signed is not None and anchor is not None and ISSUANCE.search(anchor):
        return replace(deadline, due=due_from_relative(deadline, signed))
    return deadline


def _anchor(before: str) -> str | None:
    """The event a relative deadline counts from: the words just before the count, in its clause."""
    clause = CLAUSE.split(before)[-1]
    clause = ANCHOR_MODAL.split(clause)[-1]
    clause = ANCHOR_LEAD.sub("", clause)
    return clause or None


def due_from_relative(deadline: Deadline, anchor_date: date) -> date:
    """The due date of a relative deadline once its anchor event happened on ``anchor_date``.

    Working days follow the Chinese calendar (holidays, 调休 make-up days). A calendar-day span
    that ends on a day off ends on the next working day, as statutory time limits do.
    Raises ValueError for a deadline that is not relative.
    """
    if deadline.kind != "relative":
        raise ValueError(f"不是相对期限：{deadline.kind}")
    if deadline.working_days is not None:
        if deadline.working_days > RELATIVE_LIMITS["working"]:
            raise ValueError(f"工作日数超出可计算范围：{deadline.working_days}")
        return add_workdays(anchor_date, deadline.working_days)
    unit, _, count_text = (deadline.recurrence or "").partition(":")
    if not count_text.isdigit():
        raise ValueError(f"相对期限缺少时长：{deadline.recurrence!r}")
    count = int(count_text)
    if unit == "days":
        end = anchor_date + timedelta(days=count)
    elif unit == "weeks":
        end = anchor_date + timedelta(weeks=count)
    elif unit == "months":
        end = _add_months(anchor_date, count)
    elif unit == "years":
        end = _add_months(anchor_date, 12 * count)
    else:
        raise ValueError(f"不认识的相对期限时长：{deadline.recurrence!r}")
    return next_workday(end)


def _add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (1月31日 + 1个月 = 2月28日)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
