"""考评 rules as data: rates, deductions with a ceiling, the clean bonus, ranks, periods."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taizhang.errors import InvalidInput
from taizhang.ledger.evaluation import UnitFacts, load_rules, parse_period, rank, score_unit

DEFAULT = Path(__file__).resolve().parents[2] / "src" / "taizhang" / "data" / "evaluation" / "default.json"
RULES = load_rules(json.loads(DEFAULT.read_text(encoding="utf-8")))


def test_the_default_rules():
    assert (RULES.on_time_points, RULES.feedback_points, RULES.max_deduction, RULES.clean_bonus) == (
        60,
        40,
        30,
        5,
    )
    assert dict(RULES.deductions) == {"催办": 0.5, "督办函": 2, "约谈": 5}


def test_a_score_adds_rates_and_takes_deductions():
    facts = UnitFacts(
        "市医保局",
        tasks_due=4,
        done_on_time=3,
        reports_due=10,
        reports_on_time=5,
        steps={"催办": 2, "督办函": 1, "约谈": 0},
        days_late=20,
    )
    s = score_unit(facts, RULES)
    assert (s.on_time_rate, s.feedback_rate) == (0.75, 0.5)
    assert s.deduction == 5.0 and s.bonus == 0 and s.score == 60 * 0.75 + 40 * 0.5 - 5


def test_a_clean_record_earns_the_bonus_and_deductions_stop_at_the_ceiling():
    clean = score_unit(UnitFacts("甲", tasks_due=2, done_on_time=2), RULES)
    assert clean.score == 105 and clean.feedback_rate is None
    worst = score_unit(UnitFacts("乙", tasks_due=1, steps={"约谈": 10}, days_late=999), RULES)
    assert worst.deduction == 30 and worst.score == 40 - 30


def test_equal_scores_share_a_rank():
    ranked = rank(
        [
            UnitFacts("乙", tasks_due=1),
            UnitFacts("甲", tasks_due=1),
            UnitFacts("丙", tasks_due=1, done_on_time=1),
        ],
        RULES,
    )
    assert [(r.facts.unit, r.rank) for r in ranked] == [("丙", 1), ("乙", 2), ("甲", 2)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022", (date(2022, 1, 1), date(2022, 12, 31))),
        ("2022-02", (date(2022, 2, 1), date(2022, 2, 28))),
        ("2022-Q2", (date(2022, 4, 1), date(2022, 6, 30))),
        ("2022-H2", (date(2022, 7, 1), date(2022, 12, 31))),
    ],
)
def test_periods(text, expected):
    assert parse_period(text)[1:] == expected


@pytest.mark.parametrize("text", ["", "22", "2022-13", "2022-Q5", "明年"])
def test_bad_periods_are_refused_in_chinese(text):
    with pytest.raises(InvalidInput, match="考评期间"):
        parse_period(text)


@pytest.mark.parametrize(
    "data",
    [
        [],
        {},
        {"points": {}, "deductions": {}},
        {"points": {"on_time_rate": -1, "feedback_rate": 40}, "deductions": {"per_day_late": 0, "max": 1}},
        {
            "points": {"on_time_rate": 1, "feedback_rate": 1},
            "deductions": {"steps": {"通报": 1}, "per_day_late": 0, "max": 1},
        },
    ],
)
def test_bad_rules_are_refused(data):
    with pytest.raises(InvalidInput, match="考评规则"):
        load_rules(data)


counts = st.integers(0, 50)


@given(counts, counts, counts, counts, counts, counts, counts, st.integers(0, 500))
def test_a_score_is_bounded_and_more_escalation_never_raises_it(
    due, done, rdue, rdone, chases, letters, talks, late
):
    facts = UnitFacts(
        "甲",
        tasks_due=due,
        done_on_time=min(done, due),
        reports_due=rdue,
        reports_on_time=min(rdone, rdue),
        steps={"催办": chases, "督办函": letters, "约谈": talks},
        days_late=late,
    )
    s = score_unit(facts, RULES)
    assert 0 <= s.score <= 105
    worse = score_unit(
        UnitFacts(
            "甲",
            tasks_due=facts.tasks_due,
            done_on_time=facts.done_on_time,
            reports_due=facts.reports_due,
            reports_on_time=facts.reports_on_time,
            steps={**facts.steps, "催办": chases + 1},
            days_late=late,
        ),
        RULES,
    )
    assert worse.score <= s.score
