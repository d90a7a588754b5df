"""Campaign rules: the rectification states, the random draw, working-day clocks, progress."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taizhang.errors import InvalidInput, InvalidTransition
from taizhang.ledger.campaigns import (
    CLOSED,
    FINDING_ACTIONS,
    FINDING_STATES,
    Avoidance,
    Candidate,
    ClockRule,
    clock_dues,
    conflict,
    draw,
    next_finding_state,
    progress,
)

COUNTIES = ("沙坡头区", "中宁县", "海原县")


def test_a_finding_runs_from_found_to_closed_and_may_be_sent_back():
    state = next_finding_state("待整改", "rectify")
    state = next_finding_state(state, "request_close")
    assert next_finding_state(state, "return") == "退回"
    assert next_finding_state(next_finding_state("退回", "request_close"), "verify") == CLOSED


@pytest.mark.parametrize("state", FINDING_STATES)
@pytest.mark.parametrize("action", sorted(FINDING_ACTIONS))
def test_every_state_and_action_either_moves_or_refuses_in_chinese(state, action):
    sources, target = FINDING_ACTIONS[action]
    if state in sources:
        assert next_finding_state(state, action) == target
    else:
        with pytest.raises(InvalidTransition, match="状态"):
            next_finding_state(state, action)


def test_a_closed_finding_stays_closed():
    for action in FINDING_ACTIONS:
        with pytest.raises(InvalidTransition):
            next_finding_state(CLOSED, action)


pools = st.tuples(
    st.lists(st.sampled_from(COUNTIES), min_size=5, max_size=30),
    st.lists(
        st.lists(st.sampled_from(COUNTIES), min_size=1, max_size=2, unique=True), min_size=2, max_size=8
    ),
    st.text(min_size=1, max_size=8),
)


@given(pools, st.randoms(use_true_random=False))
def test_a_draw_is_reproducible_in_any_pool_order_and_never_pairs_an_inspector_with_their_county(
    data, shuffler
):
    object_counties, inspector_counties, seed = data
    objects = [Candidate(n, f"对象{n}", (c,)) for n, c in enumerate(object_counties)]
    inspectors = [Candidate(n, f"人员{n}", tuple(c)) for n, c in enumerate(inspector_counties)]
    try:
        first = draw(objects, inspectors, n_objects=5, n_inspectors=2, seed=seed)
    except InvalidInput as exc:
        assert "回避" in str(exc)
        return
    shuffled_objects, shuffled_inspectors = objects[:], inspectors[:]
    shuffler.shuffle(shuffled_objects)
    shuffler.shuffle(shuffled_inspectors)
    assert draw(shuffled_objects, shuffled_inspectors, n_objects=5, n_inspectors=2, seed=seed) == first
    assert len({p.object_id for p in first}) == 5
    for pair in first:
        assert not conflict(objects[pair.object_id], inspectors[pair.inspector_id])


def test_a_draw_larger_than_its_pool_is_refused():
    with pytest.raises(InvalidInput, match="不够抽取"):
        draw([Candidate(1, "甲")], [Candidate(1, "乙")], n_objects=2, n_inspectors=1, seed="s")


def test_clocks_count_working_days_from_their_event():
    rules = [ClockRule("备案", "收住老年人", 10), ClockRule("现场检查", "备案", 20)]
    # 2022-09-28 + 10 working days crosses the National Day holiday (10-01..10-07 off, 10-08 and 10-09 worked): 29, 30, 8, 9, 10 … 14, 17
    dues = clock_dues(rules, {"收住老年人": date(2022, 9, 28)}, today=date(2022, 10, 20))
    assert [(d.name, d.due, d.late) for d in dues] == [("备案", date(2022, 10, 17), True)]
    dues = clock_dues(
        rules, {"收住老年人": date(2022, 9, 28), "备案": date(2022, 10, 12)}, today=date(2022, 10, 20)
    )
    assert [(d.name, d.late) for d in dues] == [("备案", False), ("现场检查", False)]


def test_progress_counts_objects_checked_with_or_without_findings():
    p = progress([(1, True), (2, False), (3, False)], [(2, "已销号"), (2, "待整改"), (9, "已销号")])
    assert (p.objects, p.inspected, p.findings, p.rectified, p.closed) == (3, 2, 3, 2, 2)


def test_an_inspector_never_draws_an_object_of_their_own_unit_unless_the_rule_allows_it():
    objects = [
        Candidate(1, "水库甲", ("中宁县",), ("市水务局",)),
        Candidate(2, "水库乙", ("中宁县",), ("市农业农村局",)),
    ]
    inspectors = [
        Candidate(1, "张三", ("海原县",), ("市水务局",)),
        Candidate(2, "李四", ("海原县",), ("市农业农村局",)),
    ]
    for seed in ("a", "b", "c", "d"):
        pairs = draw(objects, inspectors, n_objects=2, n_inspectors=2, seed=seed)
        assert {(p.object_name, p.inspector_name) for p in pairs} == {("水库甲", "李四"), ("水库乙", "张三")}
    with pytest.raises(InvalidInput, match="回避"):
        draw(objects[:1], inspectors[:1], n_objects=1, n_inspectors=1, seed="a")
    loose = draw(
        objects[:1], inspectors[:1], n_objects=1, n_inspectors=1, seed="a", avoid=Avoidance(unit=False)
    )
    assert [p.inspector_name for p in loose] == ["张三"]
    assert conflict(objects[0], Candidate(3, "王五", ("中宁县",)))
    assert not conflict(objects[0], Candidate(3, "王五", ("中宁县",)), Avoidance(county=False))
