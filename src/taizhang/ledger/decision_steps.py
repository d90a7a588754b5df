"""The procedure steps of a major decision (决策程序) and where a decision stands.

Steps go 未开始 → 进行中 → 已完成, or are marked 不适用 (with a reason) when the law lets the
decision skip them. The collective decision (集体讨论决定) is last: it cannot be completed while a
required step before it is open, and 合法性审查 must be done first (条例 第二十五条: 未经合法性
审查或者经审查不合法的，不得提交决策机关讨论).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import InvalidTransition

NOT_STARTED, IN_PROGRESS, DONE, NOT_APPLICABLE = "未开始", "进行中", "已完成", "不适用"
STATES = (NOT_STARTED, IN_PROGRESS, DONE, NOT_APPLICABLE)
FINAL_STEP = "集体讨论决定"


@dataclass(frozen=True)
class Step:
    """One step as the rules see it."""

    procedure: str
    state: str
    required: bool


def check_change(steps: Sequence[Step], procedure: str, state: str, note: str = "") -> None:
    """Raise InvalidTransition when moving ``procedure`` to ``state`` breaks the order of the steps."""
    if state not in STATES:
        raise InvalidTransition(f"程序状态应为{'、'.join(STATES)}之一，而不是“{state}”")
    step = next((s for s in steps if s.procedure == procedure), None)
    if step is None:
        raise InvalidTransition(f"该决策事项没有“{procedure}”程序")
    if state == NOT_APPLICABLE and step.required and not note.strip():
        raise InvalidTransition(f"“{procedure}”为法定必经程序，标为不适用须说明理由")
    if procedure == FINAL_STEP and state == DONE:
        open_steps = [
            s.procedure for s in steps if s.procedure != FINAL_STEP and s.state not in (DONE, NOT_APPLICABLE)
        ]
        if open_steps:
            raise InvalidTransition(f"{'、'.join(open_steps)}尚未完成，不能完成集体讨论决定")


def stage(steps: Sequence[Step]) -> str:
    """Where the decision stands: 已决策, or the first open step (待公众参与 / 公众参与进行中 …)."""
    final = next((s for s in steps if s.procedure == FINAL_STEP), None)
    if final is not None and final.state == DONE:
        return "已决策"
    for step in steps:
        if step.state == IN_PROGRESS:
            return f"{step.procedure}进行中"
    for step in steps:
        if step.state == NOT_STARTED:
            return f"待{step.procedure}"
    return "待决策"
