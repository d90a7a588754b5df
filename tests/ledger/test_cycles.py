"""Reporting cycles: rules, periods, due days off holidays, on-time / late / missing reports."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taizhang.errors import InvalidInput
from taizhang.extract.deadlines import parse_deadline
from taizhang.ledger.cycles import (
    CycleRule,
    Period,
    PeriodStatus,
    classify_reports,
    current_period,
    is_rule,
    parse_rule,
    period_containing,
    period_of_label,
    periods_due,
)
from taizhang.workdays import is_workday

RULES = [
    "weekly",
    "weekly:1",
    "monthly",
    "monthly:25",
    "monthly:31",
    "monthly:+5",
    "quarterly",
    "quarterly:5",
    "quarterly:+10wd",
    "half-yearly",
    "yearly",
    "yearly:01-31",
]


def month(label: str, start: date, end: date, due: date, nominal: date | None = None) -> Period:
    return Period(label, start, end, due, nominal or due)


@pytest.mark.parametrize(
    ("rule", "parsed"),
    [
        ("monthly:25", CycleRule("monthly", day=25)),
        ("monthly:+5", CycleRule("monthly", offset=5)),
        ("quarterly", CycleRule("quarterly")),
        ("quarterly:5", CycleRule("quarterly", offset=5)),
        ("quarterly:+10wd", CycleRule("quarterly", offset=10, working_days=True)),
        ("half-yearly:end", CycleRule("half-yearly")),
        ("yearly:01-31", CycleRule("yearly", month_day=(1, 31))),
        ("weekly:5", CycleRule("weekly", day=5)),
    ],
)
def test_rule_parses_to_its_parts(rule, parsed):
    assert parse_rule(rule) == parsed


@pytest.mark.parametrize(
    "rule", ["", "daily", "monthly:0", "monthly:32", "weekly:8", "monthly:02-28", "yearly:02-30", "days:30"]
)
def test_malformed_rule_is_refused_with_its_text(rule):
    with pytest.raises(InvalidInput, match="不是报送周期规则"):
        parse_rule(rule)
    assert not is_rule(rule)


def test_every_recurrence_the_deadline_parser_writes_is_a_rule():
    phrases = [
        "每月25日前",
        "每月5日前报送上月进展",
        "每季度",
        "每季度结束后10个工作日内",
        "每半年",
        "每年",
        "每年1月31日前",
        "每周五",
    ]
    assert [is_rule(parse_deadline(p).recurrence) for p in phrases] == [True] * len(phrases)


def test_monthly_25_is_due_on_the_25th_or_the_next_working_day():
    # 2022-09-25 is a Sunday; 2022-06-25 a Saturday.
    assert periods_due("monthly:25", date(2022, 5, 1), date(2022, 9, 30)) == [
        month("2022-05", date(2022, 5, 1), date(2022, 5, 31), date(2022, 5, 25)),
        month("2022-06", date(2022, 6, 1), date(2022, 6, 30), date(2022, 6, 27), date(2022, 6, 25)),
        month("2022-07", date(2022, 7, 1), date(2022, 7, 31), date(2022, 7, 25)),
        month("2022-08", date(2022, 8, 1), date(2022, 8, 31), date(2022, 8, 25)),
        month("2022-09", date(2022, 9, 1), date(2022, 9, 30), date(2022, 9, 26), date(2022, 9, 25)),
    ]


def test_work_begun_after_the_25th_owes_nothing_for_that_month():
    assert [p.label for p in periods_due("monthly:25", date(2022, 4, 28), date(2022, 6, 1))] == ["2022-05"]


def test_nothing_is_due_before_the_work_begins():
    assert periods_due("monthly:25", date(2022, 7, 1), date(2022, 6, 1)) == []


def test_quarter_report_after_national_day_moves_past_the_holiday_week():
    # Q3 ends 09-30; "+5" names 10-05, inside the 国庆 holiday; the next working day is 10-08 (调休 Saturday).
    assert period_containing("quarterly:5", date(2022, 8, 15)) == Period(
        "2022-Q3", date(2022, 7, 1), date(2022, 9, 30), date(2022, 10, 8), date(2022, 10, 5)
    )


def test_quarter_report_in_working_days_counts_make_up_days():
    # 10 working days after 09-30: 10-08, 10-09 (调休), 10-10..14, 10-17..19.
    assert period_containing("quarterly:+10wd", date(2022, 9, 1)).due == date(2022, 10, 19)


def test_labels_of_each_frequency():
    day = date(2022, 5, 4)
    labels = [
        period_containing(rule, day).label
        for rule in ("weekly", "monthly", "quarterly", "half-yearly", "yearly")
    ]
    assert labels == ["2022-W18", "2022-05", "2022-Q2", "2022-H1", "2022"]


def test_monthly_31_means_the_month_end_in_february():
    assert period_containing("monthly:31", date(2024, 2, 3)).nominal_due == date(2024, 2, 29)


def test_reports_are_on_time_late_missing_or_pending():
    submitted = {"2022-03": date(2022, 3, 20), "2022-04": date(2022, 4, 29), "2022-07": date(2022, 6, 1)}
    statuses = classify_reports("monthly:25", date(2022, 3, 1), date(2022, 6, 27), submitted)
    assert statuses == [
        PeriodStatus(
            month("2022-03", date(2022, 3, 1), date(2022, 3, 31), date(2022, 3, 25)),
            "on_time",
            date(2022, 3, 20),
        ),
        PeriodStatus(
            month("2022-04", date(2022, 4, 1), date(2022, 4, 30), date(2022, 4, 25)),
            "late",
            date(2022, 4, 29),
            4,
        ),
        PeriodStatus(
            month("2022-05", date(2022, 5, 1), date(2022, 5, 31), date(2022, 5, 25)), "missing", None, 33
        ),
        PeriodStatus(
            month("2022-06", date(2022, 6, 1), date(2022, 6, 30), date(2022, 6, 27), date(2022, 6, 25)),
            "pending",
        ),
    ]


def test_report_on_the_moved_due_day_is_on_time():
    # the 25th was a Saturday, so Monday the 27th is still on time
    [status] = classify_reports(
        "monthly:25", date(2022, 6, 1), date(2022, 6, 28), {"2022-06": date(2022, 6, 27)}
    )
    assert (status.status, status.days_late) == ("on_time", None)


@pytest.mark.parametrize(
    ("rule", "today", "label"),
    [
        ("monthly:25", date(2022, 5, 20), "2022-05"),
        ("monthly:25", date(2022, 5, 25), "2022-05"),
        ("monthly:25", date(2022, 5, 28), "2022-06"),
        ("monthly:+5", date(2022, 5, 3), "2022-04"),
        ("monthly:+5", date(2022, 5, 10), "2022-05"),
        ("quarterly:5", date(2022, 10, 7), "2022-Q3"),
        ("yearly", date(2022, 12, 31), "2022"),
        ("yearly", date(2023, 1, 2), "2022"),
    ],
)
def test_current_period_is_the_first_due_on_or_after_today(rule, today, label):
    assert current_period(rule, today).label == label


@pytest.mark.parametrize(
    ("rule", "label", "start"),
    [
        ("monthly", "2022-05", date(2022, 5, 1)),
        ("quarterly", "2022-Q2", date(2022, 4, 1)),
        ("half-yearly", "2022-H2", date(2022, 7, 1)),
        ("yearly", "2022", date(2022, 1, 1)),
        ("weekly", "2022-W18", date(2022, 5, 2)),
    ],
)
def test_label_names_its_period(rule, label, start):
    period = period_of_label(rule, label)
    assert (period.label, period.start) == (label, start)


@pytest.mark.parametrize(
    ("rule", "label"), [("monthly", "2022-13"), ("monthly", "2022-Q1"), ("weekly", "2021-W53")]
)
def test_label_of_another_frequency_or_no_period_is_refused(rule, label):
    with pytest.raises(InvalidInput, match="不是每(月|周)的期次"):
        period_of_label(rule, label)


@given(st.sampled_from(RULES), st.dates(date(2015, 1, 1), date(2030, 12, 31)))
def test_periods_tile_the_calendar_and_are_due_on_working_days(rule, day):
    period = period_containing(rule, day)
    following = period_containing(rule, period.end + timedelta(days=1))
    assert period.start <= day <= period.end
    assert following.start == period.end + timedelta(days=1)
    assert period.due >= period.nominal_due
    assert is_workday(period.due)
    assert period_of_label(rule, period.label) == period


@given(st.sampled_from(RULES), st.dates(date(2015, 1, 1), date(2030, 12, 31)))
def test_current_period_is_due_today_or_later_and_the_one_before_it_is_not(rule, today):
    period = current_period(rule, today)
    before = period_containing(rule, period.start - timedelta(days=1))
    assert period.due >= today > before.due


@given(st.sampled_from(RULES), st.dates(date(2020, 1, 1), date(2026, 12, 31)), st.integers(0, 400))
def test_classified_periods_are_the_periods_due_and_all_missing_without_reports(rule, start, length):
    today = start + timedelta(days=length)
    statuses = classify_reports(rule, start, today, {})
    assert [s.period for s in statuses] == periods_due(rule, start, today)
    assert {s.status for s in statuses} <= {"missing", "pending"}
