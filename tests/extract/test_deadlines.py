"""Deadline phrases → Deadline data, on the gazette's own phrases and general forms."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taizhang.extract.deadlines import due_from_relative, normalise_deadline_text, parse_deadline
from taizhang.extract.model import DEADLINE_KINDS, Deadline
from taizhang.workdays import is_workday

SIGNED = date(2022, 4, 1)


def parse(text: str | None) -> Deadline:
    return parse_deadline(text, year=2022, signed=SIGNED)


def test_every_gold_deadline_matches_when_read_with_the_document_year(gold):
    wrong = []
    for task in gold["tasks"]:
        deadline = parse_deadline(task["deadline_text"], year=2022)
        got = {"kind": deadline.kind, "due": deadline.due.isoformat() if deadline.due else None}
        if got != task["deadline"]:
            wrong.append((task["deadline_text"], got, task["deadline"]))
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        ("2022年12月底前", "date", date(2022, 12, 31)),
        ("2022年9月底前", "date", date(2022, 9, 30)),
        ("2022年4月", "date", date(2022, 4, 30)),
        ("2022年4月上旬完成", "date", date(2022, 4, 10)),
        ("2022年4月中旬", "date", date(2022, 4, 20)),
        ("2022年2月下旬", "date", date(2022, 2, 28)),
        ("2022年底完成并长期坚持", "date+ongoing", date(2022, 12, 31)),
        ("2022年12月底前完成并长期坚持", "date+ongoing", date(2022, 12, 31)),
        ("2022年4月底前建立并长期坚持", "date+ongoing", date(2022, 4, 30)),
        ("2022年底并长期坚持", "date+ongoing", date(2022, 12, 31)),
        ("立行立改,长期坚持", "ongoing", None),
        ("长期坚持", "ongoing", None),
        ("分阶段完成", "phased", None),
        ("与自治区上下协同、压茬推进完成国土空间规划编制", "other", None),
        ("6月底前", "date", date(2022, 6, 30)),
        ("年底前", "date", date(2022, 12, 31)),
        ("年内", "date", date(2022, 12, 31)),
        ("今年年底", "date", date(2022, 12, 31)),
        ("明年6月", "date", date(2023, 6, 30)),
        ("2022年第三季度", "date", date(2022, 9, 30)),
        ("三季度末", "date", date(2022, 9, 30)),
        ("上半年", "date", date(2022, 6, 30)),
        ("2022年3月1日前", "date", date(2022, 3, 1)),
        ("3月1日", "date", date(2022, 3, 1)),
        ("2022年5月6日", "date", date(2022, 5, 6)),
        ("2022-05-06", "date", date(2022, 5, 6)),
        ("二〇二二年十二月底前", "date", date(2022, 12, 31)),
        ("到2025年", "date", date(2025, 12, 31)),
        ("力争2022年", "date", date(2022, 12, 31)),
        ("２０２２年１２月底前", "date", date(2022, 12, 31)),
        ("到2023年6月底", "date", date(2023, 6, 30)),
        ("确保5月底取得实效", "date", date(2022, 5, 31)),
    ],
)
def test_phrase_reads_as_kind_and_due(text, kind, due):
    assert parse(text) == Deadline(kind=kind, due=due, text=text)


@pytest.mark.parametrize("text", [None, "", "  "])
def test_missing_text_is_kind_none(text):
    assert parse(text) == Deadline(kind="none", text=text or None)


@pytest.mark.parametrize(
    ("text", "recurrence"),
    [
        ("每月25日前", "monthly:25"),
        ("各单位于每月25日前将工作进展情况台账报送", "monthly:25"),
        ("每月5日前报送上月进展", "monthly:+5"),
        ("每月底", "monthly"),
        ("每季度", "quarterly"),
        ("每季度结束后10个工作日内", "quarterly:+10wd"),
        ("每季度首月10日前", "quarterly:+10"),
        ("每半年", "half-yearly"),
        ("每年", "yearly"),
        ("每年1月31日前", "yearly:01-31"),
        ("每周五", "weekly:5"),
    ],
)
def test_cycle_reads_as_recurring_without_due(text, recurrence):
    assert parse(text) == Deadline(kind="recurring", text=text, recurrence=recurrence)


@pytest.mark.parametrize(
    ("text", "recurrence"), [("按月报送", "monthly"), ("按季度调度", "quarterly"), ("逐月通报", "monthly")]
)
def test_by_the_month_reads_as_recurring(text, recurrence):
    assert parse(text) == Deadline(kind="recurring", text=text, recurrence=recurrence)


def test_by_age_is_not_a_cycle():
    assert parse("按年龄段分类").kind == "other"


@pytest.mark.parametrize(
    ("text", "due"),
    [("本月底前", date(2022, 4, 30)), ("下月15日前", date(2022, 5, 15)), ("本季度末", date(2022, 6, 30))],
)
def test_this_and_next_month_count_from_signing(text, due):
    assert parse(text) == Deadline(kind="date", due=due, text=text)


def test_this_month_without_a_signing_date_is_other():
    assert parse_deadline("本月底前", year=2022) == Deadline(kind="other", text="本月底前")


def test_next_month_in_december_is_january():
    assert parse_deadline("下月底前", signed=date(2022, 12, 5)).due == date(2023, 1, 31)


def test_cycle_with_an_end_date_keeps_the_end_as_due():
    text = "2022年底前,每月25日前报送进展"
    assert parse(text) == Deadline(
        kind="recurring", due=date(2022, 12, 31), text=text, recurrence="monthly:25"
    )


@pytest.mark.parametrize(
    ("text", "working_days", "recurrence", "anchor"),
    [
        ("10个工作日内", 10, None, None),
        ("十个工作日内", 10, None, None),
        ("20个工作日内", 20, None, None),
        ("应当在收住老年人后10个工作日内", 10, None, "收住老年人后"),
        ("民政部门应当自备案之日起20个工作日内进行现场检查", 20, None, "备案之日起"),
        ("实际办理时限不超过3个工作日", 3, None, "实际办理时限"),
        ("限期10个工作日整改到位", 10, None, None),
        ("限期3个月完成", None, "months:3", None),
        ("30日内", None, "days:30", None),
        ("三个月内", None, "months:3", None),
        ("两周内", None, "weeks:2", None),
    ],
)
def test_count_from_an_event_reads_as_relative(text, working_days, recurrence, anchor):
    expected = Deadline(
        kind="relative", text=text, working_days=working_days, recurrence=recurrence, anchor=anchor
    )
    assert parse(text) == expected


def test_count_from_the_documents_own_issue_is_due_from_signing():
    text = "自本方案印发之日起3个月内完成"
    expected = Deadline(
        kind="relative", due=date(2022, 7, 1), text=text, recurrence="months:3", anchor="本方案印发之日起"
    )
    assert parse(text) == expected


def test_count_without_an_anchor_gets_no_invented_due_day():
    assert parse("争取三年内实现") == Deadline(kind="relative", text="争取三年内实现", recurrence="years:3")


def test_implausibly_long_count_is_other():
    assert parse("自印发之日起99999999个工作日内") == Deadline(
        kind="other", text="自印发之日起99999999个工作日内"
    )


@pytest.mark.parametrize("text", ["从4月底开始", "自2022年1月1日起施行", "本次大检查大整治不分阶段"])
def test_start_dates_and_negations_are_not_deadlines(text):
    assert parse(text) == Deadline(kind="other", text=text)


def test_range_written_with_qi_zhi_is_phased():
    text = "2022年5月1日起至2022年6月30日"
    phases = (("2022年5月1日", date(2022, 5, 1)), ("2022年6月30日", date(2022, 6, 30)))
    assert parse(text) == Deadline(kind="phased", due=date(2022, 6, 30), text=text, phases=phases)


def test_year_end_of_a_yearly_cycle_is_the_cycle_not_an_end_date():
    assert parse("每年年底") == Deadline(kind="recurring", text="每年年底", recurrence="yearly")


def test_month_range_is_phased_from_first_day_to_last():
    text = "2023年1月—2023年4月"
    phases = (("2023年1月", date(2023, 1, 1)), ("2023年4月", date(2023, 4, 30)))
    assert parse(text) == Deadline(kind="phased", due=date(2023, 4, 30), text=text, phases=phases)


def test_month_range_without_second_year_takes_the_first_year():
    text = "2023年1月—4月"
    phases = (("2023年1月", date(2023, 1, 1)), ("4月", date(2023, 4, 30)))
    assert parse(text) == Deadline(kind="phased", due=date(2023, 4, 30), text=text, phases=phases)


def test_year_range_is_phased_to_the_last_year_end():
    text = "2021—2023年"
    phases = (("2021年", date(2021, 1, 1)), ("2023年", date(2023, 12, 31)))
    assert parse(text) == Deadline(kind="phased", due=date(2023, 12, 31), text=text, phases=phases)


def test_two_dated_clauses_are_two_phases():
    text = "2022年6月底前完成试点，2022年底前全面推开"
    phases = (("2022年6月底前完成试点", date(2022, 6, 30)), ("2022年底前全面推开", date(2022, 12, 31)))
    assert parse(text) == Deadline(kind="phased", due=date(2022, 12, 31), text=text, phases=phases)


def test_month_without_year_and_without_document_year_is_other():
    assert parse_deadline("6月底前") == Deadline(kind="other", text="6月底前")


def test_month_without_year_takes_the_signing_year():
    assert parse_deadline("6月底前", signed=date(2021, 3, 2)).due == date(2021, 6, 30)


def test_month_long_before_signing_means_next_year():
    assert parse_deadline("3月底前", year=2022, signed=date(2022, 11, 20)).due == date(2023, 3, 31)


def test_month_shortly_before_signing_stays_in_the_signing_year():
    assert parse_deadline("3月底前", year=2022, signed=date(2022, 4, 15)).due == date(2022, 3, 31)


def test_printed_year_is_never_rolled_over():
    assert parse_deadline("2021年3月底前", signed=date(2022, 11, 20)).due == date(2021, 3, 31)


def test_impossible_day_is_other():
    assert parse("2022年2月30日") == Deadline(kind="other", text="2022年2月30日")


def test_immediate_rectification_alone_is_due_on_signing():
    assert parse("立行立改") == Deadline(kind="date", due=SIGNED, text="立行立改")
    assert parse_deadline("立行立改") == Deadline(kind="other", text="立行立改")


def test_normalise_turns_numerals_and_width_into_digits_but_leaves_words():
    assert (
        normalise_deadline_text("二〇二二年十二月底前，统一一次 三个月内") == "2022年12月底前,统一一次3个月内"
    )


def test_ten_working_days_after_september_28_cross_national_day_and_make_up_days():
    # 9-29, 9-30, then 10-01..07 off, 10-08/09 are 调休 working Saturday and Sunday.
    assert due_from_relative(parse("10个工作日内"), date(2022, 9, 28)) == date(2022, 10, 17)
    assert due_from_relative(parse("2个工作日内"), date(2022, 9, 30)) == date(2022, 10, 9)


def test_calendar_days_ending_on_a_holiday_move_to_the_next_working_day():
    assert due_from_relative(parse("30日内"), date(2022, 9, 1)) == date(2022, 10, 8)
    assert due_from_relative(parse("30日内"), date(2022, 3, 1)) == date(2022, 3, 31)


def test_months_are_clamped_to_the_month_end():
    assert due_from_relative(parse("1个月内"), date(2022, 1, 31)) == date(2022, 2, 28)


def test_due_from_relative_refuses_a_dated_deadline():
    with pytest.raises(ValueError, match="不是相对期限"):
        due_from_relative(parse("2022年4月"), date(2022, 1, 1))


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            "0123456789年月日号底前内上中下旬季度每半周工作个天长期坚持—至起,二十〇一印发之"
        ),
        max_size=30,
    )
)
def test_any_deadline_like_string_parses_to_a_known_kind(text):
    deadline = parse_deadline(text, year=2022, signed=SIGNED)
    assert deadline.kind in DEADLINE_KINDS
    assert deadline.due is None or isinstance(deadline.due, date)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.one_of(st.none(), st.integers(-5, 10000)))
def test_any_string_with_any_year_never_raises(text, year):
    assert parse_deadline(text, year=year).kind in DEADLINE_KINDS


@given(st.integers(1900, 2199), st.integers(1, 12))
def test_month_end_is_the_calendar_month_end_in_every_year(year, month):
    last = calendar.monthrange(year, month)[1]
    assert parse_deadline(f"{year}年{month}月底前").due == date(year, month, last)
    assert parse_deadline(f"{year}年{month}月下旬").due == date(year, month, last)


@given(st.integers(1900, 2199), st.integers(1, 12))
def test_early_mid_late_month_are_ordered(year, month):
    early, mid, late = (parse_deadline(f"{year}年{month}月{part}").due for part in ("上旬", "中旬", "下旬"))
    assert early is not None and mid is not None and late is not None
    assert (early.day, mid.day) == (10, 20)
    assert early <= mid <= late


@given(st.integers(1900, 2199).filter(calendar.isleap))
def test_february_ends_on_the_29th_in_leap_years(year):
    assert parse_deadline(f"{year}年2月底").due == date(year, 2, 29)


@given(st.dates(date(2020, 1, 1), date(2026, 12, 31)), st.integers(1, 30))
def test_relative_working_days_land_on_a_working_day_after_the_anchor(anchor, count):
    due = due_from_relative(Deadline(kind="relative", working_days=count), anchor)
    assert due > anchor
    assert is_workday(due)


def test_bare_long_term_cells_are_ongoing():
    # a table's 完成时限 cell often holds just 长期 or 持续
    assert [parse_deadline(t, year=2023).kind for t in ("长期", "持续", "长期任务")] == ["ongoing"] * 3


def test_whole_year_means_the_year_end():
    # '完成时限：全年' in annual work-plan tables
    assert parse_deadline("全年", year=2023).due == date(2023, 12, 31)
