"""The order of a decision's procedure steps and where a decision stands."""

from __future__ import annotations

import pytest

from taizhang.errors import InvalidTransition
from taizhang.ledger.decision_steps import Step, check_change, stage

STEPS = [
    Step("公众参与", "已完成", True),
    Step("专家论证", "进行中", False),
    Step("风险评估", "不适用", False),
    Step("合法性审查", "未开始", True),
    Step("集体讨论决定", "未开始", True),
]


def test_the_collective_decision_waits_for_the_steps_before_it():
    with pytest.raises(InvalidTransition, match="专家论证、合法性审查尚未完成，不能完成集体讨论决定"):
        check_change(STEPS, "集体讨论决定", "已完成")
    done = [Step(s.procedure, "已完成", s.required) if s.state != "不适用" else s for s in STEPS[:4]]
    check_change([*done, STEPS[4]], "集体讨论决定", "已完成")


def test_a_required_step_is_skipped_only_with_a_reason():
    with pytest.raises(InvalidTransition, match="法定必经程序"):
        check_change(STEPS, "合法性审查", "不适用")
    check_change(STEPS, "专家论证", "不适用")


def test_unknown_states_and_procedures_are_refused():
    with pytest.raises(InvalidTransition, match="程序状态应为"):
        check_change(STEPS, "公众参与", "差不多")
    with pytest.raises(InvalidTransition, match="没有“听证”程序"):
        check_change(STEPS, "听证", "已完成")


def test_stage_names_the_open_step_or_the_decision():
    assert stage(STEPS) == "专家论证进行中"
    assert stage([Step("公众参与", "未开始", True)]) == "待公众参与"
    assert stage([Step("集体讨论决定", "已完成", True)]) == "已决策"
