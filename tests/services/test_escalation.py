"""Escalation per (task, unit): 催办 → 督办函 → 约谈 one step at a time, a batch of late parts, 批示."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from docx import Document

from taizhang.errors import InvalidInput, InvalidTransition, PermissionDenied
from taizhang.export.letters import write_letter_docx
from taizhang.services import escalation, intake
from taizhang.services.database import unit_of_work
from taizhang.services.queries import get_task

TODAY = date(2022, 7, 15)


def _step(ledger, task: str, unit: str, step: str, **kw) -> int:
    with unit_of_work(ledger.engine) as conn:
        return escalation.escalate(
            conn,
            ledger.users["office"],
            ledger.tasks[task],
            unit,
            step,
            message=kw.pop("message", "请抓紧办理"),
            today=TODAY,
            **kw,
        )


def test_the_ladder_is_climbed_one_step_at_a_time(sqlite_ledger):
    with pytest.raises(InvalidTransition, match="须先催办"):
        _step(sqlite_ledger, "health", "市卫生健康委", "督办函")
    _step(sqlite_ledger, "health", "市卫生健康委", "催办")
    with pytest.raises(InvalidTransition, match="须先督办函"):
        _step(sqlite_ledger, "health", "市卫生健康委", "约谈", talk=escalation.Talk("分管副主任"))
    first = _step(sqlite_ledger, "health", "市卫生健康委", "督办函")
    second = _step(sqlite_ledger, "health", "市卫生健康委", "督办函")
    with pytest.raises(InvalidInput, match="约谈对象"):
        _step(sqlite_ledger, "health", "市卫生健康委", "约谈", talk=escalation.Talk(" "))
    _step(
        sqlite_ledger, "health", "市卫生健康委", "约谈", talk=escalation.Talk("分管副主任", "承诺8月底前完成")
    )
    with sqlite_ledger.engine.connect() as conn:
        counted = escalation.counts(conn, task_id=sqlite_ledger.tasks["health"])
        letters = [escalation.get_letter(conn, i)["letter_number"] for i in (first, second)]
        timeline = [a["kind"] for a in get_task(conn, sqlite_ledger.tasks["health"])["actions"]]
        units = escalation.by_unit(conn)
    unit_id = sqlite_ledger.units["市卫生健康委"]
    assert counted == {(sqlite_ledger.tasks["health"], unit_id): {"催办": 1, "督办函": 2, "约谈": 1}}
    assert letters == ["督办〔2022〕1号", "督办〔2022〕2号"]
    assert timeline == ["催办", "督办函", "督办函", "约谈"]
    assert units[0]["unit"] == "市卫生健康委" and units[0]["约谈"] == 1


def test_a_unit_not_on_the_task_or_a_closed_task_is_refused(sqlite_ledger):
    with pytest.raises(InvalidInput, match="不是任务"):
        _step(sqlite_ledger, "insurance", "市卫生健康委", "催办")
    with unit_of_work(sqlite_ledger.engine) as conn:
        intake.cancel_task(
            conn, sqlite_ledger.users["office"], sqlite_ledger.tasks["health"], reason="不再实施", today=TODAY
        )
    with pytest.raises(InvalidTransition, match="已撤销"):
        _step(sqlite_ledger, "health", "市卫生健康委", "催办")


def test_a_group_member_has_its_own_part(sqlite_ledger):
    _step(sqlite_ledger, "counties", "中宁县", "催办")
    with sqlite_ledger.engine.connect() as conn:
        assert set(escalation.counts(conn)) == {
            (sqlite_ledger.tasks["counties"], sqlite_ledger.units["中宁县"])
        }


@pytest.mark.parametrize("who", ["health", "leader"])
def test_only_the_office_escalates(sqlite_ledger, who):
    with unit_of_work(sqlite_ledger.engine) as conn, pytest.raises(PermissionDenied):
        escalation.escalate(
            conn,
            sqlite_ledger.users[who],
            sqlite_ledger.tasks["health"],
            "市卫生健康委",
            "催办",
            message="x",
            today=TODAY,
        )


def test_chase_late_chases_every_late_part_of_a_unit_or_all(sqlite_ledger):
    with unit_of_work(sqlite_ledger.engine) as conn:
        # due 2022-06-30 (health: lead 卫健委), 2022-05-10 (counties: 各县(区)), 2022-04-29 (insurance: 医保局)
        assert escalation.chase_late(conn, sqlite_ledger.users["office"], TODAY, unit="市医保局") == 1
        assert escalation.chase_late(conn, sqlite_ledger.users["office"], TODAY) == 3
        assert escalation.chase_late(conn, sqlite_ledger.users["office"], date(2022, 5, 1)) == 1
    with sqlite_ledger.engine.connect() as conn:
        counted = escalation.counts(conn)
    assert counted[(sqlite_ledger.tasks["insurance"], sqlite_ledger.units["市医保局"])]["催办"] == 3


def test_the_letter_is_a_numbered_word_document_in_the_issuers_name(sqlite_ledger):
    _step(sqlite_ledger, "health", "市卫生健康委", "催办")
    letter_id = _step(sqlite_ledger, "health", "市卫生健康委", "督办函", message="")
    with sqlite_ledger.engine.connect() as conn:
        found = escalation.get_letter(conn, letter_id)
    out = BytesIO()
    write_letter_docx(found, out, issuer="某市人民政府办公室", today=TODAY)
    text = "\n".join(p.text for p in Document(BytesIO(out.getvalue())).paragraphs)
    assert "督办〔2022〕1号" in text and "某市人民政府办公室" in text and "市卫生健康委：" in text
    assert "已逾期15天" in text and "2022年7月15日" in text
    # five working days by default, counted on the calendar's working days: Fri 15 July → Fri 22 July
    assert "请于2022年7月22日前（本函发出之日起5个工作日内）" in text


@pytest.mark.parametrize(
    ("days", "dated", "reply_by"),
    [
        (10, date(2022, 7, 15), "2022年7月29日"),
        (
            3,
            date(2022, 9, 29),
            "2022年10月9日",
        ),  # across 国庆: 30 Sep, then 8 and 9 Oct (调休 Saturday, Sunday)
    ],
)
def test_each_letter_has_its_own_reply_time_in_working_days(sqlite_ledger, days, dated, reply_by):
    with unit_of_work(sqlite_ledger.engine) as conn:
        office, task_id = sqlite_ledger.users["office"], sqlite_ledger.tasks["health"]
        escalation.escalate(conn, office, task_id, "市卫生健康委", "催办", message="", today=dated)
        letter_id = escalation.escalate(
            conn, office, task_id, "市卫生健康委", "督办函", message="", today=dated, reply_days=days
        )
        found = escalation.get_letter(conn, letter_id)
    out = BytesIO()
    write_letter_docx(found, out, issuer="某市人民政府办公室", today=dated)
    text = "\n".join(p.text for p in Document(BytesIO(out.getvalue())).paragraphs)
    assert found["reply_days"] == days
    assert f"请于{reply_by}前（本函发出之日起{days}个工作日内）" in text


@pytest.mark.parametrize("days", [0, -1, 61])
def test_a_reply_time_outside_one_to_sixty_working_days_is_refused(sqlite_ledger, days):
    _step(sqlite_ledger, "health", "市卫生健康委", "催办")
    with pytest.raises(InvalidInput, match="答复时限应为1至60个工作日"):
        _step(sqlite_ledger, "health", "市卫生健康委", "督办函", reply_days=days)
    with sqlite_ledger.engine.connect() as conn:  # nothing half-written
        assert (
            escalation.counts(conn)[(sqlite_ledger.tasks["health"], sqlite_ledger.units["市卫生健康委"])][
                "督办函"
            ]
            == 0
        )


def test_a_leaders_instruction_is_on_the_timeline_and_may_bring_a_follow_up(sqlite_ledger):
    task_id = sqlite_ledger.tasks["health"]
    with unit_of_work(sqlite_ledger.engine) as conn:
        escalation.add_instruction(
            conn, sqlite_ledger.users["leader"], task_id, text="请加快推进", given_on=TODAY, today=TODAY
        )
        with pytest.raises(PermissionDenied):
            escalation.add_instruction(
                conn, sqlite_ledger.users["health"], task_id, text="x", given_on=TODAY, today=TODAY
            )
        follow = intake.TaskDraft(
            "领导批示",
            "市长批示",
            "制定分级诊疗考核办法",
            lead=("市卫生健康委",),
            deadline_text="2022年9月底前",
        )
        escalation.add_instruction(
            conn,
            sqlite_ledger.users["office"],
            task_id,
            text="研究制定考核办法",
            given_on=TODAY,
            leader="张市长",
            follow_up=follow,
            today=TODAY,
        )
        with pytest.raises(PermissionDenied):  # 立项 stays the office's
            escalation.add_instruction(
                conn,
                sqlite_ledger.users["leader"],
                task_id,
                text="y",
                given_on=TODAY,
                follow_up=follow,
                today=TODAY,
            )
    with sqlite_ledger.engine.connect() as conn:
        notes = escalation.task_instructions(conn, task_id)
        actions = [a for a in get_task(conn, task_id)["actions"] if a["kind"] == "批示"]
    assert [(n["leader"], n["text"]) for n in notes] == [("ld", "请加快推进"), ("张市长", "研究制定考核办法")]
    assert notes[1]["follow_up_task_id"] is not None and "后续任务" in actions[1]["message"]


def test_the_ledger_workbook_shows_what_each_task_drew(sqlite_ledger, tmp_path):
    from openpyxl import load_workbook

    from taizhang.export.xlsx import COLUMNS, write_ledger

    _step(sqlite_ledger, "health", "市卫生健康委", "催办")
    _step(sqlite_ledger, "health", "市卫生健康委", "督办函")
    _step(sqlite_ledger, "counties", "中宁县", "催办")
    _step(sqlite_ledger, "counties", "海原县", "催办")
    out = tmp_path / "ledger.xlsx"
    with sqlite_ledger.engine.connect() as conn:
        write_ledger(conn, out)
    sheet = load_workbook(out).worksheets[0]
    column = COLUMNS.index("督办情况")
    shown = {row[2].value: row[column].value for row in sheet.iter_rows(min_row=2)}
    assert shown["推进分级诊疗"] == "催办1次、督办函1件" and shown["建设县域医共体"] == "催办2次"
    assert shown["规范医疗收费"] in (None, "")


def test_the_notice_counts_each_units_escalation(sqlite_ledger):
    from taizhang.services.notices import draft_progress_notice

    _step(sqlite_ledger, "health", "市卫生健康委", "催办")
    _step(sqlite_ledger, "health", "市卫生健康委", "督办函")
    _step(sqlite_ledger, "counties", "中宁县", "催办")
    with sqlite_ledger.engine.connect() as conn:
        draft = draft_progress_notice(conn, as_of=TODAY)
        earlier = draft_progress_notice(conn, as_of=date(2022, 7, 1))
    section = next(s for s in draft.sections if s.heading == "督办情况")
    assert "对2个单位催办2次、发督办函1件" in section.paragraphs[0]
    assert "市卫生健康委（催办1次、发督办函1件）；中宁县（催办1次）" in section.paragraphs[0]
    assert all(s.heading != "督办情况" for s in earlier.sections)  # nothing was escalated by then
