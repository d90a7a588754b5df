"""Expert consultation (咨询论证) as domain rules: panel checks, drawing a panel, working-day clocks.

Pure functions over plain data; the rules and their articles come from ``consultation_rules``.
A :class:`Finding` names the rule it applies, the article, and says in Chinese what is wrong;
``blocking`` findings stop the office from confirming a panel, the others are warnings shown
with it.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ..workdays import add_workdays, workdays_between
from .consultation_rules import Rule, Ruleset, required_panel_size

SIDES = ("支持", "反对", "中立")  # an expert's position on a contested question
POOL_IN, POOL_OUT = "库内", "库外"
FORMS = ("专家个人论证", "专家小组论证", "集体论证", "函审咨询论证")
RED, YELLOW, GREEN, GREY = "red", "yellow", "green", "grey"


@dataclass(frozen=True)
class Finding:
    """A rule a panel, an application or an opinion breaks (or nearly breaks)."""

    rule: str
    citation: str  # 卫政办发〔2022〕35号第十三条
    message: str  # 专家组为4人，少于5人
    statement: str  # what the rule requires
    blocking: bool = True

    def __str__(self) -> str:
        return f"{self.message}：不符合{self.citation}“{self.statement}”"


@dataclass(frozen=True)
class Member:
    """An expert as the panel rules see them."""

    expert_id: int
    name: str
    pool: str = POOL_IN  # 库内 / 库外
    unit_id: int | None = None  # the expert's employer when it is a unit of the directory
    affiliation: str = ""  # 工作单位, as typed
    conflicts: tuple[str, ...] = ()  # units the expert must not judge (利害关系)
    side: str | None = None  # 支持 / 反对 / 中立, on a contested question


@dataclass(frozen=True)
class Department:
    """The 决策承办单位: its unit ids and the names it goes by (for affiliations typed as text)."""

    unit_ids: frozenset[int] = frozenset()
    names: tuple[str, ...] = ()


def _finding(rule: Rule, message: str, *, blocking: bool = True) -> Finding:
    return Finding(rule.rule, rule.citation, message, rule.statement, blocking)


def conflicted(member: Member, department: Department) -> bool:
    """True when the expert works for the department or declares a conflict with it (回避)."""
    if member.unit_id is not None and member.unit_id in department.unit_ids:
        return True
    names = [n for n in department.names if n]
    texts = [member.affiliation, *member.conflicts]
    return any(name in text or (text and text in name) for name in names for text in texts if text)


def check_panel(
    members: Sequence[Member], *, flags: Iterable[str], department: Department, rules: Ruleset
) -> list[Finding]:
    """Every rule the panel breaks: size, odd number, both sides, avoidance, pool first."""
    flags = tuple(flags)
    found: list[Finding] = []
    size, size_rule = required_panel_size(rules, flags)
    if len(members) < size:
        found.append(_finding(size_rule, f"专家组为{len(members)}人，少于{size}人"))
    if len(members) % 2 == 0:
        found.append(_finding(rules["panel_odd"], f"专家组为{len(members)}人，不是单数"))
    if "contested" in flags:
        sides = {m.side for m in members}
        if not {"支持", "反对"} <= sides:
            found.append(
                _finding(
                    rules["sides_represented"], "该事项争议性较强，专家组未同时包括持支持和反对意见的专家"
                )
            )
    for member in members:
        if conflicted(member, department):
            found.append(
                _finding(
                    rules["neutrality"], f"{member.name}（{member.affiliation or '决策承办单位'}）应当回避"
                )
            )
    outside = sum(1 for m in members if m.pool == POOL_OUT)
    if members and outside * 2 > len(members):
        found.append(_finding(rules["pool_first"], f"库外专家{outside}人，超过专家组半数", blocking=False))
    return found


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that refuse a panel."""
    return [f for f in findings if f.blocking]


def draw_panel(
    pool: Sequence[Member],
    *,
    size: int | None,
    flags: Iterable[str],
    department: Department,
    rules: Ruleset,
    seed: int | None = None,
) -> tuple[list[Member], list[Finding]]:
    """Draw a panel at random: pool experts first, avoiding conflicts, the smallest allowed odd size.

    Returns the panel and warnings when the pool cannot satisfy the rules (too few eligible
    experts, too few from the pool); the panel is then as large as the pool allows.
    """
    flags = tuple(flags)
    minimum, size_rule = required_panel_size(rules, flags)
    wanted = max(size or minimum, minimum)
    wanted += 1 - wanted % 2  # odd
    rng = random.Random(seed)
    eligible = [m for m in pool if not conflicted(m, department)]
    inside = [m for m in eligible if m.pool == POOL_IN]
    outside = [m for m in eligible if m.pool != POOL_IN]
    rng.shuffle(inside)
    rng.shuffle(outside)
    panel = (inside + outside)[:wanted]
    warnings: list[Finding] = []
    if len(panel) < wanted:
        warnings.append(
            _finding(
                size_rule, f"可选专家（已排除应回避者）仅{len(eligible)}人，不足{wanted}人", blocking=False
            )
        )
        if len(panel) % 2 == 0 and panel:
            panel = panel[:-1]
    if len(inside) * 2 < len(panel):
        warnings.append(
            _finding(
                rules["pool_first"], f"专家库内可选专家仅{len(inside)}人，库外专家将超过半数", blocking=False
            )
        )
    return panel, warnings


# Clocks ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """A working-day deadline as a light: colour, due day, working days left (negative: late)."""

    label: str
    due: date | None
    remaining: int | None
    colour: str
    reason: str


def application_window(meeting_on: date, rules: Ruleset) -> tuple[date, date]:
    """The earliest and latest day to apply in writing for a meeting on ``meeting_on``."""
    rule = rules["application_window"]
    return (
        add_workdays(meeting_on, -int(rule.param("max_days"))),
        add_workdays(meeting_on, -int(rule.param("min_days"))),
    )


def check_application(requested_on: date, meeting_on: date, rules: Ruleset) -> list[Finding]:
    """Too late an application refuses (blocking); an early one is a warning."""
    rule = rules["application_window"]
    ahead = workdays_between(requested_on, meeting_on)
    low, high = int(rule.param("min_days")), int(rule.param("max_days"))
    if ahead < low:
        return [
            _finding(
                rule, f"申请日{requested_on.isoformat()}距论证日{meeting_on.isoformat()}仅{ahead}个工作日"
            )
        ]
    if ahead > high:
        return [_finding(rule, f"申请日距论证日{ahead}个工作日，早于{high}个工作日", blocking=False)]
    return []


def application_clock(
    requested_on: date | None, meeting_on: date | None, today: date, rules: Ruleset
) -> Clock:
    """The department's clock to apply: green while time remains, red once the latest day passed."""
    if meeting_on is None:
        return Clock("申请期限", None, None, GREY, "尚未确定论证日期")
    earliest, latest = application_window(meeting_on, rules)
    if requested_on is not None:
        late = requested_on > latest
        ahead = workdays_between(requested_on, meeting_on)
        return Clock(
            "申请期限",
            latest,
            None,
            RED if late else GREEN,
            f"已于{requested_on.isoformat()}申请，距论证日{ahead}个工作日"
            + ("，晚于申请期限" if late else ""),
        )
    left = workdays_between(today, latest)
    colour = RED if left < 0 else YELLOW if left <= 1 else GREEN
    return Clock(
        "申请期限", latest, left, colour, f"应在{earliest.isoformat()}至{latest.isoformat()}之间申请"
    )


def opinion_clock(
    due: date | None, submitted: Sequence[date | None], today: date, *, warn_days: int = 2
) -> Clock:
    """The panel's opinion deadline: red when an opinion came late or is missing past the day."""
    if due is None:
        return Clock("意见期限", None, None, GREY, "尚未设定提交意见期限")
    late = [d for d in submitted if d is not None and d > due]
    missing = sum(1 for d in submitted if d is None)
    left = workdays_between(today, due)
    if late:
        return Clock("意见期限", due, left, RED, f"{len(late)}份意见逾期提交")
    if missing and today > due:
        return Clock("意见期限", due, left, RED, f"已逾期，尚有{missing}份意见未提交")
    if not missing:
        return Clock("意见期限", due, left, GREY, "意见已全部按期提交")
    colour = YELLOW if left <= warn_days else GREEN
    return Clock("意见期限", due, left, colour, f"剩余{left}个工作日，尚有{missing}份意见未提交")
