"""Scoring arithmetic: standardisation, weights, grades and missing values (property tests)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taizhang.errors import InvalidInput
from taizhang.ledger.scoring import (
    GradedItem,
    WeightedItem,
    attainment,
    factor,
    grade_item,
    score_graded,
    score_item,
    score_weighted,
    standardise,
)

weights = st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=12)
figures = st.floats(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False)


def _items(ws: list[int]) -> list[WeightedItem]:
    return [WeightedItem(f"k{i}", f"指标{i}", w, "≥", (50.0,)) for i, w in enumerate(ws)]


@given(raw=st.floats(0, 1000), maximum=st.floats(0.1, 1000), scale=st.floats(1, 100))
def test_standardised_score_stays_within_zero_and_scale(raw, maximum, scale):
    assert 0 <= standardise(raw, maximum, scale) <= scale + 1e-9


@given(maximum=st.floats(0.1, 1000), scale=st.floats(1, 100))
def test_full_marks_standardise_to_the_scale(maximum, scale):
    assert math.isclose(standardise(maximum, maximum, scale), scale)
    assert math.isclose(factor(maximum, scale) * maximum, scale)


@given(ws=weights, values=st.lists(st.one_of(st.none(), figures), min_size=12, max_size=12))
def test_raw_is_the_sum_of_earned_weights_and_maximum_the_sum_of_weights(ws, values):
    items = _items(ws)
    card = score_weighted("s", "u", "2022", items, {i.key: values[n] for n, i in enumerate(items)}, 30)
    assert card.maximum == sum(ws)
    expected = sum(w for w, v in zip(ws, values, strict=False) if v is not None and v >= 50)
    assert card.raw == expected
    assert math.isclose(card.standardised, expected / sum(ws) * 30)


@given(ws=weights)
def test_missing_values_score_zero_and_are_listed(ws):
    items = _items(ws)
    card = score_weighted("s", "u", "2022", items, {}, 30)
    assert card.raw == 0 and card.standardised == 0
    assert card.missing == tuple(i.name for i in items)


@given(ws=weights, values=st.lists(figures, min_size=12, max_size=12))
def test_proportional_rule_never_exceeds_threshold_bounds(ws, values):
    items = _items(ws)
    mapping = {i.key: values[n] for n, i in enumerate(items)}
    threshold = score_weighted("s", "u", "2022", items, mapping, 30)
    proportional = score_weighted("s", "u", "2022", items, mapping, 30, rule="proportional")
    assert threshold.raw <= proportional.raw + 1e-9  # a met target earns the full weight in both
    assert proportional.raw <= proportional.maximum + 1e-9


@given(target=st.floats(0.1, 100), actual=figures)
def test_attainment_is_a_share(target, actual):
    assert 0 <= attainment("≥", target, actual) <= 1
    assert 0 <= attainment("≤", target, actual) <= 1


@given(choice=st.lists(st.sampled_from(["好", "中", "差", None, "优"]), min_size=7, max_size=7))
def test_graded_scheme_of_28_annex_4(choice):
    items = [GradedItem(f"g{i}", f"项目{i}", (("好", 15), ("中", 10), ("差", 5))) for i in range(6)]
    items.append(GradedItem("g6", "其他", (("好", 10), ("中", 5), ("差", 0))))
    card = score_graded(
        "附件4", "中宁县", "2022", items, {i.key: g for i, g in zip(items, choice, strict=True)}, 70
    )
    assert card.maximum == 100
    points = {"好": 0, "中": 1, "差": 2}
    expected = sum(dict(i.grades).get(g, 0) if g in points else 0 for i, g in zip(items, choice, strict=True))
    assert card.raw == expected
    assert math.isclose(card.standardised, expected * 0.7)
    assert card.missing == tuple(i.name for i, g in zip(items, choice, strict=True) if g is None)


def test_weights_of_28_annex_3_standardise_95_points_to_30():
    ws = [15, 10, 10, 10, 10, 5, 10, 10, 5, 10]
    items = _items(ws)
    card = score_weighted("附件3", "沙坡头区", "2022", items, {i.key: 60 for i in items[:5]}, 30)
    assert (card.raw, card.maximum) == (55, 95)
    assert math.isclose(card.factor, 30 / 95)
    assert card.explain().startswith("原始分 55 / 满分 95 × 30 = 17.37")
    assert len(card.missing) == 5


def test_lower_is_better_and_multi_part_targets():
    item = WeightedItem("k", "资产负债率", 10, "≤", (45.0, 16.0))
    assert score_item(item, (44.0, 16.0)).earned == 10
    assert score_item(item, (46.0, 10.0)).earned == 0
    assert score_item(item, 40.0).explanation == "报送 1 个数值，目标有 2 项：得 0 分"


def test_between_and_unknown_grade_and_rule():
    item = WeightedItem("k", "人员支出占比", 5, "between", (35.0,), high=50.0)
    assert [score_item(item, v).met for v in (34, 35, 50, 51)] == [False, True, True, False]
    assert grade_item(GradedItem("g", "x", (("好", 15),)), "优").earned == 0
    with pytest.raises(InvalidInput, match="计分规则 'guess' 不存在"):
        score_item(item, 40, rule="guess")
