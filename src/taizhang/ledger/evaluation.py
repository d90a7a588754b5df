"""考评 on the work itself: each unit scored on its own tasks over a period, by rules kept as data.

Per unit: 按期办结率 (tasks due in the period and closed by their due day / tasks due), 反馈及时率
(reports in time / reports due in the period), the 催办, 督办函 and 约谈 it drew, and the days its
late tasks ran over. The rules (a scheme file like the indicator schemes, ``data/evaluation/
default.json``) give the points of each rate, the deduction per escalation step and per day late,
a ceiling on deductions and the bonus for a clean record. Pure: no I/O, no database.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import InvalidInput

STEPS = ("催办", "督办函", "约谈")
_PERIOD = re.compile(r"^(\d{4})(?:-(?:(\d{1,2})|Q([1-4])|H([12])))?$")


@dataclass(frozen=True)
class Rules:
    """Scoring rules: points for the two rates, deductions, a ceiling, a bonus."""

    name: str
    on_time_points: float
    feedback_points: float
    deductions: Mapping[str, float]  # 催办 / 督办函 / 约谈 → points each
    per_day_late: float
    max_deduction: float
    clean_bonus: float  # everything on time, nothing escalated


@dataclass(frozen=True)
class UnitFacts:
    """What one unit did in the period."""

    unit: str
    tasks_due: int = 0
    done_on_time: int = 0
    reports_due: int = 0
    reports_on_time: int = 0
    steps: Mapping[str, int] = field(default_factory=dict)
    days_late: int = 0


@dataclass(frozen=True)
class UnitScore:
    """A unit's rates, points and rank (1 is best; equal scores share a rank)."""

    facts: UnitFacts
    on_time_rate: float | None  # None: nothing was due
    feedback_rate: float | None
    deduction: float
    bonus: float
    score: float
    rank: int = 0


def _number(data: Mapping[str, Any], key: str, where: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise InvalidInput(f"考评规则{where}“{key}”应为不小于0的数，而不是 {value!r}")
    return float(value)


def load_rules(data: Any) -> Rules:
    """Rules from a scheme file's JSON; a missing or wrong entry is named in Chinese."""
    if not isinstance(data, dict):
        raise InvalidInput("考评规则应为一个 JSON 对象")
    points = data.get("points")
    deductions = data.get("deductions")
    if not isinstance(points, dict) or not isinstance(deductions, dict):
        raise InvalidInput("考评规则须有“points”和“deductions”两项")
    steps = deductions.get("steps", {})
    if not isinstance(steps, dict) or set(steps) - set(STEPS):
        raise InvalidInput(f"考评规则“deductions.steps”只能含{'、'.join(STEPS)}")
    return Rules(
        name=str(data.get("name") or "考评规则"),
        on_time_points=_number(points, "on_time_rate", "points 中"),
        feedback_points=_number(points, "feedback_rate", "points 中"),
        deductions={step: _number(steps, step, "deductions.steps 中") for step in steps},
        per_day_late=_number(deductions, "per_day_late", "deductions 中"),
        max_deduction=_number(deductions, "max", "deductions 中"),
        clean_bonus=_number(data.get("bonus", {}) or {}, "clean_record", "bonus 中")
        if data.get("bonus")
        else 0.0,
    )


def parse_period(text: str) -> tuple[str, date, date]:
    """2022, 2022-06, 2022-Q2 or 2022-H1 → (label, first day, last day)."""
    match = _PERIOD.match((text or "").strip())
    if not match:
        raise InvalidInput(f"考评期间应写作 2022、2022-06、2022-Q2 或 2022-H1，而不是“{text}”")
    year = int(match.group(1))
    month, quarter, half = match.group(2), match.group(3), match.group(4)
    if month:
        m = int(month)
        if not 1 <= m <= 12:
            raise InvalidInput(f"考评期间的月份应为1–12，而不是“{text}”")
        first, last = m, m
    elif quarter:
        first = 3 * int(quarter) - 2
        last = first + 2
    elif half:
        first = 1 if half == "1" else 7
        last = first + 5
    else:
        first, last = 1, 12
    return text.strip(), date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def _rate(done: int, due: int) -> float | None:
    return done / due if due else None


def score_unit(facts: UnitFacts, rules: Rules) -> UnitScore:
    """One unit's score: rates times their points (a rate with nothing due counts in full), less
    deductions up to the ceiling, plus the clean-record bonus."""
    on_time = _rate(facts.done_on_time, facts.tasks_due)
    feedback = _rate(facts.reports_on_time, facts.reports_due)
    earned = rules.on_time_points * (1.0 if on_time is None else on_time)
    earned += rules.feedback_points * (1.0 if feedback is None else feedback)
    raw = sum(rules.deductions.get(step, 0.0) * n for step, n in facts.steps.items())
    raw += rules.per_day_late * facts.days_late
    deduction = min(raw, rules.max_deduction)
    clean = (
        (facts.tasks_due or facts.reports_due)
        and on_time in (None, 1.0)
        and feedback in (None, 1.0)
        and not any(facts.steps.values())
        and facts.days_late == 0
    )
    bonus = rules.clean_bonus if clean else 0.0
    score = round(max(0.0, earned - deduction + bonus), 2)
    return UnitScore(facts, on_time, feedback, round(deduction, 2), bonus, score)


def rank(facts: Sequence[UnitFacts], rules: Rules) -> list[UnitScore]:
    """Every unit scored and ranked, best first; equal scores share a rank, ties ordered by name."""
    scored = sorted((score_unit(f, rules) for f in facts), key=lambda s: (-s.score, s.facts.unit))
    out: list[UnitScore] = []
    for i, s in enumerate(scored):
        shared = out[-1].rank if out and out[-1].score == s.score else i + 1
        out.append(UnitScore(s.facts, s.on_time_rate, s.feedback_rate, s.deduction, s.bonus, s.score, shared))
    return out
