"""Parts of a shared task: one per (task, unit) that answers for it, and the one rule that derives
the task's own status and percent from its parts.

A part belongs to a lead unit (牵头单位) or a responsible unit (责任单位); a group such as 各县(区)
stands for one part per member. Cooperating units (配合单位) help and have no part of their own,
unless a task names nobody else. Each part moves through the statuses of ``ledger.status``.

The task's state (:func:`task_state`):
- with a lead unit, the lead answers for the whole: the task follows the lead parts (the lead sees
  its partners' parts and asks for completion of the whole); the others' parts do not close it;
- without a lead, it follows every part: the task is 已完成 only when every part is 办结;
- 长期坚持 work stays open by design: a task whose governing parts are all 办结 or 长期坚持 (at
  least one) is 长期坚持;
- a task the office cancelled (已撤销) stays cancelled whatever its parts say.
Its percent is the mean (rounded down) of the governing parts' percent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .status import CANCELLED, DONE, IN_PROGRESS, NOT_STARTED, ONGOING, PENDING_REVIEW

LEAD = "lead"
RESPONSIBLE = "responsible"
COOPERATING = "cooperating"
PART_ROLES = (LEAD, RESPONSIBLE)


@dataclass(frozen=True)
class PartState:
    """One unit's part of a task as the rule reads it."""

    unit_id: int
    role: str  # lead / responsible
    status: str
    percent: int


@dataclass(frozen=True)
class TaskState:
    """What the task shows: its derived status and percent."""

    status: str
    percent: int


def stands_for(unit: int, members: Mapping[int, Sequence[int]]) -> list[int]:
    """The units ``unit`` stands for: a group's members (``members`` maps a group to them), else itself."""
    return list(members.get(unit) or (unit,))


def expected_parts(
    assigned: Iterable[tuple[int, str]], members: Mapping[int, Sequence[int]]
) -> dict[int, str]:
    """The parts a task's assignments call for: unit id → role (lead wins over responsible).

    ``assigned`` holds (unit id, role) pairs; ``members`` maps a group's id to its members, and a
    group with members gives one part per member. Cooperating units get parts only when the task
    has no lead and no responsible unit.
    """
    pairs = list(assigned)
    answering = [p for p in pairs if p[1] in PART_ROLES] or [
        (unit, RESPONSIBLE) for unit, role in pairs if role == COOPERATING
    ]
    parts: dict[int, str] = {}
    for unit, role in sorted(answering, key=lambda p: p[1] != LEAD):
        for member in stands_for(unit, members):
            parts.setdefault(member, role)
    return parts


def governing(parts: Sequence[PartState]) -> list[PartState]:
    """The parts the task's state follows: its lead parts if it has any, else all of them."""
    leads = [p for p in parts if p.role == LEAD]
    return leads or list(parts)


def combine(statuses: Iterable[str]) -> str:
    """The status of a whole from the statuses of the parts it follows."""
    seen = set(statuses)
    if not seen or seen == {NOT_STARTED}:
        return NOT_STARTED
    if seen == {DONE}:
        return DONE
    if seen <= {DONE, ONGOING}:
        return ONGOING
    if PENDING_REVIEW in seen and seen <= {DONE, ONGOING, PENDING_REVIEW}:
        return PENDING_REVIEW
    return IN_PROGRESS


def task_state(parts: Sequence[PartState], current: TaskState | None = None) -> TaskState:
    """The task's derived status and percent; a task without parts, or cancelled (已撤销), keeps ``current``."""
    if not parts or (current is not None and current.status == CANCELLED):
        return current or TaskState(NOT_STARTED, 0)
    followed = governing(parts)
    percent = sum(p.percent for p in followed) // len(followed)
    return TaskState(combine(p.status for p in followed), percent)


def part_is_closed(status: str) -> bool:
    """True once a part needs nothing more by a date: 办结, or 长期坚持 after its dated part."""
    return status in (DONE, ONGOING)
