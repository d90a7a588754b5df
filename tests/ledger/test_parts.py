"""The rule that derives a task's state from its parts, and which parts a task's units call for."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from taizhang.ledger.parts import (
    LEAD,
    RESPONSIBLE,
    PartState,
    TaskState,
    combine,
    expected_parts,
    task_state,
)
from taizhang.ledger.status import DONE, IN_PROGRESS, NOT_STARTED, ONGOING, PENDING_REVIEW, STATUSES


def part(unit: int, status: str, percent: int = 0, role: str = RESPONSIBLE) -> PartState:
    return PartState(unit, role, status, percent)


def test_a_group_expands_to_its_members_and_cooperating_units_get_no_part():
    assigned = [(1, LEAD), (9, RESPONSIBLE), (5, "cooperating")]
    assert expected_parts(assigned, {9: [2, 3, 4]}) == {
        1: LEAD,
        2: RESPONSIBLE,
        3: RESPONSIBLE,
        4: RESPONSIBLE,
    }


def test_lead_wins_when_a_unit_is_both_and_a_group_without_members_is_one_part():
    assert expected_parts([(9, RESPONSIBLE), (2, LEAD)], {9: [2, 3]}) == {2: LEAD, 3: RESPONSIBLE}
    assert expected_parts([(9, RESPONSIBLE)], {}) == {9: RESPONSIBLE}


def test_a_task_naming_only_cooperating_units_gives_them_parts():
    assert expected_parts([(5, "cooperating")], {}) == {5: RESPONSIBLE}


def test_one_county_done_does_not_close_a_group_task():
    parts = [part(1, DONE, 100), part(2, NOT_STARTED), part(3, IN_PROGRESS, 50)]
    assert task_state(parts) == TaskState(IN_PROGRESS, 50)


def test_with_a_lead_the_task_follows_the_lead_only():
    parts = [part(1, NOT_STARTED, role=LEAD), part(2, DONE, 100), part(3, DONE, 100)]
    assert task_state(parts) == TaskState(NOT_STARTED, 0)
    parts[0] = part(1, DONE, 100, role=LEAD)
    assert task_state(parts[:1] + [part(2, NOT_STARTED)]) == TaskState(DONE, 100)


def test_ongoing_work_stays_open_and_a_task_without_parts_keeps_its_state():
    assert combine([ONGOING, DONE]) == ONGOING
    assert combine([PENDING_REVIEW, ONGOING]) == PENDING_REVIEW
    assert task_state([], TaskState(IN_PROGRESS, 30)) == TaskState(IN_PROGRESS, 30)


parts_strategy = st.lists(
    st.builds(
        part,
        st.integers(1, 50),
        st.sampled_from(STATUSES),
        st.integers(0, 100),
        st.sampled_from([LEAD, RESPONSIBLE]),
    ),
    min_size=1,
    max_size=8,
)


@given(parts_strategy)
def test_done_exactly_when_every_governing_part_is_done(parts):
    followed = [p for p in parts if p.role == LEAD] or parts
    state = task_state(parts)
    assert (state.status == DONE) == all(p.status == DONE for p in followed)
    assert min(p.percent for p in followed) <= state.percent <= max(p.percent for p in followed)
    assert state.status in STATUSES


@given(parts_strategy)
def test_the_task_state_does_not_depend_on_the_order_of_parts(parts):
    assert task_state(parts) == task_state(list(reversed(parts)))
