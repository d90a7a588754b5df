"""Expert consultation on a catalogue decision: rules refused with their article, clocks, the report."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
import sqlalchemy as sa
from docx import Document
from openpyxl import Workbook

from taizhang.errors import InvalidInput, InvalidTransition, PermissionDenied, RuleViolation
from taizhang.export.consultation_docx import write_consultation_report
from taizhang.services import accounts, consultation_views, decisions, experts
from taizhang.services import consultations as service
from taizhang.services.database import unit_of_work
from taizhang.storage import tables as t

from .gazette_ledger import TODAY, copy_of, imported_engine

PANEL_5 = [1, 2, 3, 4, 5]


@pytest.fixture
def ledger(db_url):
    engine = imported_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_ledger(gazette_template, tmp_path):
    engine = copy_of(gazette_template, tmp_path / "ledger.db")
    yield engine
    engine.dispose()


def _choices(ids, sides=None):
    return [service.PanelChoice(i, (sides or {}).get(i)) for i in ids]


def _request(conn, requested_on=TODAY, meeting_on=date(2022, 5, 20)) -> int:
    return service.request_consultation(
        conn,
        "office",
        1,
        topic="中小学教师县管校聘方案",
        form="专家小组论证",
        requested_on=requested_on,
        meeting_on=meeting_on,
    )


def _opinions(conn, consultation_id, ids, late=()):
    for i in ids:
        service.record_opinion(
            conn,
            "office",
            consultation_id,
            i,
            opinion=f"专家{i}的意见",
            signed=True,
            pledge_signed=True,
            submitted_on=date(2022, 5, 23) if i in late else date(2022, 5, 20),
        )


def test_a_panel_of_four_is_refused_five_accepted_and_seven_required_once_contested(ledger):
    with unit_of_work(ledger) as conn:
        consultation = _request(conn)
    with unit_of_work(ledger) as conn, pytest.raises(RuleViolation) as refused:
        service.set_panel(conn, "office", consultation, _choices([1, 2, 3, 4]))
    assert "专家组为4人，少于5人：不符合卫政办发〔2022〕35号第十三条“专家一般不少于5人”" in str(refused.value)
    assert [f.rule for f in refused.value.findings] == ["panel_min", "panel_odd"]
    with unit_of_work(ledger) as conn:
        assert service.set_panel(conn, "office", consultation, _choices(PANEL_5)) == []
        decisions.set_flags(conn, "office", 1, ["contested"])
    with unit_of_work(ledger) as conn, pytest.raises(RuleViolation) as contested:
        service.set_panel(conn, "office", consultation, _choices(PANEL_5, {1: "支持", 2: "反对"}))
    assert "少于7人" in str(contested.value) and "第十三条" in str(contested.value)
    with unit_of_work(ledger) as conn:
        service.set_panel(conn, "office", consultation, _choices(range(1, 8), {1: "支持", 2: "反对"}))
    with ledger.connect() as conn:
        item = consultation_views.get_consultation(conn, consultation, None, TODAY)
    assert (item["status"], len(item["members"]), item["panel_findings"]) == ("专家已确定", 7, [])


def test_a_late_opinion_turns_the_clock_red_and_the_report_lists_adoption_and_reasons(ledger):
    with unit_of_work(ledger) as conn:
        consultation = _request(conn)
        service.set_panel(conn, "office", consultation, _choices(PANEL_5))
        _opinions(conn, consultation, PANEL_5, late={5})
    with ledger.connect() as conn:
        clocks = {
            c["label"]: c
            for c in consultation_views.get_consultation(conn, consultation, None, date(2022, 5, 24))[
                "clocks"
            ]
        }
    assert (clocks["意见期限"]["colour"], clocks["意见期限"]["reason"]) == ("red", "1份意见逾期提交")
    assert clocks["申请期限"]["colour"] == "green"
    with unit_of_work(ledger) as conn:
        for i in PANEL_5:
            adopted = i % 2 == 1
            service.record_adoption(
                conn,
                "office",
                consultation,
                i,
                adoption="采纳" if adopted else "未采纳",
                reason="" if adopted else f"理由{i}：与上位法规定不一致",
            )
            service.record_feedback(
                conn, "office", consultation, i, feedback_on=date(2022, 5, 25), note="电话告知"
            )
        service.report_consultation(
            conn, "office", consultation, summary="方案总体可行", reported_on=date(2022, 5, 26)
        )
        report = consultation_views.report_draft(conn, consultation, date(2022, 5, 26))
    buffer = BytesIO()
    write_consultation_report(report, buffer)
    text = [p.text for p in Document(BytesIO(buffer.getvalue())).paragraphs]
    opinions = [line for line in text if line.startswith("（") and "：专家" in line]
    assert len(opinions) == 5
    assert "采纳情况：未采纳。理由：理由2：与上位法规定不一致。" in opinions[1]
    assert "采纳情况：采纳。" in opinions[0] and "理由" not in opinions[0]
    assert any("专家5的意见于2022年5月23日提交，晚于意见期限2022年5月20日" in line for line in text)
    assert "关于全面实施中小学教师“县管校聘”的专家咨询论证报告" in text and "市教育局" in text


def test_the_report_goes_up_to_the_leader_who_covers_the_department(sqlite_ledger):
    with unit_of_work(sqlite_ledger) as conn:
        consultation = _request(conn)
        service.set_panel(conn, "office", consultation, _choices(PANEL_5))
        _opinions(conn, consultation, PANEL_5)
        with pytest.raises(RuleViolation, match="第十八条"):
            service.report_consultation(conn, "office", consultation, summary="", reported_on=TODAY)
        for i in PANEL_5:
            service.record_adoption(conn, "office", consultation, i, adoption="采纳")
            service.record_feedback(conn, "office", consultation, i, feedback_on=date(2022, 5, 25))
        service.report_consultation(
            conn, "office", consultation, summary="同意", reported_on=date(2022, 5, 26)
        )
        item = consultation_views.get_consultation(conn, consultation, None, date(2022, 5, 26))
        step = next(s for s in decisions.get_decision(conn, 1)["steps"] if s["procedure"] == "专家论证")
    assert [(r["kind"], r["person"], r["via"]) for r in item["requests"]] == [("审批", "陆升", "本人")]
    assert (step["state"], step["done_on"]) == ("已完成", date(2022, 5, 26))
    with unit_of_work(sqlite_ledger) as conn:
        service.archive_consultation(
            conn, "office", consultation, archived_on=date(2022, 6, 1), archive_number="2022-J-1"
        )
        service.publish_consultation(conn, "office", consultation, True)
    with sqlite_ledger.connect() as conn:
        assert consultation_views.public_consultation(conn, consultation, TODAY)["status"] == "已归档"
        logged = conn.execute(
            sa.select(t.change_log.c.action).where(t.change_log.c.entity == "consultation")
        ).scalars()
        assert {"create", "panel", "collect", "report", "archive", "publish"} <= set(logged)


def test_a_late_application_is_refused_with_article_15(sqlite_ledger):
    with unit_of_work(sqlite_ledger) as conn, pytest.raises(RuleViolation) as late:
        _request(conn, requested_on=date(2022, 5, 18), meeting_on=date(2022, 5, 20))
    assert "卫政办发〔2022〕35号第十五条" in str(late.value) and "仅2个工作日" in str(late.value)


def test_the_departments_own_expert_must_stand_aside(sqlite_ledger):
    with unit_of_work(sqlite_ledger) as conn:
        consultation = _request(conn)
        own = next(e["id"] for e in experts.list_experts(conn) if e["affiliation"] == "市教育局")
        with pytest.raises(RuleViolation, match="局内专家（市教育局）应当回避.*第十二条"):
            service.set_panel(conn, "office", consultation, _choices([1, 2, 3, 4, own]))


def test_opinions_need_signature_and_pledge_and_not_adopting_needs_a_reason(sqlite_ledger):
    with unit_of_work(sqlite_ledger) as conn:
        consultation = _request(conn)
        with pytest.raises(InvalidTransition):
            service.record_opinion(
                conn,
                "office",
                consultation,
                1,
                opinion="意见",
                signed=True,
                pledge_signed=True,
                submitted_on=TODAY,
            )
        service.set_panel(conn, "office", consultation, _choices(PANEL_5))
        with pytest.raises(RuleViolation, match="诚信承诺书.*第二十条"):
            service.record_opinion(
                conn,
                "office",
                consultation,
                1,
                opinion="意见",
                signed=True,
                pledge_signed=False,
                submitted_on=TODAY,
            )
        _opinions(conn, consultation, [1])
        with pytest.raises(RuleViolation, match="未采纳但未说明理由.*第十八条"):
            service.record_adoption(conn, "office", consultation, 1, adoption="未采纳")
        with pytest.raises(InvalidTransition, match="请先记录"):
            service.record_feedback(conn, "office", consultation, 1, feedback_on=TODAY)
        with pytest.raises(InvalidTransition, match="尚未提交意见"):
            service.record_adoption(conn, "office", consultation, 2, adoption="采纳")


def test_a_drawn_panel_comes_from_the_pool_and_leaves_out_the_department(sqlite_ledger):
    with unit_of_work(sqlite_ledger) as conn:
        consultation = _request(conn)
        drawn, warnings = consultation_views.propose_panel(conn, consultation, seed=7)
    assert len(drawn) == 5 and warnings == []
    assert {e["pool"] for e in drawn} == {"库内"} and "市教育局" not in {e["affiliation"] for e in drawn}


def test_a_unit_sees_the_decisions_it_handles_only(sqlite_ledger):
    with unit_of_work(sqlite_ledger) as conn:
        accounts.add_user(conn, "jyj", "password-1234", "unit", "市教育局")
        accounts.add_user(conn, "zrzyj", "password-1234", "unit", "市自然资源局")
        education = accounts.get_user_by_name(conn, "jyj")
        land = accounts.get_user_by_name(conn, "zrzyj")
        assert [d["label"] for d in decisions.list_decisions(conn, education)] == ["1", "2"]
        assert [d["label"] for d in decisions.list_decisions(conn, land)] == ["6", "7", "9"]
        with pytest.raises(PermissionDenied):
            decisions.get_decision(conn, 1, land)


def _workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_pool_imports_from_a_workbook_in_any_column_order(sqlite_ledger):
    data = _workbook(
        [
            ["专家名单"],
            ["序号", "工作单位", "姓名", "职称", "所属库", "回避单位", "专业领域"],
            [1, "宁夏大学", "马文", "教授", "库内", "市教育局、市财政局", "教育学"],
            [2, "北方民族大学", "", "副教授", "库内", "", "法学"],
            [3, "某律师事务所", "周律", "律师", "特聘", "", "行政法"],
            [4, "大学1", "专家1", "教授", "库内", "", "教育管理（更新）"],
        ]
    )
    with unit_of_work(sqlite_ledger) as conn:
        report = experts.import_experts(conn, "office", data, label="experts.xlsx")
        pool = {e["name"]: e for e in experts.list_experts(conn)}
    assert (report.created, report.updated, report.skipped) == (2, 1, ["第4行：专家姓名不能为空"])
    assert pool["马文"]["conflicts"] == ["市教育局", "市财政局"] and pool["周律"]["pool"] == "库外"
    assert pool["专家1"]["field"] == "教育管理（更新）"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a workbook", "experts.xlsx：不是有效的 Excel 工作簿"),
        (_workbook([["单位", "职称"], ["宁夏大学", "教授"]]), "experts.xlsx：前5行中没有“姓名”列"),
    ],
)
def test_a_bad_workbook_is_refused_in_chinese_and_stores_nothing(sqlite_ledger, data, message):
    with unit_of_work(sqlite_ledger) as conn:
        before = len(experts.list_experts(conn))
        with pytest.raises(InvalidInput, match=message):
            experts.import_experts(conn, "office", data, label="experts.xlsx")
        assert len(experts.list_experts(conn)) == before
