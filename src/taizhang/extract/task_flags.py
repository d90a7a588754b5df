"""Review flags of a task: what a reviewer must look at before the ledger goes live."""

from __future__ import annotations

from .assignments import Assignment
from .model import Deadline, Flag
from .units import UnitDirectory


def task_flags(
    assignment: Assignment,
    deadline: Deadline,
    directory: UnitDirectory | None,
    *,
    line: int,
    doc_number: str | None,
) -> tuple[Flag, ...]:
    """Review flags of one task: unknown units, lists not split cleanly, '等', unread deadline.

    ``directory`` None skips the unknown-unit check (a city directory applied to a national document).
    """
    flags: list[Flag] = []
    names = [*assignment.lead, *assignment.responsible, *assignment.cooperating]
    unknown = [n for n in names if directory is not None and directory.resolve(n) is None]
    if unknown:
        flags.append(Flag("unknown_unit", line, "单位不在单位库中：" + "、".join(unknown), doc_number))
    if assignment.odd:
        flags.append(
            Flag("unsplit_units", line, "无法拆分或识别的单位：" + "、".join(assignment.odd), doc_number)
        )
    if assignment.etc:
        flags.append(
            Flag("etc_units", line, "单位列表以“等”结尾，可能不全：" + "、".join(assignment.etc), doc_number)
        )
    if assignment.deadline_text and deadline.kind in ("other", "none"):
        flags.append(
            Flag("unreadable_deadline", line, f"完成时限无法解析：{assignment.deadline_text}", doc_number)
        )
    if not names:
        flags.append(Flag("no_units", line, "分工未列出单位", doc_number))
    return tuple(flags)
