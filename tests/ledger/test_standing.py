"""The day work turns late is the late rule read once: late on D exactly when that day is on or before D."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from taizhang.ledger.standing import LATE, is_late, late_from, part_late_from, part_standing

STATUSES = ("未开始", "推进中", "待审核", "已完成", "长期坚持", "已撤销")
KINDS = ("date", "date+ongoing", "ongoing", "relative", "none", None)
days = st.dates(date(2021, 1, 1), date(2023, 12, 31))


@given(st.sampled_from(STATUSES), st.sampled_from(KINDS), st.one_of(st.none(), days), days)
def test_late_on_a_day_exactly_from_the_day_it_turns_late(status, kind, due, as_of):
    first = late_from(status, kind, due)
    assert is_late(status, kind, due, as_of) == (first is not None and first <= as_of)


@given(
    st.sampled_from(STATUSES),
    st.sampled_from(STATUSES),
    st.sampled_from(KINDS),
    st.one_of(st.none(), days),
    days,
)
def test_a_part_is_late_exactly_from_the_day_it_turns_late(part_status, task_status, kind, due, as_of):
    first = part_late_from(part_status, task_status, kind, due)
    late = part_standing(part_status, task_status, kind, due, None, as_of) == LATE
    assert late == (first is not None and first <= as_of)


def test_a_county_part_open_past_its_day_turns_late_the_day_after():
    due = date(2022, 4, 30)
    assert part_late_from("推进中", "推进中", "date", due) == due + timedelta(days=1)
    assert part_late_from("已完成", "推进中", "date", due) is None  # 办结
    assert part_late_from("推进中", "已撤销", "date", due) is None  # the task was cancelled
    assert part_late_from("长期坚持", "长期坚持", "date+ongoing", due) is None
