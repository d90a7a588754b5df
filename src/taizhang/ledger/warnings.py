"""Warning lights (预警): red, yellow, green (grey for finished work) and the reason in Chinese.

The rules the ledger keeps (issue "Rules the system keeps"):

- red: the task is overdue, its due day is before ``today`` and it is not done (办结).
  待审核 (completion asked) is not done yet: it stays red until the office approves.
- yellow: it is due within ``warn_days`` working days of the Chinese calendar (holidays and 调休
  make-up days counted), or a report owed under its reporting cycle is missing.
- green: otherwise. Done tasks (已完成) are grey.
- Ongoing work (status 长期坚持, or a deadline of kind ``ongoing``) has no due day: only its
  reporting cycle can turn it yellow.

Pure: the caller passes ``today`` and the labels of the periods already reported.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from datetime import date, timedelta

from ..workdays import workdays_between
from . import cycles
from .status import CANCELLED, DONE, ONGOING

__all__ = ["TaskFacts", "TaskWarning", "Warning", "warning", "RED", "YELLOW", "GREEN", "GREY", "COLOUR_NAMES"]

RED, YELLOW, GREEN, GREY = "red", "yellow", "green", "grey"
COLOUR_NAMES = {RED: "红灯", YELLOW: "黄灯", GREEN: "绿灯", GREY: "已办结"}
SEVERITY = {GREY: 0, GREEN: 1, YELLOW: 2, RED: 3}


@dataclass(frozen=True)
class TaskFacts:
    """What the warning rules need to know about a task, as the storage layer holds it.

    ``recurrence`` is the task's reporting cycle rule (``monthly:25``); anything that is not a
    cycle rule (``days:30`` of a relative deadline, None) means the task has no cycle.
    ``cycle_start`` is when reporting began (the import or assignment day); without it only the
    latest period due is checked.
    """

    status: str  # 未开始 / 推进中 / 待审核 / 已完成 / 长期坚持
    deadline_kind: str = "none"
    due: date | None = None
    recurrence: str | None = None
    cycle_start: date | None = None


@dataclass(frozen=True)
class TaskWarning:
    """A warning light with its reason ('已逾期3天', '距截止还有2个工作日', '本期(2022-05)进展未报送')."""

    colour: str  # red, yellow, green, grey
    reason: str
    overdue_days: int | None = None  # calendar days past the due day
    workdays_left: int | None = None  # working days after today up to the due day
    missing_periods: tuple[str, ...] = ()  # reporting periods due and not reported

    @property
    def name(self) -> str:
        """The colour as the office says it (红灯, 黄灯, 绿灯, 已办结)."""
        return COLOUR_NAMES[self.colour]


# The name the issue uses; TaskWarning avoids shadowing the builtin where both are in scope.
Warning = TaskWarning  # noqa: A001


def warning(
    task: TaskFacts, today: date, warn_days: int = 5, reported_periods: Set[str] = frozenset()
) -> TaskWarning:
    """The warning light of one task on ``today``; the worse of its deadline and its reporting cycle."""
    if task.status == DONE:
        return TaskWarning(GREY, "已办结")
    if task.status == CANCELLED:
        return TaskWarning(GREY, "已撤销")
    judged = (_deadline_light(task, today, warn_days), _cycle_light(task, today, reported_periods))
    lights = [light for light in judged if light is not None]
    if not lights:
        return TaskWarning(GREEN, _calm_reason(task))
    worst = max(lights, key=lambda light: SEVERITY[light.colour])
    missing = next((light.missing_periods for light in lights if light.missing_periods), ())
    return TaskWarning(
        worst.colour, _joined_reasons(lights, worst), worst.overdue_days, worst.workdays_left, missing
    )


def _judged_by_due(task: TaskFacts) -> bool:
    """Ongoing work has no due day to miss, even when a date came with it and was approved."""
    return task.due is not None and task.status != ONGOING and task.deadline_kind != "ongoing"


def _deadline_light(task: TaskFacts, today: date, warn_days: int) -> TaskWarning | None:
    """Red when overdue, yellow when due within ``warn_days`` working days, green otherwise."""
    if not _judged_by_due(task) or task.due is None:
        return None
    if task.due < today:
        days = (today - task.due).days
        return TaskWarning(RED, f"已逾期{days}天", overdue_days=days)
    left = workdays_between(today, task.due)
    if task.due == today:
        return TaskWarning(YELLOW, "今日截止", workdays_left=0)
    if left <= warn_days:
        return TaskWarning(YELLOW, f"距截止还有{left}个工作日", workdays_left=left)
    return TaskWarning(GREEN, f"距截止还有{left}个工作日", workdays_left=left)


def _cycle_light(task: TaskFacts, today: date, reported: Set[str]) -> TaskWarning | None:
    """Yellow when a report owed under the task's cycle is missing; None without a cycle."""
    if not cycles.is_rule(task.recurrence) or task.recurrence is None:
        return None
    missing = _missing_periods(task.recurrence, task.cycle_start, today, reported)
    if not missing:
        return TaskWarning(GREEN, "按期报送")
    reason = f"本期({missing[-1]})进展未报送"
    if len(missing) > 1:
        reason += f",另有{len(missing) - 1}期未报送"
    return TaskWarning(YELLOW, reason, missing_periods=missing)


def _missing_periods(rule: str, start: date | None, today: date, reported: Set[str]) -> tuple[str, ...]:
    """Labels of the periods due before today with no report, oldest first."""
    if start is not None:
        owed = cycles.classify_reports(rule, start, today, {label: today for label in reported})
        return tuple(s.period.label for s in owed if s.status == cycles.MISSING)
    latest = _latest_period_due(rule, today)
    if latest is None or latest.label in reported:
        return ()
    return (latest.label,)


def _latest_period_due(rule: str, today: date) -> cycles.Period | None:
    """The last period whose due day is before today (its report should be in)."""
    collecting = cycles.current_period(rule, today)
    earlier = cycles.period_containing(rule, collecting.start - timedelta(days=1))
    return earlier if earlier.due < today else None


def _joined_reasons(lights: list[TaskWarning], worst: TaskWarning) -> str:
    """The worst reason first, then any other non-green reason ("已逾期3天;本期(2022-05)进展未报送")."""
    others = [light.reason for light in lights if light is not worst and light.colour != GREEN]
    return ";".join([worst.reason, *others])


def _calm_reason(task: TaskFacts) -> str:
    """Why a task with nothing to judge is green."""
    if task.status == ONGOING or task.deadline_kind == "ongoing":
        return "长期坚持"
    if task.deadline_kind == "relative":
        return "相对时限,待起算"
    return "无明确时限"
