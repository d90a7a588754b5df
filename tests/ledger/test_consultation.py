"""Consultation rules as the panel, the application and the opinions meet them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taizhang.ledger.consultation import (
    Department,
    Member,
    application_window,
    blocking,
    check_application,
    check_panel,
    draw_panel,
    opinion_clock,
)
from taizhang.ledger.consultation_rules import build_ruleset, default_ruleset, required_panel_size

CLAUSES = [
    {"rule": "panel_odd", "article": "第十三条", "params": {}, "doc_number": "卫政办发〔2022〕35号"},
    {"rule": "panel_min", "article": "第十三条", "params": {"min": 5}, "doc_number": "卫政办发〔2022〕35号"},
    {
        "rule": "panel_min_flagged",
        "article": "第十三条",
        "params": {"min": 7},
        "doc_number": "卫政办发〔2022〕35号",
    },
    {"rule": "sides_represented", "article": "第十三条", "params": {}, "doc_number": "卫政办发〔2022〕35号"},
    {"rule": "neutrality", "article": "第十二条", "params": {}, "doc_number": "卫政办发〔2022〕35号"},
    {
        "rule": "application_window",
        "article": "第十五条",
        "params": {"min_days": 3, "max_days": 10},
        "doc_number": "卫政办发〔2022〕35号",
    },
]
RULES = build_ruleset(CLAUSES)
EDUCATION = Department(frozenset({7}), ("市教育局",))


def panel(n: int, *, sides: tuple[str | None, ...] = ()) -> list[Member]:
    return [
        Member(i, f"专家{i}", affiliation=f"大学{i}", side=sides[i] if i < len(sides) else None)
        for i in range(n)
    ]


def rules_broken(members, flags=()):
    return [
        (f.rule, f.citation)
        for f in blocking(check_panel(members, flags=flags, department=EDUCATION, rules=RULES))
    ]


def test_a_panel_of_four_is_refused_with_the_article():
    found = check_panel(panel(4), flags=(), department=EDUCATION, rules=RULES)
    assert [(f.rule, f.citation, f.message) for f in found] == [
        ("panel_min", "卫政办发〔2022〕35号第十三条", "专家组为4人，少于5人"),
        ("panel_odd", "卫政办发〔2022〕35号第十三条", "专家组为4人，不是单数"),
    ]
    assert str(found[0]) == "专家组为4人，少于5人：不符合卫政办发〔2022〕35号第十三条“专家一般不少于5人”"


def test_five_are_enough_until_the_decision_is_contested():
    assert rules_broken(panel(5)) == []
    assert rules_broken(panel(5), ("contested",)) == [
        ("panel_min_flagged", "卫政办发〔2022〕35号第十三条"),
        ("sides_represented", "卫政办发〔2022〕35号第十三条"),
    ]


def test_seven_with_both_sides_satisfy_a_contested_decision():
    assert rules_broken(panel(7), ("contested",)) == [("sides_represented", "卫政办发〔2022〕35号第十三条")]
    assert rules_broken(panel(7, sides=("支持", "反对")), ("contested",)) == []
    assert rules_broken(panel(7), ("wide",)) == []  # wide needs seven, not sides


@pytest.mark.parametrize(
    "member",
    [
        Member(1, "甲", unit_id=7),
        Member(1, "乙", affiliation="中卫市教育局"),
        Member(1, "丙", affiliation="宁夏大学", conflicts=("市教育局",)),
    ],
)
def test_the_departments_own_staff_and_declared_conflicts_must_stand_aside(member):
    found = check_panel([member, *panel(4)[1:], Member(9, "丁")], flags=(), department=EDUCATION, rules=RULES)
    assert [(f.rule, f.citation) for f in blocking(found)] == [("neutrality", "卫政办发〔2022〕35号第十二条")]
    assert member.name in str(blocking(found)[0])


def test_more_outside_experts_than_pool_experts_is_a_warning():
    members = [Member(i, f"专家{i}", pool="库外" if i < 3 else "库内") for i in range(5)]
    found = check_panel(members, flags=(), department=EDUCATION, rules=RULES)
    assert [(f.rule, f.blocking, f.citation) for f in found] == [("pool_first", False, "默认规则")]


@given(size=st.integers(min_value=0, max_value=15), flagged=st.booleans())
def test_size_rules_refuse_exactly_the_small_and_the_even(size, flagged):
    flags = ("sensitive",) if flagged else ()
    minimum = 7 if flagged else 5
    broken = {rule for rule, _ in rules_broken(panel(size), flags)}
    assert ("panel_min_flagged" in broken or "panel_min" in broken) == (size < minimum)
    assert ("panel_odd" in broken) == (size % 2 == 0)


def test_a_drawn_panel_is_odd_large_enough_from_the_pool_first_and_avoids_conflicts():
    pool = [Member(i, f"专家{i}", pool="库内" if i < 6 else "库外") for i in range(10)]
    pool.append(Member(99, "教育局干部", unit_id=7))
    drawn, warnings = draw_panel(
        pool, size=None, flags=("contested",), department=EDUCATION, rules=RULES, seed=3
    )
    assert len(drawn) == 7 and warnings == []
    assert 99 not in {m.expert_id for m in drawn}
    assert sum(m.pool == "库内" for m in drawn) == 6


def test_a_pool_too_small_gives_the_largest_odd_panel_and_says_why():
    pool = [Member(i, f"专家{i}") for i in range(4)]
    drawn, warnings = draw_panel(pool, size=5, flags=(), department=EDUCATION, rules=RULES, seed=1)
    assert len(drawn) == 3
    assert [(w.rule, w.blocking) for w in warnings] == [("panel_min", False)]
    assert "仅4人，不足5人" in warnings[0].message


def test_application_window_counts_chinese_working_days_over_may_day():
    # 2022: 4月30日–5月4日 off; 4月24日 (Sunday) and 5月7日 (Saturday) are make-up working days
    assert application_window(date(2022, 5, 10), RULES) == (date(2022, 4, 24), date(2022, 5, 6))
    assert check_application(date(2022, 5, 6), date(2022, 5, 10), RULES) == []
    late = check_application(date(2022, 5, 7), date(2022, 5, 10), RULES)
    assert [(f.rule, f.citation, f.blocking) for f in late] == [
        ("application_window", "卫政办发〔2022〕35号第十五条", True)
    ]
    assert "仅2个工作日" in late[0].message
    early = check_application(date(2022, 4, 1), date(2022, 5, 10), RULES)
    assert [f.blocking for f in early] == [False]


def test_a_late_opinion_turns_the_clock_red():
    due = date(2022, 5, 20)
    assert opinion_clock(due, [date(2022, 5, 19), None], date(2022, 5, 16)).colour == "green"
    assert opinion_clock(due, [date(2022, 5, 19), None], date(2022, 5, 19)).colour == "yellow"
    red = opinion_clock(due, [date(2022, 5, 19), date(2022, 5, 23)], date(2022, 5, 24))
    assert (red.colour, red.reason) == ("red", "1份意见逾期提交")
    assert opinion_clock(due, [None], date(2022, 5, 23)).colour == "red"
    assert opinion_clock(due, [date(2022, 5, 19)], date(2022, 5, 24)).colour == "grey"


def test_a_rules_document_overrides_the_defaults_and_is_cited():
    defaults = default_ruleset()
    assert (required_panel_size(defaults, ())[0], defaults["panel_min"].citation) == (5, "默认规则")
    other = build_ruleset(
        [
            {
                "rule": "panel_min",
                "article": "第五条",
                "params": {"min": 7},
                "doc_number": "固政办发〔2023〕20号",
            },
            {"rule": "unknown", "article": "第一条"},
        ]
    )
    assert required_panel_size(other, ())[0] == 7
    assert other["panel_min"].citation == "固政办发〔2023〕20号第五条"
    assert other["panel_min"].statement == "专家一般不少于7人"
    assert "unknown" not in other
