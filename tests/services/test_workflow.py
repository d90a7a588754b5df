"""The task workflow on a real database (SQLite and PostgreSQL): reports, requests, decisions."""

from __future__ import annotations

import hashlib
import threading
from datetime import date

import pytest
import sqlalchemy as sa

from taizhang.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied, UnknownUnit
from taizhang.services import workflow as wf
from taizhang.services.audit import history, verify_chain
from taizhang.services.change_text import change_rows
from taizhang.services.database import unit_of_work
from taizhang.storage.tables import actions, assignments, attachments, change_log, reports, tasks

from .conftest import task_row

TODAY = date(2022, 5, 6)


def _report(ledger, who: str, task: str, tmp_path, **kw):
    fields = {
        "practice": "召开推进会",
        "results": "覆盖全部乡镇",
        "problems": "",
        "next_steps": "继续推进",
        "percent": 40,
        "today": TODAY,
        "upload_dir": tmp_path / "uploads",
    }
    fields.update(kw)
    with unit_of_work(ledger.engine) as conn:
        return wf.submit_report(conn, ledger.users[who], ledger.tasks[task], **fields)


def test_task_unit_ids_expand_assigned_groups(ledger):
    with ledger.engine.connect() as conn:
        ids = wf.task_unit_ids(conn, ledger.tasks["counties"])
    u = ledger.units
    assert ids == {u["各县(区)"], u["沙坡头区"], u["中宁县"], u["海原县"]}


def test_report_by_county_user_on_group_task_moves_status_and_stores_file(ledger, tmp_path):
    upload = wf.Upload("C:\\docs\\会议纪要.pdf", "application/pdf", b"%PDF-1.4 minutes")
    report_id = _report(ledger, "zhongning", "counties", tmp_path, uploads=[upload], period="2022-05")
    row = task_row(ledger.engine, ledger.tasks["counties"])
    # 中宁县's part is at 40%; the task is the mean of the three counties' parts
    assert (row.status, row.percent) == ("推进中", 13)
    digest = hashlib.sha256(upload.data).hexdigest()
    assert (tmp_path / "uploads" / digest).read_bytes() == upload.data
    with ledger.engine.connect() as conn:
        stored = conn.execute(sa.select(attachments).where(attachments.c.report_id == report_id)).one()
        report = conn.execute(sa.select(reports).where(reports.c.id == report_id)).one()
    assert (stored.filename, stored.size, stored.sha256) == ("会议纪要.pdf", len(upload.data), digest)
    assert (report.unit_id, report.period, report.kind) == (ledger.units["中宁县"], "2022-05", "progress")


def test_report_refused_for_another_units_task(ledger, tmp_path):
    with pytest.raises(PermissionDenied):
        _report(ledger, "zhongning", "health", tmp_path)
    with pytest.raises(PermissionDenied):
        _report(ledger, "office", "health", tmp_path)
    assert task_row(ledger.engine, ledger.tasks["health"]).status == "未开始"


def test_cooperating_unit_may_report(ledger, tmp_path):
    report_id = _report(ledger, "insurance", "health", tmp_path)
    with ledger.engine.connect() as conn:
        assert (
            conn.execute(sa.select(reports.c.unit_id).where(reports.c.id == report_id)).scalar()
            == ledger.units["市医保局"]
        )
    # a cooperating unit has no part: the task follows its lead, which has not reported yet
    assert task_row(ledger.engine, ledger.tasks["health"]).status == "未开始"


@pytest.mark.parametrize(
    "kw",
    [
        {"practice": " ", "results": "", "next_steps": ""},
        {"percent": 101},
        {"percent": -1},
    ],
)
def test_bad_reports_are_refused_and_store_nothing(sqlite_ledger, tmp_path, kw):
    with pytest.raises(InvalidInput):
        _report(sqlite_ledger, "health", "health", tmp_path, **kw)
    with sqlite_ledger.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar() == 0


def test_report_on_ongoing_task_keeps_it_ongoing(ledger, tmp_path):
    _report(ledger, "health", "ongoing", tmp_path)
    assert task_row(ledger.engine, ledger.tasks["ongoing"]).status == "长期坚持"


def test_completion_request_approval_and_reopen(ledger, tmp_path):
    t = ledger.tasks["health"]
    with unit_of_work(ledger.engine) as conn:
        with pytest.raises(InvalidTransition, match="尚未申请办结"):
            wf.approve_completion(conn, ledger.users["office"], t, today=TODAY)
    with unit_of_work(ledger.engine) as conn:
        wf.request_completion(conn, ledger.users["health"], t, note="已全部完成", today=TODAY)
    assert task_row(ledger.engine, t).status == "待审核"
    with unit_of_work(ledger.engine) as conn:
        with pytest.raises(PermissionDenied):
            wf.approve_completion(conn, ledger.users["health"], t, today=TODAY)
    with unit_of_work(ledger.engine) as conn:
        wf.approve_completion(conn, ledger.users["office"], t, note="同意办结", today=TODAY)
    assert (task_row(ledger.engine, t).status, task_row(ledger.engine, t).percent) == ("已完成", 100)
    with pytest.raises(InvalidTransition):
        _report(ledger, "health", "health", tmp_path)
    with unit_of_work(ledger.engine) as conn:
        wf.reopen(conn, ledger.users["office"], t, reason="群众反映问题仍存在", today=TODAY)
    assert task_row(ledger.engine, t).status == "推进中"


def test_approving_a_complete_then_ongoing_task_leaves_it_ongoing(ledger):
    t = ledger.tasks["insurance"]
    with unit_of_work(ledger.engine) as conn:
        wf.request_completion(conn, ledger.users["insurance"], t, note="制度已出台", today=TODAY)
        wf.approve_completion(conn, ledger.users["office"], t, today=TODAY)
    assert task_row(ledger.engine, t).status == "长期坚持"


def test_return_needs_a_reason_and_marks_the_request(ledger):
    t = ledger.tasks["health"]
    with unit_of_work(ledger.engine) as conn:
        request_id = wf.request_completion(conn, ledger.users["health"], t, note="完成", today=TODAY)
    with unit_of_work(ledger.engine) as conn:
        with pytest.raises(InvalidInput):
            wf.return_task(conn, ledger.users["office"], t, reason="  ", today=TODAY)
    with unit_of_work(ledger.engine) as conn:
        wf.return_task(conn, ledger.users["office"], t, reason="佐证材料不全", today=TODAY)
    with ledger.engine.connect() as conn:
        request = conn.execute(sa.select(reports).where(reports.c.id == request_id)).one()
    assert (request.decision, request.decision_reason) == ("returned", "佐证材料不全")
    assert task_row(ledger.engine, t).status == "推进中"


def test_extension_granted_moves_due_date_and_refusal_keeps_it(ledger):
    t = ledger.tasks["counties"]
    with unit_of_work(ledger.engine) as conn:
        with pytest.raises(InvalidInput):
            wf.request_extension(
                conn,
                ledger.users["zhongning"],
                t,
                requested_due=date(2022, 5, 1),
                reason="疫情影响",
                today=TODAY,
            )
    with unit_of_work(ledger.engine) as conn:
        first = wf.request_extension(
            conn,
            ledger.users["zhongning"],
            t,
            requested_due=date(2022, 6, 30),
            reason="疫情影响",
            today=TODAY,
        )
        with pytest.raises(InvalidTransition, match="已有一项待审批的延期申请"):
            wf.request_extension(
                conn,
                ledger.users["zhongning"],
                t,
                requested_due=date(2022, 7, 30),
                reason="再延",
                today=TODAY,
            )
    with unit_of_work(ledger.engine) as conn:
        wf.decide_extension(conn, ledger.users["office"], first, approve=True, reason="", today=TODAY)
    assert task_row(ledger.engine, t).due_on == date(2022, 6, 30)
    with unit_of_work(ledger.engine) as conn:
        with pytest.raises(InvalidTransition):
            wf.decide_extension(conn, ledger.users["office"], first, approve=False, reason="x", today=TODAY)
        second = wf.request_extension(
            conn, ledger.users["zhongning"], t, requested_due=date(2022, 9, 30), reason="再延", today=TODAY
        )
    with unit_of_work(ledger.engine) as conn:
        with pytest.raises(InvalidInput):
            wf.decide_extension(conn, ledger.users["office"], second, approve=False, reason="", today=TODAY)
        wf.decide_extension(
            conn, ledger.users["office"], second, approve=False, reason="理由不充分", today=TODAY
        )
    assert task_row(ledger.engine, t).due_on == date(2022, 6, 30)


def test_chase_is_office_only_and_lands_on_the_timeline(ledger):
    t = ledger.tasks["counties"]
    with unit_of_work(ledger.engine) as conn:
        with pytest.raises(PermissionDenied):
            wf.chase(conn, ledger.users["leader"], t, message="请加快", today=TODAY)
        wf.chase(conn, ledger.users["office"], t, message="请于5月10日前报送进展", today=TODAY)
    with ledger.engine.connect() as conn:
        entries = wf.timeline(conn, t)
    chased = [e for e in entries if e["kind"] == "action"]
    assert [(e["action"], e["who"], e["text"]) for e in chased] == [
        ("催办", "dcs", "催办：请于5月10日前报送进展")
    ]


def test_update_task_resolves_aliases_replaces_units_and_logs_before_after(ledger):
    t = ledger.tasks["health"]
    with unit_of_work(ledger.engine) as conn:
        with pytest.raises(UnknownUnit):
            wf.update_task(conn, ledger.users["office"], t, lead=["市不存在局"])
    with unit_of_work(ledger.engine) as conn:
        wf.update_task(
            conn,
            ledger.users["office"],
            t,
            lead=["市卫生健康委员会"],
            cooperating=[],
            due_on=date(2022, 9, 30),
            deadline_kind="date+ongoing",
            mark_reviewed=True,
        )
    row = task_row(ledger.engine, t)
    assert (row.due_on, row.deadline_kind, row.needs_review) == (date(2022, 9, 30), "date+ongoing", False)
    with ledger.engine.connect() as conn:
        units_now = conn.execute(
            sa.select(assignments.c.unit_id, assignments.c.role).where(assignments.c.task_id == t)
        ).all()
        log = conn.execute(
            sa.select(change_log).where(change_log.c.entity_id == t, change_log.c.entity == "task")
        ).all()
    assert units_now == [(ledger.units["市卫生健康委"], "lead")]
    assign = [e for e in log if e.action == "assign"][0]
    assert assign.before == {"lead": ["市卫生健康委"], "cooperating": ["市医保局"]}
    assert assign.after == {"lead": ["市卫生健康委员会"], "cooperating": []}
    review = [e for e in log if e.action == "review"][0]
    assert review.before["due_on"] == "2022-06-30" and review.after["due_on"] == "2022-09-30"


def test_update_to_ongoing_kind_moves_an_untouched_task_to_ongoing(sqlite_ledger):
    t = sqlite_ledger.tasks["health"]
    with unit_of_work(sqlite_ledger.engine) as conn:
        wf.update_task(conn, sqlite_ledger.users["office"], t, deadline_kind="ongoing")
    assert task_row(sqlite_ledger.engine, t).status == "长期坚持"


def test_unit_user_cannot_edit(sqlite_ledger):
    with unit_of_work(sqlite_ledger.engine) as conn:
        with pytest.raises(PermissionDenied):
            wf.update_task(conn, sqlite_ledger.users["health"], sqlite_ledger.tasks["health"], title="改")


def test_split_then_merge_round_trip(ledger, tmp_path):
    t = ledger.tasks["health"]
    _report(ledger, "health", "health", tmp_path)
    with unit_of_work(ledger.engine) as conn:
        ids = wf.split_task(
            conn, ledger.users["office"], t, ["推进分级诊疗", "建设医联体"], reason="分两项推进"
        )
    assert ids[0] == t and len(ids) == 2
    second = task_row(ledger.engine, ids[1])
    assert (second.title, second.status, second.due_on) == ("建设医联体", "未开始", date(2022, 6, 30))
    with ledger.engine.connect() as conn:
        assert wf.task_unit_ids(conn, ids[1]) == wf.task_unit_ids(conn, t)
    with unit_of_work(ledger.engine) as conn:
        _report_id = wf.request_extension(
            conn,
            ledger.users["health"],
            ids[1],
            requested_due=date(2022, 8, 1),
            reason="需要时间",
            today=TODAY,
        )
        kept = wf.merge_tasks(conn, ledger.users["office"], [t, ids[1]])
    assert kept == t
    assert task_row(ledger.engine, t).title == "推进分级诊疗；建设医联体"
    with ledger.engine.connect() as conn:
        assert conn.execute(sa.select(tasks.c.id).where(tasks.c.id == ids[1])).first() is None
        moved = conn.execute(sa.select(reports.c.task_id).where(reports.c.id == _report_id)).scalar()
    assert moved == t


def test_a_split_logs_its_reason_on_the_original_and_on_every_new_task(sqlite_ledger):
    t = sqlite_ledger.tasks["health"]
    with unit_of_work(sqlite_ledger.engine) as conn:
        ids = wf.split_task(
            conn, sqlite_ledger.users["office"], t, ["推进分级诊疗", "建设医联体"], reason="分两个阶段推进"
        )
    with sqlite_ledger.engine.connect() as conn:
        rows = [change_rows(history(conn, "task", i)) for i in ids]
    split = [[r["text"] for r in log if r["action"] == "拆分"] for log in rows]
    assert [len(texts) for texts in split] == [1, 1]
    assert all("理由：分两个阶段推进" in texts[0] for texts in split), split
    assert "拆分自任务" in split[1][0]


@pytest.mark.parametrize("reason", ["", "  "])
def test_a_split_without_a_reason_is_refused_and_writes_nothing(sqlite_ledger, reason):
    t = sqlite_ledger.tasks["health"]
    counts = "SELECT (SELECT count(*) FROM tasks), (SELECT count(*) FROM change_log)"
    with sqlite_ledger.engine.connect() as conn:
        before = (tuple(conn.execute(sa.text(counts)).one()), task_row(sqlite_ledger.engine, t).title)
    with unit_of_work(sqlite_ledger.engine) as conn, pytest.raises(InvalidInput, match="请填写拆分理由"):
        wf.split_task(conn, sqlite_ledger.users["office"], t, ["推进分级诊疗", "建设医联体"], reason=reason)
    with sqlite_ledger.engine.connect() as conn:
        after = (tuple(conn.execute(sa.text(counts)).one()), task_row(sqlite_ledger.engine, t).title)
    assert after == before


def test_merge_refuses_tasks_of_different_documents_or_missing(sqlite_ledger):
    with unit_of_work(sqlite_ledger.engine) as conn:
        with pytest.raises(NotFound):
            wf.merge_tasks(conn, sqlite_ledger.users["office"], [sqlite_ledger.tasks["health"], 99999])
        with pytest.raises(InvalidInput):
            wf.merge_tasks(conn, sqlite_ledger.users["office"], [sqlite_ledger.tasks["health"]])


def test_timeline_merges_reports_actions_and_changes_in_order(ledger, tmp_path):
    t = ledger.tasks["health"]
    _report(ledger, "health", "health", tmp_path, uploads=[wf.Upload("a.txt", "text/plain", b"evidence")])
    with unit_of_work(ledger.engine) as conn:
        wf.request_completion(conn, ledger.users["health"], t, note="完成", today=TODAY)
        wf.approve_completion(conn, ledger.users["office"], t, note="同意", today=TODAY)
    with ledger.engine.connect() as conn:
        entries = wf.timeline(conn, t)
        count, problems = verify_chain(conn)
    kinds = [(e["kind"], e.get("report_kind") or e.get("action")) for e in entries]
    assert kinds == [
        ("report", "progress"),
        ("change", "report"),
        ("report", "completion"),
        ("change", "request_completion"),
        ("action", "办结"),
        ("change", "approve"),
    ]
    assert entries[0]["attachments"][0]["filename"] == "a.txt"
    assert entries[0]["who"] == "wjw" and "主要做法：召开推进会" in entries[0]["text"]
    assert "【已同意：同意】" in entries[2]["text"]
    assert problems == [] and count > 0


def test_every_change_is_in_the_hash_chain(ledger, tmp_path):
    _report(ledger, "health", "health", tmp_path)
    with ledger.engine.connect() as conn:
        n_actions = conn.execute(sa.select(sa.func.count()).select_from(actions)).scalar()
        log = conn.execute(
            sa.select(change_log.c.action, change_log.c.entity, change_log.c.actor).where(
                change_log.c.action.in_(["report", "submit"])
            )
        ).all()
    assert n_actions == 0
    # the report, the unit's part it moved, and the task settled from its parts
    assert sorted(log) == [("report", "part", "wjw"), ("report", "task", "wjw"), ("submit", "report", "wjw")]


def test_two_office_users_approving_at_once_approve_once(ledger):
    t = ledger.tasks["health"]
    with unit_of_work(ledger.engine) as conn:
        wf.request_completion(conn, ledger.users["health"], t, note="完成", today=TODAY)
    outcome: list = []

    def second_approval() -> None:
        try:
            with unit_of_work(ledger.engine) as conn:
                wf.approve_completion(conn, ledger.users["office"], t, note="second", today=TODAY)
            outcome.append("approved")
        except InvalidTransition as exc:
            outcome.append(exc)

    with unit_of_work(ledger.engine) as conn:
        wf.approve_completion(conn, ledger.users["office"], t, note="first", today=TODAY)
        racer = threading.Thread(target=second_approval)
        racer.start()
        racer.join(timeout=1.0)
        assert racer.is_alive()  # it waits for this transaction instead of reading the old status
    racer.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], InvalidTransition)
    with ledger.engine.connect() as conn:
        approvals = conn.execute(
            sa.select(sa.func.count()).select_from(actions).where(actions.c.kind == "办结")
        )
        assert approvals.scalar() == 1


def test_change_entries_read_in_chinese(sqlite_ledger):
    t = sqlite_ledger.tasks["health"]
    with unit_of_work(sqlite_ledger.engine) as conn:
        wf.update_task(
            conn, sqlite_ledger.users["office"], t, due_on=date(2022, 9, 30), responsible=["中宁县"]
        )
        texts = [e["text"] for e in wf.timeline(conn, t) if e["kind"] == "change"]
    assert texts == ["dcs 把 责任单位 从 无 改为 中宁县", "dcs 把 截止日期 从 2022-06-30 改为 2022-09-30"]
