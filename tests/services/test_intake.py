"""立项 by hand: create, edit and cancel tasks, with units and deadlines read as in documents."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from taizhang.errors import InvalidInput, InvalidTransition, PermissionDenied
from taizhang.services import intake, workflow
from taizhang.services.audit import history
from taizhang.services.change_text import change_rows
from taizhang.services.database import unit_of_work
from taizhang.services.queries import get_task
from taizhang.storage.tables import documents, reporting_cycles

from .conftest import task_row

TODAY = date(2023, 5, 8)  # a Monday


def _draft(**changes) -> intake.TaskDraft:
    values = {
        "source_kind": "领导批示",
        "source_ref": "市长批示（2023年5月8日）",
        "title": "推进分级诊疗制度建设",
        "lead": ("市卫生健康委员会",),
        "responsible": ("市医保局、各县(区)",),
        "deadline_text": "2023年6月底前",
    }
    return intake.TaskDraft(**{**values, **changes})


def _create(ledger, **changes) -> int:
    with unit_of_work(ledger.engine) as conn:
        return intake.create_task(conn, ledger.users["office"], _draft(**changes), today=TODAY)


def test_a_task_created_by_hand_has_its_units_deadline_and_source(sqlite_ledger):
    task_id = _create(sqlite_ledger)
    with sqlite_ledger.engine.connect() as conn:
        task = get_task(conn, task_id)
        doc = conn.execute(sa.select(documents).where(documents.c.id == task["document_id"])).one()
    assert task["due_on"] == date(2023, 6, 30) and task["deadline_kind"] == "date"
    assert task["status"] == "未开始"
    units = {(u["role"], u["name"]) for u in task["units"]}
    assert units == {("lead", "市卫生健康委"), ("responsible", "市医保局"), ("responsible", "各县(区)")}
    assert (doc.doc_type, doc.title, doc.issue_id) == ("领导批示", "市长批示（2023年5月8日）", None)


def test_a_relative_deadline_counts_working_days_from_handing_over(sqlite_ledger):
    # 2023-05-08 + 10 working days: 05-22 (weekends skipped)
    task_id = _create(sqlite_ledger, deadline_text="10个工作日内")
    row = task_row(sqlite_ledger.engine, task_id)
    assert (row.deadline_kind, row.due_on, row.working_days) == ("relative", date(2023, 5, 22), 10)


def test_recurring_and_ongoing_deadlines(sqlite_ledger):
    monthly = _create(sqlite_ledger, deadline_text="每月25日前报送进展")
    ongoing = _create(sqlite_ledger, deadline_text="长期坚持")
    with sqlite_ledger.engine.connect() as conn:
        cycles = conn.execute(
            sa.select(reporting_cycles.c.rule).where(reporting_cycles.c.task_id == monthly)
        ).all()
    assert [c.rule for c in cycles] == ["monthly:25"]
    assert task_row(sqlite_ledger.engine, ongoing).status == "长期坚持"


def test_a_task_citing_an_imported_document_belongs_to_it(sqlite_ledger):
    task_id = _create(sqlite_ledger, source_kind="文件", source_ref="卫政办发[2022]28号")
    with sqlite_ledger.engine.connect() as conn:
        number = conn.execute(
            sa.select(documents.c.doc_number).where(
                documents.c.id == task_row(sqlite_ledger.engine, task_id).document_id
            )
        ).scalar()
    assert number == "卫政办发〔2022〕28号"


def test_two_tasks_of_one_meeting_share_its_source_record(sqlite_ledger):
    first = _create(sqlite_ledger, source_kind="会议议定事项", source_ref="市政府常务会议（2023年第5次）")
    second = _create(
        sqlite_ledger, source_kind="会议议定事项", source_ref="市政府常务会议（2023年第5次）", title="另一项"
    )
    assert (
        task_row(sqlite_ledger.engine, first).document_id
        == task_row(sqlite_ledger.engine, second).document_id
    )


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"title": "  "}, "任务名称"),
        ({"lead": ("市不存在局",), "responsible": ()}, "不在单位名录"),
        ({"lead": (), "responsible": ()}, "至少填写"),
        ({"deadline_text": "尽快吧"}, "无法识别"),
        ({"source_kind": "随便"}, "任务来源"),
        ({"source_ref": ""}, "来源"),
    ],
)
def test_bad_drafts_are_refused_in_chinese_and_write_nothing(sqlite_ledger, changes, words):
    with sqlite_ledger.engine.connect() as conn:
        before = conn.execute(sa.text("select count(*) from tasks")).scalar()
    with pytest.raises(InvalidInput, match=words):
        _create(sqlite_ledger, **changes)
    with sqlite_ledger.engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from tasks")).scalar() == before


@pytest.mark.parametrize("who", ["health", "leader"])
def test_only_the_office_creates_edits_and_cancels(sqlite_ledger, who):
    task_id = _create(sqlite_ledger)
    with unit_of_work(sqlite_ledger.engine) as conn:
        actor = sqlite_ledger.users[who]
        with pytest.raises(PermissionDenied):
            intake.create_task(conn, actor, _draft(), today=TODAY)
        with pytest.raises(PermissionDenied):
            intake.cancel_task(conn, actor, task_id, reason="不再实施", today=TODAY)
        with pytest.raises(PermissionDenied):
            intake.edit_task(conn, actor, task_id, title="新标题", reason="标题有误", today=TODAY)


def test_editing_reads_units_and_deadline_again_and_logs_the_change(sqlite_ledger):
    task_id = _create(sqlite_ledger)
    with unit_of_work(sqlite_ledger.engine) as conn:
        intake.edit_task(
            conn,
            sqlite_ledger.users["office"],
            task_id,
            title="推进分级诊疗",
            lead=("市医保局",),
            responsible=("",),
            deadline_text="2023年9月底前",
            reason="市政府常务会议调整分工",
            today=TODAY,
        )
    with sqlite_ledger.engine.connect() as conn:
        task = get_task(conn, task_id)
        log = history(conn, "task", task_id)
    assert task["title"] == "推进分级诊疗" and task["due_on"] == date(2023, 9, 30)
    assert {(u["role"], u["name"]) for u in task["units"]} == {("lead", "市医保局")}
    assert {entry["action"] for entry in log} >= {"create", "edit", "assign"}
    sentences = [row["text"] for row in change_rows(log) if row["action"] in ("修改", "调整责任单位")]
    assert len(sentences) == 2 and all("（理由：市政府常务会议调整分工）" in s for s in sentences)


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_edit_without_a_reason_is_refused_and_changes_nothing(sqlite_ledger, reason):
    task_id = _create(sqlite_ledger)
    with sqlite_ledger.engine.connect() as conn:
        before = (get_task(conn, task_id), len(history(conn, "task", task_id)))
    with unit_of_work(sqlite_ledger.engine) as conn, pytest.raises(InvalidInput, match="请填写修改理由"):
        intake.edit_task(
            conn,
            sqlite_ledger.users["office"],
            task_id,
            title="推进分级诊疗",
            body="新的任务内容",
            lead=("市医保局",),
            deadline_text="2023年9月底前",
            reason=reason,
            today=TODAY,
        )
    with sqlite_ledger.engine.connect() as conn:
        assert (get_task(conn, task_id), len(history(conn, "task", task_id))) == before


def test_a_cancelled_task_keeps_its_reason_and_refuses_every_action(sqlite_ledger):
    task_id = _create(sqlite_ledger)
    office, unit = sqlite_ledger.users["office"], sqlite_ledger.users["health"]
    with unit_of_work(sqlite_ledger.engine) as conn:
        intake.cancel_task(conn, office, task_id, reason="会议决定不再实施", today=TODAY)
    with sqlite_ledger.engine.connect() as conn:
        task = get_task(conn, task_id)
        log = history(conn, "task", task_id)
    assert task["status"] == "已撤销"
    assert [a["message"] for a in task["actions"] if a["kind"] == "撤销"] == ["会议决定不再实施"]
    assert any(entry["action"] == "cancel" for entry in log)
    with unit_of_work(sqlite_ledger.engine) as conn, pytest.raises(InvalidTransition, match="已撤销"):
        workflow.request_completion(conn, unit, task_id, note="完成", today=TODAY)
    with unit_of_work(sqlite_ledger.engine) as conn, pytest.raises(InvalidTransition):
        intake.cancel_task(conn, office, task_id, reason="again", today=TODAY)


def test_cancelling_needs_a_reason(sqlite_ledger):
    task_id = _create(sqlite_ledger)
    with unit_of_work(sqlite_ledger.engine) as conn, pytest.raises(InvalidInput, match="理由"):
        intake.cancel_task(conn, sqlite_ledger.users["office"], task_id, reason=" ", today=TODAY)
