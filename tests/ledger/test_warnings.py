"""Warning lights: red when overdue, yellow when close or a report is missing, green, grey when done."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taizhang.extract.deadlines import parse_deadline
from taizhang.ledger.status import DONE, IN_PROGRESS, NOT_STARTED, ONGOING, PENDING_REVIEW, STATUSES
from taizhang.ledger.warnings import TaskFacts, TaskWarning, Warning, warning


def dated(due: date, status: str = IN_PROGRESS, **more) -> TaskFacts:
    return TaskFacts(status=status, deadline_kind="date", due=due, **more)


def test_overdue_task_is_red_with_days_past_due():
    assert warning(dated(date(2022, 5, 25)), date(2022, 5, 28)) == TaskWarning(
        "red", "已逾期3天", overdue_days=3
    )


def test_task_awaiting_approval_stays_red_when_overdue():
    assert warning(dated(date(2022, 5, 25), PENDING_REVIEW), date(2022, 5, 26)).colour == "red"


def test_task_due_within_five_working_days_is_yellow():
    # Friday 2022-05-27 → Tuesday 05-31: Monday and Tuesday are left.
    assert warning(dated(date(2022, 5, 31)), date(2022, 5, 27)) == TaskWarning(
        "yellow", "距截止还有2个工作日", workdays_left=2
    )


def test_task_due_today_is_yellow():
    assert warning(dated(date(2022, 5, 31)), date(2022, 5, 31)) == TaskWarning(
        "yellow", "今日截止", workdays_left=0
    )


def test_national_day_holiday_keeps_a_task_due_after_it_yellow():
    # 2022-09-30 → 10-10: only 10-08, 10-09 (调休) and 10-10 are working days; calendar days are 10.
    assert warning(dated(date(2022, 10, 10)), date(2022, 9, 30)) == TaskWarning(
        "yellow", "距截止还有3个工作日", workdays_left=3
    )


def test_task_due_later_than_the_warning_window_is_green():
    assert warning(dated(date(2022, 6, 30)), date(2022, 5, 27)) == TaskWarning(
        "green", "距截止还有23个工作日", workdays_left=23
    )


def test_warning_window_is_configurable():
    assert warning(dated(date(2022, 6, 30)), date(2022, 5, 27), warn_days=30).colour == "yellow"


def test_done_task_is_grey_even_when_past_due():
    assert warning(dated(date(2022, 5, 25), DONE), date(2022, 6, 28)) == TaskWarning("grey", "已办结")


def test_ongoing_task_with_missing_report_is_yellow():
    task = TaskFacts(status=ONGOING, deadline_kind="ongoing", recurrence="monthly:25")
    assert warning(task, date(2022, 5, 28)) == TaskWarning(
        "yellow", "本期(2022-05)进展未报送", missing_periods=("2022-05",)
    )


def test_ongoing_task_with_its_report_in_is_green():
    task = TaskFacts(status=ONGOING, deadline_kind="ongoing", recurrence="monthly:25")
    assert warning(task, date(2022, 5, 28), reported_periods={"2022-05"}) == TaskWarning("green", "按期报送")


def test_ongoing_task_before_the_report_is_due_is_green():
    task = TaskFacts(
        status=ONGOING, deadline_kind="ongoing", recurrence="monthly:25", cycle_start=date(2022, 5, 1)
    )
    assert warning(task, date(2022, 5, 20)) == TaskWarning("green", "按期报送")


def test_ongoing_task_without_a_cycle_is_green():
    task = TaskFacts(status=ONGOING, deadline_kind="ongoing")
    assert warning(task, date(2022, 5, 28)) == TaskWarning("green", "长期坚持")


def test_dated_then_ongoing_task_once_approved_ignores_its_old_due_day():
    task = TaskFacts(status=ONGOING, deadline_kind="date+ongoing", due=date(2022, 4, 30))
    assert warning(task, date(2022, 5, 28)) == TaskWarning("green", "长期坚持")


def test_dated_then_ongoing_task_before_approval_is_judged_by_its_date():
    task = TaskFacts(status=IN_PROGRESS, deadline_kind="date+ongoing", due=date(2022, 4, 30))
    assert warning(task, date(2022, 5, 28)).colour == "red"


def test_overdue_task_with_missing_reports_is_red_and_names_both():
    task = dated(date(2022, 5, 20), recurrence="monthly:25", cycle_start=date(2022, 3, 1))
    assert warning(task, date(2022, 5, 28), reported_periods={"2022-03"}) == TaskWarning(
        "red",
        "已逾期8天;本期(2022-05)进展未报送,另有1期未报送",
        overdue_days=8,
        missing_periods=("2022-04", "2022-05"),
    )


def test_task_with_far_due_day_but_missing_report_is_yellow():
    task = dated(date(2022, 12, 31), recurrence="monthly:25")
    assert warning(task, date(2022, 5, 28)).colour == "yellow"


def test_calendar_day_span_of_a_relative_deadline_is_not_a_cycle():
    task = TaskFacts(status=NOT_STARTED, **_relative_fields("30日内"))
    assert warning(task, date(2022, 5, 28)) == TaskWarning("green", "相对时限,待起算")


def test_task_without_a_deadline_is_green():
    assert warning(TaskFacts(status=NOT_STARTED), date(2022, 5, 28)) == TaskWarning("green", "无明确时限")


def test_gazette_deadlines_light_up_on_a_day_in_may(gold):
    today = date(2022, 5, 28)
    colours = {}
    for task in gold["tasks"]:
        deadline = parse_deadline(task["deadline_text"], year=2022)
        status = ONGOING if deadline.kind == "ongoing" else IN_PROGRESS
        facts = TaskFacts(status, deadline.kind, deadline.due, deadline.recurrence)
        colour = warning(facts, today).colour
        colours[colour] = colours.get(colour, 0) + 1
    # red: 2022年3月底前, 2022年4月 (x8), 2022年4月上旬, 2022年4月底前… (x3) are past;
    # yellow: 2022年5月 (x2) and 2022年5月底前… are due 05-31, two working days after Saturday 05-28
    assert colours == {"red": 13, "yellow": 3, "green": 91}


def test_warning_name_is_the_issue_name():
    assert Warning is TaskWarning
    assert TaskWarning("red", "已逾期1天").name == "红灯"


@given(
    st.sampled_from(STATUSES),
    st.sampled_from(["date", "date+ongoing", "ongoing", "recurring", "none"]),
    st.one_of(st.none(), st.dates(date(2021, 1, 1), date(2024, 12, 31))),
    st.sampled_from([None, "monthly:25", "quarterly:5", "days:30"]),
    st.dates(date(2021, 1, 1), date(2024, 12, 31)),
)
def test_colour_follows_the_rules_for_any_task(status, kind, due, recurrence, today):
    result = warning(TaskFacts(status, kind, due, recurrence), today)
    judged_by_due = due is not None and status != ONGOING and kind != "ongoing"
    if status in (DONE, "已撤销"):
        assert result.colour == "grey"
    elif judged_by_due and due < today:
        assert (result.colour, result.overdue_days) == ("red", (today - due).days)
    else:
        assert result.colour in ("yellow", "green")
    assert result.reason


@given(st.dates(date(2021, 1, 1), date(2026, 12, 31)), st.integers(0, 60))
def test_yellow_exactly_when_due_within_the_window(today, ahead):
    due = today + timedelta(days=ahead)
    result = warning(dated(due), today)
    assert (result.colour == "yellow") == (result.workdays_left is not None and result.workdays_left <= 5)


def _relative_fields(text: str) -> dict:
    deadline = parse_deadline(text)
    return {"deadline_kind": deadline.kind, "due": deadline.due, "recurrence": deadline.recurrence}


@pytest.mark.parametrize("status", [NOT_STARTED, IN_PROGRESS, PENDING_REVIEW])
def test_unfinished_statuses_are_judged_alike(status):
    assert warning(dated(date(2022, 5, 25), status), date(2022, 5, 28)).colour == "red"
