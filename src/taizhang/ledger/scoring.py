"""Scoring arithmetic for evaluation schemes (考评): raw points, maximum, standardisation factor, grades.

Two kinds of scheme, as in 卫政办发〔2022〕28号:

- weighted (附件3): each indicator has a weight. The rule is explicit and shown on screen:
  ``threshold`` (default) earns the whole weight when the target is met and nothing otherwise;
  ``proportional`` earns weight × attainment, attainment capped at 1.
- graded (附件4): each item is graded (好/中/差) and earns that grade's points.

The maximum is the sum of weights (or of the best grade's points); the standardised score is
``raw / maximum × scale``, so the factor is ``scale / maximum``. A missing value or grade scores 0
and is listed, never silently skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import InvalidInput

RULES = ("threshold", "proportional")
RULE_NAMES = {"threshold": "达标得分", "proportional": "按比例得分"}  # the rules as the scorecard names them


@dataclass(frozen=True)
class WeightedItem:
    """An indicator of a weighted scheme: weight, direction (≥ ≤ = between) and target parts."""

    key: str
    name: str
    weight: float
    direction: str = "≥"
    targets: tuple[float, ...] = ()  # "45%、16%" has two parts, each must be met
    high: float | None = None  # upper bound when direction is "between"


@dataclass(frozen=True)
class GradedItem:
    """A qualitative item with the points of each grade, best first: (("好", 15), ("中", 10), ("差", 5))."""

    key: str
    name: str
    grades: tuple[tuple[str, float], ...]

    @property
    def maximum(self) -> float:
        """Points of the best grade."""
        return max(points for _, points in self.grades) if self.grades else 0.0


@dataclass(frozen=True)
class ItemScore:
    """One line of a scorecard: what was reported, what it earned and why."""

    key: str
    name: str
    maximum: float
    earned: float
    reported: str | None  # the value or grade as reported; None when missing
    target: str | None
    met: bool | None
    explanation: str


@dataclass(frozen=True)
class Scorecard:
    """The score of one subject (a unit or county) in one scheme and period, with its arithmetic."""

    scheme: str
    subject: str
    period: str
    rule: str
    items: tuple[ItemScore, ...]
    raw: float
    maximum: float
    scale: float | None
    factor: float
    standardised: float
    missing: tuple[str, ...]

    def explain(self) -> str:
        """The arithmetic in one line, so an office can defend a score."""
        if self.scale is None:
            return f"原始分 {self.raw:g} / 满分 {self.maximum:g}（未折算）"
        return (
            f"原始分 {self.raw:g} / 满分 {self.maximum:g} × {self.scale:g} = {self.standardised:.2f}"
            f"（折算系数 {self.factor:.4f}；规则：{RULE_NAMES.get(self.rule, self.rule)}；缺报 {len(self.missing)} 项）"
        )


def factor(maximum: float, scale: float | None) -> float:
    """The standardisation factor ``scale / maximum`` (1 when there is no scale, 0 for an empty scheme)."""
    if scale is None:
        return 1.0
    return scale / maximum if maximum > 0 else 0.0


def standardise(raw: float, maximum: float, scale: float | None) -> float:
    """``raw / maximum × scale``; a raw score above the maximum is capped at the scale."""
    if scale is None:
        return raw
    if maximum <= 0:
        return 0.0
    return min(raw, maximum) * factor(maximum, scale)


def part_met(direction: str, target: float, actual: float, high: float | None = None) -> bool:
    """Whether one reported figure meets one target part in the given direction."""
    if direction in ("≥", "increasing"):
        return actual >= target
    if direction in ("≤", "decreasing"):
        return actual <= target
    if direction == "between":
        return target <= actual <= (high if high is not None else target)
    return actual == target


def attainment(direction: str, target: float, actual: float) -> float:
    """Share of a target reached, capped to 0..1 (for the proportional rule)."""
    if direction in ("≤", "decreasing"):
        ratio = 1.0 if actual <= target else (target / actual if actual > 0 else 0.0)
    elif target == 0:
        ratio = 1.0 if actual >= 0 else 0.0
    else:
        ratio = actual / target
    return max(0.0, min(1.0, ratio))


def _as_parts(value: float | Sequence[float] | None) -> tuple[float, ...] | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return (float(value),)
    return tuple(float(v) for v in value)


def score_item(
    item: WeightedItem, value: float | Sequence[float] | None, rule: str = "threshold"
) -> ItemScore:
    """The points one indicator earns under ``rule``; missing or unreadable values earn 0."""
    if rule not in RULES:
        raise InvalidInput(f"计分规则 {rule!r} 不存在，可用：{'、'.join(RULES)}")
    parts = _as_parts(value)
    target_text = "、".join(f"{item.direction}{t:g}" for t in item.targets) or None
    if parts is None:
        return ItemScore(item.key, item.name, item.weight, 0.0, None, target_text, None, "未报送：得 0 分")
    reported = "、".join(f"{p:g}" for p in parts)
    if not item.targets or len(parts) != len(item.targets):
        why = f"报送 {len(parts)} 个数值，目标有 {len(item.targets)} 项：得 0 分"
        return ItemScore(item.key, item.name, item.weight, 0.0, reported, target_text, None, why)
    met = all(part_met(item.direction, t, a, item.high) for t, a in zip(item.targets, parts, strict=True))
    if rule == "threshold":
        earned = item.weight if met else 0.0
        why = f"{'达到' if met else '未达到'}目标：得 {earned:g} 分（满分 {item.weight:g}）"
    else:
        share = min(attainment(item.direction, t, a) for t, a in zip(item.targets, parts, strict=True))
        earned = item.weight * share
        why = f"完成度 {share:.0%} × 权重 {item.weight:g} = {earned:.2f}"
    return ItemScore(item.key, item.name, item.weight, earned, reported, target_text, met, why)


def grade_item(item: GradedItem, grade: str | None) -> ItemScore:
    """The points of the grade given; a missing or unknown grade earns 0."""
    points = dict(item.grades)
    levels = "/".join(f"{g}{p:g}" for g, p in item.grades)
    if grade is None:
        return ItemScore(item.key, item.name, item.maximum, 0.0, None, levels, None, "未报送：得 0 分")
    if grade not in points:
        return ItemScore(
            item.key, item.name, item.maximum, 0.0, grade, levels, None, f"不认识的等次 {grade!r}：得 0 分"
        )
    earned = points[grade]
    return ItemScore(
        item.key,
        item.name,
        item.maximum,
        earned,
        grade,
        levels,
        earned == item.maximum,
        f"等次 {grade}：得 {earned:g} 分（满分 {item.maximum:g}）",
    )


def _card(
    scheme: str, subject: str, period: str, rule: str, items: list[ItemScore], scale: float | None
) -> Scorecard:
    raw = sum(i.earned for i in items)
    maximum = sum(i.maximum for i in items)
    missing = tuple(i.name for i in items if i.reported is None)
    return Scorecard(
        scheme,
        subject,
        period,
        rule,
        tuple(items),
        raw,
        maximum,
        scale,
        factor(maximum, scale),
        standardise(raw, maximum, scale),
        missing,
    )


def score_weighted(
    scheme: str,
    subject: str,
    period: str,
    items: Sequence[WeightedItem],
    values: Mapping[str, float | Sequence[float] | None],
    scale: float | None,
    rule: str = "threshold",
) -> Scorecard:
    """A weighted scheme's scorecard from reported values keyed by item key."""
    return _card(
        scheme, subject, period, rule, [score_item(i, values.get(i.key), rule) for i in items], scale
    )


def score_graded(
    scheme: str,
    subject: str,
    period: str,
    items: Sequence[GradedItem],
    grades: Mapping[str, str | None],
    scale: float | None,
) -> Scorecard:
    """A graded scheme's scorecard from the grade given to each item (by key)."""
    return _card(scheme, subject, period, "grades", [grade_item(i, grades.get(i.key)) for i in items], scale)
