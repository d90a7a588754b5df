"""Reporting cycles (报送周期): which periodic reports are due, on time, late or missing.

A document may require progress reports on a cycle ("每月25日前报送"). A cycle is written as a
small rule, the same string ``extract.deadlines`` puts in ``Deadline.recurrence`` and the
storage layer keeps in ``reporting_cycles.rule``::

    RULE  := FREQ [":" SPEC]
    FREQ  := weekly | monthly | quarterly | half-yearly | yearly
    SPEC  := N          monthly: by day N of the month (clamped to the month end: 31 = month end)
                        weekly: by ISO weekday N (1 = Monday ... 7 = Sunday)
                        quarterly, half-yearly, yearly: same as "+N" (within N days after the period)
           | "+" N      by the N-th calendar day after the period ends (monthly:+5 = 5th of next month)
           | "+" N "wd" by the N-th working day after the period ends
           | MM "-" DD  yearly only: by that day of the year (yearly:01-31)
           | "end"      by the period's last day (the default; weekly: Friday)

Periods are labelled ``2022-05`` (month), ``2022-Q2``, ``2022-H1``, ``2022`` and ``2022-W18``
(ISO week); a ``yearly:MM-DD`` period is the year its due day falls in. A due date that falls on a day off (weekend, statutory holiday) moves to the next
working day of the Chinese calendar, as statutory time limits do (期限届满日遇节假日顺延);
``Period.nominal_due`` keeps the day the rule names.

Everything here is pure and takes ``today`` as an argument.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import InvalidInput
from ..workdays import add_workdays, next_workday

__all__ = [
    "FREQUENCIES",
    "CycleRule",
    "Period",
    "PeriodStatus",
    "parse_rule",
    "is_rule",
    "period_containing",
    "period_of_label",
    "periods_due",
    "classify_reports",
    "current_period",
]

FREQUENCIES = ("weekly", "monthly", "quarterly", "half-yearly", "yearly")
MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}

# Report statuses per period.
ON_TIME = "on_time"  # 按时报送
LATE = "late"  # 逾期报送
MISSING = "missing"  # 未报送 (its due day has passed)
PENDING = "pending"  # due today and not in yet
STATUS_NAMES = {ON_TIME: "按时报送", LATE: "逾期报送", MISSING: "未报送", PENDING: "今日截止"}

RULE = re.compile(
    r"""
    ^(?P<frequency>weekly|monthly|quarterly|half-yearly|yearly)
    (?::
        (?:
            (?P<end>end)
          | \+(?P<offset>\d{1,3})(?P<wd>wd)?
          | (?P<month>\d{1,2})-(?P<month_day>\d{1,2})
          | (?P<day>\d{1,2})
        )
    )?$
    """,
    re.VERBOSE,
)

LABELS = {
    "monthly": re.compile(r"^(\d{4})-(\d{2})$"),
    "quarterly": re.compile(r"^(\d{4})-Q([1-4])$"),
    "half-yearly": re.compile(r"^(\d{4})-H([12])$"),
    "yearly": re.compile(r"^(\d{4})$"),
    "weekly": re.compile(r"^(\d{4})-W(\d{2})$"),
}


@dataclass(frozen=True)
class CycleRule:
    """A parsed reporting rule; see the module docstring for the grammar."""

    frequency: str
    day: int | None = None  # day of the month (monthly) or ISO weekday (weekly)
    month_day: tuple[int, int] | None = None  # yearly:MM-DD
    offset: int | None = None  # days after the period ends
    working_days: bool = False  # the offset counts working days


@dataclass(frozen=True)
class Period:
    """One reporting period and the day its report is due."""

    label: str  # 2022-05, 2022-Q2, 2022-H1, 2022, 2022-W18
    start: date
    end: date
    due: date  # a working day
    nominal_due: date  # the day the rule names, before moving off a holiday


@dataclass(frozen=True)
class PeriodStatus:
    """Whether the report for one period came in on time, late, or not at all."""

    period: Period
    status: str  # on_time, late, missing, pending
    submitted: date | None = None
    days_late: int | None = None  # calendar days after the due day (late: when it came; missing: so far)


def parse_rule(rule: str) -> CycleRule:
    """Read a rule such as ``monthly:25`` or ``quarterly:+10wd``.

    Raises InvalidInput naming the rule when it does not follow the grammar.
    """
    match = RULE.match((rule or "").strip())
    if match is None:
        raise InvalidInput(f"不是报送周期规则：{rule!r}（如 monthly:25、quarterly:+5、yearly:01-31）")
    frequency = match.group("frequency")
    if match.group("offset"):
        return CycleRule(frequency, offset=int(match.group("offset")), working_days=bool(match.group("wd")))
    if match.group("month"):
        return _yearly_on(rule, frequency, int(match.group("month")), int(match.group("month_day")))
    if match.group("day"):
        return _with_day(rule, frequency, int(match.group("day")))
    return CycleRule(frequency)


def _yearly_on(rule: str, frequency: str, month: int, day: int) -> CycleRule:
    """``yearly:MM-DD``: only yearly cycles name a month, and the day must exist in some year."""
    if frequency != "yearly" or not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2000, month)[1]:
        raise InvalidInput(f"不是报送周期规则：{rule!r}（MM-DD 只用于按年规则，如 yearly:01-31）")
    return CycleRule(frequency, month_day=(month, day))


def _with_day(rule: str, frequency: str, day: int) -> CycleRule:
    """``monthly:25``, ``weekly:5``; for longer periods a bare number is an offset (quarterly:5)."""
    if frequency == "monthly":
        if not 1 <= day <= 31:
            raise InvalidInput(f"不是报送周期规则：{rule!r}（每月的日期为 1 到 31）")
        return CycleRule(frequency, day=day)
    if frequency == "weekly":
        if not 1 <= day <= 7:
            raise InvalidInput(f"不是报送周期规则：{rule!r}（星期为 1 到 7）")
        return CycleRule(frequency, day=day)
    return CycleRule(frequency, offset=day)


def is_rule(text: str | None) -> bool:
    """True when ``text`` is a reporting cycle rule (``days:30`` of a relative deadline is not)."""
    if not text:
        return False
    try:
        parse_rule(text)
    except InvalidInput:
        return False
    return True


def _as_rule(rule: str | CycleRule) -> CycleRule:
    return rule if isinstance(rule, CycleRule) else parse_rule(rule)


def period_containing(rule: str | CycleRule, day: date) -> Period:
    """The period of ``rule``'s frequency that ``day`` falls in, with its due day."""
    parsed = _as_rule(rule)
    if parsed.frequency == "weekly":
        start = day - timedelta(days=day.weekday())
        iso_year, iso_week, _ = start.isocalendar()
        return _with_due(parsed, f"{iso_year}-W{iso_week:02d}", start, start + timedelta(days=6))
    months = MONTHS_PER_PERIOD[parsed.frequency]
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    end = _month_end(day.year, first_month + months - 1)
    return _with_due(parsed, _label(parsed.frequency, start), start, end)


def _label(frequency: str, start: date) -> str:
    """2022-05, 2022-Q2, 2022-H1 or 2022."""
    if frequency == "monthly":
        return f"{start.year}-{start.month:02d}"
    if frequency == "quarterly":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if frequency == "half-yearly":
        return f"{start.year}-H{(start.month - 1) // 6 + 1}"
    return str(start.year)


def _with_due(rule: CycleRule, label: str, start: date, end: date) -> Period:
    """Attach the due day the rule gives this period, moved off days off."""
    nominal = _nominal_due(rule, start, end)
    return Period(label=label, start=start, end=end, due=next_workday(nominal), nominal_due=nominal)


def _nominal_due(rule: CycleRule, start: date, end: date) -> date:
    """The day the rule names for the period ``start``..``end``."""
    if rule.offset is not None:
        if rule.working_days:
            return add_workdays(end, rule.offset)
        return end + timedelta(days=rule.offset)
    if rule.frequency == "weekly":
        return start + timedelta(days=(rule.day or 5) - 1)
    if rule.day is not None:
        return end.replace(day=min(rule.day, end.day))
    if rule.month_day is not None:
        month, day = rule.month_day
        return date(start.year, month, min(day, calendar.monthrange(start.year, month)[1]))
    return end


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _following(rule: CycleRule, period: Period) -> Period:
    return period_containing(rule, period.end + timedelta(days=1))


def _preceding(rule: CycleRule, period: Period) -> Period:
    return period_containing(rule, period.start - timedelta(days=1))


def _periods_from(rule: CycleRule, start: date, last_start: date) -> Iterator[Period]:
    """Consecutive periods from the one holding ``start`` up to the one beginning by ``last_start``."""
    period = period_containing(rule, start)
    while period.start <= last_start:
        yield period
        period = _following(rule, period)


def periods_due(rule: str | CycleRule, start: date, today: date) -> list[Period]:
    """Periods whose report was due by ``today`` (inclusive) for work that began on ``start``.

    A period is owed when it ends on or after ``start`` and its due day is not before ``start``:
    a task imported on 28 April owes no April report under ``monthly:25``.
    """
    parsed = _as_rule(rule)
    if start > today:
        return []
    return [p for p in _periods_from(parsed, start, today) if p.end >= start and start <= p.due <= today]


def classify_reports(
    rule: str | CycleRule, start: date, today: date, submitted: Mapping[str, date]
) -> list[PeriodStatus]:
    """On time, late, missing or pending (due today) for every period owed by ``today``.

    ``submitted`` maps a period label to the day its report came in (the first one, if several).
    """
    statuses = []
    for period in periods_due(rule, start, today):
        on = submitted.get(period.label)
        if on is not None and on <= period.due:
            statuses.append(PeriodStatus(period, ON_TIME, on))
        elif on is not None:
            statuses.append(PeriodStatus(period, LATE, on, (on - period.due).days))
        elif period.due == today:
            statuses.append(PeriodStatus(period, PENDING))
        else:
            statuses.append(PeriodStatus(period, MISSING, None, (today - period.due).days))
    return statuses


def current_period(rule: str | CycleRule, today: date) -> Period:
    """The period whose report is being collected on ``today``: the first one due on or after it.

    Under ``monthly:25`` that is May on 20 May and June on 28 May; under ``monthly:+5`` it is
    April on 3 May.
    """
    parsed = _as_rule(rule)
    period = period_containing(parsed, today)
    while _preceding(parsed, period).due >= today:  # "+N" rules: an earlier period may still be open
        period = _preceding(parsed, period)
    while period.due < today:
        period = _following(parsed, period)
    return period


def period_of_label(rule: str | CycleRule, label: str) -> Period:
    """The period a label such as ``2022-05`` names under ``rule``.

    Raises InvalidInput when the label does not name a period of the rule's frequency.
    """
    parsed = _as_rule(rule)
    day = _first_day_of_label(parsed.frequency, label.strip())
    if day is None:
        raise InvalidInput(
            f"{label!r} 不是{FREQUENCY_NAMES.get(parsed.frequency, parsed.frequency)}的期次（应如 {_example(parsed.frequency)}）"
        )
    period = period_containing(parsed, day)
    if period.label != label.strip():
        raise InvalidInput(
            f"{label!r} 不是{FREQUENCY_NAMES.get(parsed.frequency, parsed.frequency)}的期次（应如 {_example(parsed.frequency)}）"
        )
    return period


def _first_day_of_label(frequency: str, label: str) -> date | None:
    """A day inside the period a label names, or None when it names none."""
    match = LABELS[frequency].match(label)
    if match is None:
        return None
    year = int(match.group(1))
    number = int(match.group(2)) if match.lastindex and match.lastindex > 1 else 1
    try:
        if frequency == "weekly":
            return date.fromisocalendar(year, number, 1)
        return date(year, (number - 1) * MONTHS_PER_PERIOD[frequency] + 1, 1)
    except ValueError:
        return None


# 报送频率 as users read it
FREQUENCY_NAMES = {
    "weekly": "每周",
    "monthly": "每月",
    "quarterly": "每季度",
    "half-yearly": "每半年",
    "yearly": "每年",
}


def _example(frequency: str) -> str:
    return {"monthly": "2022-05", "quarterly": "2022-Q2", "half-yearly": "2022-H1", "yearly": "2022"}.get(
        frequency, "2022-W18"
    )
