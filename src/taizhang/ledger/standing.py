"""One definition of late (逾期), done late (逾期办结) and open, for a task and for a unit's part.

Every reader uses it: the ledger's 仅逾期 filter, the API, the 通报 and the per-unit counts.
It is the red of ``ledger.warnings`` on the deadline alone:
- late on ``as_of``: a due day before ``as_of``, not 已完成 or 已撤销, and not 长期坚持 work
  (ongoing by kind, or carrying on as 长期坚持 once its dated part was approved);
- a part is judged on its own status against its task's due day: 中宁县 is late when 中宁县's
  part is open past the day, not when its group or its task is; once the task is closed (已完成
  or 已撤销) none of its parts is late;
- done late: a part closed (办结) after its due day.

The day work turns late (:func:`late_from`, :func:`part_late_from`) is what the database stores
as ``late_on`` on tasks and parts, so "late on D" is ``late_on <= D`` for any D: the same rule,
read as the first day on which it holds.
"""

from __future__ import annotations

from datetime import date, timedelta

from .status import CANCELLED, DONE, ONGOING

LATE, DONE_LATE, DONE_ON_TIME, OPEN = "late", "done_late", "done", "open"
NOT_LATE_STATUSES = (DONE, CANCELLED, ONGOING)
NOT_JUDGED_KINDS = ("ongoing",)


def is_late(status: str, deadline_kind: str | None, due: date | None, as_of: date) -> bool:
    """True when work in ``status`` with this deadline is late on ``as_of``."""
    return (
        due is not None
        and due < as_of
        and status not in NOT_LATE_STATUSES
        and deadline_kind not in NOT_JUDGED_KINDS
    )


def late_from(status: str, deadline_kind: str | None, due: date | None) -> date | None:
    """The first day on which work in ``status`` is late (and stays late while nothing changes), or None.

    Late on D ⇔ ``late_from(...) <= D``: ``is_late`` holds from the day after the due day on.
    """
    if due is None:
        return None
    first = due + timedelta(days=1)
    return first if is_late(status, deadline_kind, due, first) else None


def part_late_from(
    part_status: str, task_status: str, deadline_kind: str | None, due: date | None
) -> date | None:
    """The first day on which a unit's part is late (``part_standing`` is ``late`` from then on), or None."""
    if part_status == DONE or task_status in (DONE, CANCELLED):
        return None
    return late_from(part_status, deadline_kind, due)


def part_standing(
    part_status: str,
    task_status: str,
    deadline_kind: str | None,
    due: date | None,
    done_at: date | None,
    as_of: date,
) -> str:
    """late, done_late, done or open: one unit's part of a task on ``as_of``."""
    if part_status == DONE:
        return DONE_LATE if due is not None and done_at is not None and done_at > due else DONE_ON_TIME
    if task_status in (DONE, CANCELLED):
        return OPEN
    return LATE if is_late(part_status, deadline_kind, due, as_of) else OPEN


def own_status(part_status: str | None, task_status: str) -> str:
    """The status a unit's own light is judged on: its part's, unless the task is closed (已完成 or
    已撤销) or the unit has no part (a cooperating unit sees the task's)."""
    if part_status is None or task_status in (DONE, CANCELLED):
        return task_status
    return part_status
