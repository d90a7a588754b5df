"""Status rules: every (status, action) pair is either a listed move or refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taizhang.errors import InvalidTransition
from taizhang.ledger.status import ACTIONS, STATUSES, initial_status, is_open, next_status

# (current, action, deadline kind) → next; every pair not listed must raise.
ALLOWED = {
    ("未开始", "report"): "推进中",
    ("推进中", "report"): "推进中",
    ("待审核", "report"): "待审核",
    ("长期坚持", "report"): "长期坚持",
    ("未开始", "request_completion"): "待审核",
    ("推进中", "request_completion"): "待审核",
    ("待审核", "approve"): "已完成",
    ("待审核", "return"): "推进中",
    ("已完成", "reopen"): "推进中",
    ("未开始", "extend"): "未开始",
    ("推进中", "extend"): "推进中",
    ("待审核", "extend"): "待审核",
    ("长期坚持", "extend"): "长期坚持",
    ("未开始", "cancel"): "已撤销",
    ("推进中", "cancel"): "已撤销",
    ("待审核", "cancel"): "已撤销",
    ("长期坚持", "cancel"): "已撤销",
}


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_transition_table_is_exactly_the_listed_moves(current, action):
    expected = ALLOWED.get((current, action))
    if expected is None:
        with pytest.raises(InvalidTransition, match=f"任务状态为{current}，不能"):
            next_status(current, action, "date")
    else:
        assert next_status(current, action, "date") == expected


def test_approve_without_request_names_the_reason():
    with pytest.raises(InvalidTransition) as err:
        next_status("未开始", "approve", "date")
    assert str(err.value) == "任务状态为未开始，不能办结：尚未申请办结"


def test_approving_complete_then_ongoing_work_keeps_it_ongoing():
    assert next_status("待审核", "approve", "date+ongoing") == "长期坚持"


@pytest.mark.parametrize(
    "kind, status",
    [
        ("ongoing", "长期坚持"),
        ("date+ongoing", "未开始"),
        ("date", "未开始"),
        ("none", "未开始"),
        (None, "未开始"),
    ],
)
def test_initial_status_by_deadline_kind(kind, status):
    assert initial_status(kind) == status


def test_unknown_status_or_action_is_refused():
    with pytest.raises(InvalidTransition):
        next_status("进行中", "report")
    with pytest.raises(InvalidTransition):
        next_status("未开始", "delete")


def test_only_completed_and_cancelled_tasks_are_closed():
    assert [s for s in STATUSES if not is_open(s)] == ["已完成", "已撤销"]


@given(
    kind=st.sampled_from(["date", "date+ongoing", "ongoing", "none", "recurring"]),
    actions=st.lists(st.sampled_from(ACTIONS), max_size=30),
)
def test_any_sequence_of_actions_keeps_the_rules(kind, actions):
    status = initial_status(kind)
    for action in actions:
        try:
            after = next_status(status, action, kind)
        except InvalidTransition:
            continue
        assert after in STATUSES
        if after == "已完成":
            assert (status, action) == ("待审核", "approve") and kind != "date+ongoing"
        if status == "已完成":
            assert action == "reopen"  # a closed task moves only when the office reopens it
        if kind == "ongoing":
            assert after != "已完成"  # open-ended work is never closed through a request
        status = after
