"""Task extraction on small real and hand-written texts, one assignment style per test."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from taizhang.extract import extract
from taizhang.extract.assignments import find_assignments, parse_labelled, parse_verbal
from taizhang.extract.grammar import unitless_duty
from taizhang.extract.model import Document
from taizhang.extract.spans import SourceText, Span
from taizhang.extract.tasks import extract_tasks, first_sentence
from taizhang.extract.units import default_directory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tasks"
CITY = "中卫市人民政府办公室"


def run(text: str, *, issuer: str | None = CITY, signed: date = date(2022, 4, 1)) -> list[dict]:
    """Tasks of ``text`` as one document, as plain dicts of the fields tests compare."""
    source = SourceText.from_string("test", text)
    doc = Document(
        doc_number="卫政办发〔2022〕1号", title="t", issuer=issuer, date=signed, span=Span(1, len(source))
    )
    return [
        {
            "label": t.label,
            "title": t.title,
            "lead": list(t.lead),
            "responsible": list(t.responsible),
            "cooperating": list(t.cooperating),
            "deadline_text": t.deadline_text,
            "kind": t.deadline.kind,
            "due": t.deadline.due.isoformat() if t.deadline.due else None,
            "line": t.line,
            "span": (t.span.start, t.span.end),
            "source": t.source,
            "flags": sorted(f.kind for f in t.flags),
        }
        for t in extract_tasks(source, doc, default_directory("中卫市"))
    ]


def test_state_council_sample_matches_its_hand_checked_json():
    expected = json.loads((FIXTURES / "state-council-sample.json").read_text(encoding="utf-8"))
    text = (FIXTURES / "state-council-sample.txt").read_text(encoding="utf-8")
    source = SourceText.from_string("state-council-sample.txt", text)
    got = []
    for d in expected["documents"]:
        doc = Document(
            doc_number=d["doc_number"],
            title=d["title"],
            issuer=d["issuer"],
            date=date.fromisoformat(d["date"]),
            span=Span(d["line_start"], d["line_end"]),
        )
        for t in extract_tasks(source, doc, default_directory("中卫市")):
            got.append(
                {
                    "doc_number": t.doc_number,
                    "source": t.source,
                    "label": t.label,
                    "title": t.title,
                    "lead": list(t.lead),
                    "responsible": list(t.responsible),
                    "cooperating": list(t.cooperating),
                    "deadline_text": t.deadline_text,
                    "deadline": {"kind": t.deadline.kind, "due": None},
                    "line": t.line,
                }
            )
    assert got == expected["tasks"]


def test_separate_label_lines_make_one_task_on_the_first_label_line():
    text = """二、主要任务

(一)加快典型案例整改。对宁钢公司项目制定整改方案。

牵头单位:中卫工业园区管委会

责任单位:市工业和信息化局、生态环境局

完成时限:2022年12月底前

(二)严把项目准入。原则上不再新建、扩建“两高”项目。

责任单位:各县(区)人民政府,中卫工业园区管委会

完成时限:立行立改,长期坚持
"""
    assert run(text) == [
        {
            "label": "(一)",
            "title": "加快典型案例整改",
            "lead": ["中卫工业园区管委会"],
            "responsible": ["市工业和信息化局", "市生态环境局"],
            "cooperating": [],
            "deadline_text": "2022年12月底前",
            "kind": "date",
            "due": "2022-12-31",
            "line": 5,
            "span": (3, 9),
            "source": "text",
            "flags": [],
        },
        {
            "label": "(二)",
            "title": "严把项目准入",
            "lead": [],
            "responsible": ["各县(区)人民政府", "中卫工业园区管委会"],
            "cooperating": [],
            "deadline_text": "立行立改,长期坚持",
            "kind": "ongoing",
            "due": None,
            "line": 13,
            "span": (11, 15),
            "source": "text",
            "flags": [],
        },
    ]


def test_bracket_across_a_page_break_closed_by_ascii_bracket():
    # 卫政办发〔2022〕36号 lines 1535-1537: '卫生健' / '康委员会' is one word split by the page.
    text = """(三)加强从业人员监管。严惩欺老虐老行为。〔责任单位:市教育局、公安局、卫生健

康委员会,市场监管部门、消防救援支队,各县(区)人民政府]
"""
    [task] = run(text)
    assert (task["line"], task["span"]) == (1, (1, 3))
    assert task["responsible"] == [
        "市教育局",
        "市公安局",
        "市卫生健康委员会",
        "市市场监管部门",
        "市消防救援支队",
        "各县(区)人民政府",
    ]


def test_bracket_with_deadline_inside_and_on_its_own_line():
    # 卫政办发〔2022〕28号 lines 1098-1100: the bracket stands alone after a blank line.
    text = """17. 加强党对公立医院的全面领导。全面执行院长负责制。

〔责任单位:市委组织部,配合单位:市卫生健康委,各县(区),2022年12月底前完成并长期坚持〕
"""
    [task] = run(text)
    assert task | {"flags": None} == {
        "label": "17.",
        "title": "加强党对公立医院的全面领导",
        "lead": [],
        "responsible": ["市委组织部"],
        "cooperating": ["市卫生健康委", "各县(区)"],
        "deadline_text": "2022年12月底前完成并长期坚持",
        "kind": "date+ongoing",
        "due": "2022-12-31",
        "line": 3,
        "span": (1, 3),
        "source": "text",
        "flags": None,
    }


def test_dropped_prefixes_restored_after_the_first_name():
    # 卫政办发〔2022〕29号 line 1221: '市委组织部、编办' and '市财政局、人力资源社会保障局、医保局'.
    assignment = parse_labelled(
        "责任单位:市卫生健康委,配合单位:市委组织部、编办,市财政局、人力资源社会保障局、医保局,各县(区),分阶段完成"
    )
    assert assignment.cooperating == (
        "市委组织部",
        "市委编办",
        "市财政局",
        "市人力资源社会保障局",
        "市医保局",
        "各县(区)",
    )
    assert assignment.deadline_text == "分阶段完成"


def test_bare_market_regulator_gets_city_prefix_only_in_a_city_document():
    city = parse_labelled("责任单位:市卫生健康委,各县(区),配合单位:市场监督管理局,长期坚持")
    national = parse_verbal("市场监管总局负责")
    assert city.cooperating == ("市市场监督管理局",)
    assert national.responsible == ("市场监管总局",)


@pytest.mark.parametrize(
    ("body", "lead", "responsible", "cooperating"),
    [
        ("体育总局、民政部负责", (), ("体育总局", "民政部"), ()),
        ("发展改革委牵头，财政部配合", ("发展改革委",), (), ("财政部",)),
        ("发展改革委牵头，财政部、商务部参与", ("发展改革委",), (), ("财政部", "商务部")),
        ("教育部指导", (), ("教育部",), ()),
        (
            "商务部、发展改革委等和各有关省级人民政府负责",
            (),
            ("商务部", "发展改革委", "各有关省级人民政府"),
            (),
        ),
    ],
)
def test_national_verb_forms(body, lead, responsible, cooperating):
    assignment = parse_verbal(body)
    assert (assignment.lead, assignment.responsible, assignment.cooperating) == (
        lead,
        responsible,
        cooperating,
    )


def test_responsible_label_with_lead_verb_and_etc():
    [found] = find_assignments("加强协调。（责任单位：发展改革委牵头，财政部等部门分工负责）")
    assert (found.assignment.lead, found.assignment.responsible, found.assignment.etc) == (
        ("发展改革委",),
        ("财政部",),
        ("财政部",),
    )


def test_first_listed_leads_after_the_convention_is_stated():
    text = """（一）完善政策。加快制定配套办法。（发展改革委、财政部负责，列第一位者为牵头单位，下同）

（二）加强监管。完善监管制度。（市场监管总局、商务部、公安部负责）
"""
    tasks = run(text, issuer="国务院办公厅")
    assert [(t["lead"], t["responsible"]) for t in tasks] == [
        (["发展改革委"], ["财政部"]),
        (["市场监管总局"], ["商务部", "公安部"]),
    ]


def test_without_the_convention_all_listed_units_are_responsible():
    [task] = run("（二）加强监管。完善监管制度。（市场监管总局、商务部负责）\n", issuer="国务院办公厅")
    assert (task["lead"], task["responsible"]) == ([], ["市场监管总局", "商务部"])


def test_full_width_labelled_bracket():
    [task] = run(
        "（一）完善制度。建立台账。〔牵头单位：市司法局；责任单位：市直有关部门（单位），各县（区）〕\n"
    )
    assert (task["lead"], task["responsible"]) == (["市司法局"], ["市直有关部门（单位）", "各县（区）"])
    assert task["flags"] == []


def test_items_without_assignment_are_not_tasks_unless_their_siblings_have_one():
    text = """一、总体要求

(一)指导思想。以习近平新时代中国特色社会主义思想为指导。

(二)总体目标。到2022年底全部整改到位。

二、主要任务

(一)甲任务。内容。〔牵头单位:市司法局〕

(二)丙任务。内容没有写明单位。

(三)乙任务。内容。〔牵头单位:市财政局〕
"""
    tasks = run(text)
    assert [(t["label"], t["title"], t["flags"], t["line"]) for t in tasks] == [
        ("(一)", "甲任务", [], 9),
        ("(二)", "丙任务", ["no_assignment"], 11),
        ("(三)", "乙任务", [], 13),
    ]


def test_unknown_units_and_odd_parts_are_kept_and_flagged():
    [task] = run("(一)甲任务。内容。〔牵头单位:市未来局、某某某〕\n")
    assert task["lead"] == ["市未来局", "某某某"]
    assert task["flags"] == ["unknown_unit", "unsplit_units"]


def test_work_item_table_rows_become_tasks():
    text = "序号\t重大决策事项名称\t承办部门\t完成时间\n1\t大麦地岩画保护规划\t市旅游和文化体育广电局\t2022年12月底前\n"
    [task] = run(text)
    assert (task["source"], task["label"], task["title"], task["responsible"], task["due"]) == (
        "table",
        "1",
        "大麦地岩画保护规划",
        ["市旅游和文化体育广电局"],
        "2022-12-31",
    )


def test_reporting_forms_and_tables_without_deadline_make_no_tasks():
    form = "序号\t主要任务\t工作任务推进落实及进展情况\t完成时限\t责任分工\n1\t建立机制\t\t2022年4月\t市卫生健康委\n"
    matrix = "类别\t主要任务\t责任单位\t配合部门\n1\t加强监管\t市民政局\t各县(区)人民政府\n"
    assert run(form) == []
    assert run(matrix) == []


def test_first_sentence_keeps_commas():
    assert first_sentence("深入贯彻落实习近平法治思想,提高依法行政意识和能力建设。推动…") == (
        "深入贯彻落实习近平法治思想,提高依法行政意识和能力建设"
    )


def test_parentheses_that_are_not_assignments_are_ignored():
    assert find_assignments("建设自由贸易试验区（以下简称自贸试验区）是重大举措（含食用油，下同）。") == []


def test_inline_labels_after_a_sentence_without_brackets():
    [task] = run("(一)甲任务。内容。牵头单位:市司法局;责任单位:各县(区);完成时限:2022年6月底前\n")
    assert (task["lead"], task["responsible"], task["deadline_text"], task["due"]) == (
        ["市司法局"],
        ["各县(区)"],
        "2022年6月底前",
        "2022-06-30",
    )


def test_a_label_word_inside_a_sentence_is_not_an_assignment():
    assert run("(一)甲任务。明确责任单位、责任人,每月通报。\n") == []


def test_district_documents_restore_the_district_prefix():
    assignment = parse_labelled("责任单位:区财政局、教育局")
    assert assignment.responsible == ("区财政局", "区教育局")


def test_table_with_lead_and_cooperating_columns_and_a_merged_name_cell():
    text = (
        "序号\t重点任务\t牵头单位\t配合单位\t完成时限\n"
        "1\t建设信息平台\t市云计算和大数据局\t市财政局、卫生健康委\t2022年6月底前\n"
        "- 3 -\n"
        "2\t\t市卫生健康委\t\t2022年9月\n"
    )
    tasks = run(text)
    assert [(t["label"], t["title"], t["lead"], t["cooperating"], t["due"], t["line"]) for t in tasks] == [
        ("1", "建设信息平台", ["市云计算和大数据局"], ["市财政局", "市卫生健康委"], "2022-06-30", 2),
        ("2", "建设信息平台", ["市卫生健康委"], [], "2022-09-30", 4),
    ]


def test_leaders_listed_in_the_bracket_are_skipped():
    [found] = find_assignments("内容。〔责任领导:张三;牵头单位:市发展改革委;配合单位:市财政局〕")
    assert (found.assignment.lead, found.assignment.cooperating) == (("市发展改革委",), ("市财政局",))


def test_preposition_you_is_not_part_of_the_unit():
    [found] = find_assignments("做好衔接(由市政府办公室负责)。")
    assert found.assignment.responsible == ("市政府办公室",)


@pytest.mark.parametrize(
    ("text", "level", "lead", "responsible"),
    [
        # 宜府办字〔2024〕28号: a bracketed county list inside a verbal assignment.
        (
            "公开。(市政府有关部门和各县〔市、区〕人民政府、“三区”管委会按职责分工负责)",
            "市",
            (),
            ("市政府有关部门", "各县〔市、区〕人民政府", "“三区”管委会"),
        ),
        # 2022 放管服 work points of a prefecture city: 牵头 then 及 joining two groups.
        (
            "清单。(市政府办公室、市行政审批制度改革工作领导小组办公室牵头,市级各有关部门及各县市区政府按职责分工负责)",
            "市",
            ("市政府办公室", "市行政审批制度改革工作领导小组办公室"),
            ("市级各有关部门", "各县市区政府"),
        ),
        # 鄂政发〔2018〕26号: a province, full-width labels, the 省 prefix dropped after the first name.
        (
            "（牵头单位：省发展改革委；责任单位：省编办、国土资源厅、省环保厅）",
            "省",
            ("省发展改革委",),
            ("省编办", "省国土资源厅", "省环保厅"),
        ),
    ],
)
def test_other_governments_styles(text, level, lead, responsible):
    [found] = find_assignments(text, level=level)
    assert (found.assignment.lead, found.assignment.responsible) == (lead, responsible)


def test_a_closing_item_after_the_last_assigned_sibling_is_not_flagged():
    text = "(一)甲任务。内容。〔牵头单位:市司法局〕\n\n(二)乙任务。内容。〔牵头单位:市财政局〕\n\n(三)加强组织领导。各部门要高度重视。\n"
    assert [t["label"] for t in run(text)] == ["(一)", "(二)"]


def test_assignment_alone_after_sub_items_belongs_to_their_parent():
    text = """1.完善监测体系。建立三项制度:

(1)建立报告制度。

(2)建立通报制度。

〔牵头单位:市卫生健康委;完成时限:2022年底前〕

2.加强培训。每年培训一次。〔牵头单位:市人力资源社会保障局〕
"""
    tasks = run(text)
    assert [(t["label"], t["title"], t["lead"], t["line"], t["span"]) for t in tasks] == [
        ("1.", "完善监测体系", ["市卫生健康委"], 7, (1, 7)),
        ("2.", "加强培训", ["市人力资源社会保障局"], 9, (9, 9)),
    ]


def test_sub_items_with_their_own_assignments_stay_tasks():
    text = "1.完善监测体系。\n\n(1)建立报告制度。〔牵头单位:市卫生健康委〕\n\n(2)建立通报制度。〔牵头单位:市医保局〕\n"
    assert [(t["label"], t["lead"]) for t in run(text)] == [("(1)", ["市卫生健康委"]), ("(2)", ["市医保局"])]


def test_convention_stated_in_the_cover_text_applies_to_the_items():
    text = """各项任务均由列第一位的部门牵头。

（一）完善政策。加快制定配套办法。（教育部、财政部负责）
"""
    [task] = run(text, issuer="国务院办公厅")
    assert (task["lead"], task["responsible"]) == (["教育部"], ["财政部"])


def test_deadline_words_without_digits_are_peeled_off_the_units():
    assignment = parse_labelled("责任单位:市应急局,各县(区),立即启动并长期坚持")
    assert (assignment.responsible, assignment.deadline_text) == (
        ("市应急局", "各县(区)"),
        "立即启动并长期坚持",
    )


def test_table_without_row_numbers_uses_the_name_cell_and_no_label():
    text = "工作任务\t责任单位\t完成时限\n建设信息平台\t市云计算和大数据局\t2022年6月底前\n合计\t3项\t\n"
    tasks = run(text)
    assert [(t["label"], t["title"], t["responsible"], t["due"]) for t in tasks] == [
        (None, "建设信息平台", ["市云计算和大数据局"], "2022-06-30"),
    ]


def test_deadline_inside_a_national_parenthesis():
    [found] = find_assignments("制定办法。（教育部负责，2019年底前完成）")
    assert (found.assignment.responsible, found.assignment.deadline_text) == (("教育部",), "2019年底前完成")


def test_first_listed_leads_in_a_task_table_when_the_document_says_so():
    text = (
        "重点任务分工（列第一位者为牵头单位）\n"
        "序号\t工作任务\t负责单位\t时间进度\n"
        "1\t完善价格机制\t发展改革委、财政部\t2019年底前\n"
    )
    [task] = run(text, issuer="国务院办公厅")
    assert (task["lead"], task["responsible"], task["due"]) == (["发展改革委"], ["财政部"], "2019-12-31")


def test_separate_lines_are_stated_on_the_first_unit_line():
    text = "(一)甲任务。内容。\n\n完成时限:2022年底前\n\n责任单位:市财政局\n"
    [task] = run(text)
    assert (task["line"], task["responsible"], task["due"]) == (5, ["市财政局"], "2022-12-31")


@pytest.mark.parametrize(
    "text", ["按职责分工负责", "按职能分工落实", "各自按职责分工负责", "按照职责分工负责。", "按职责分别负责"]
)
def test_duty_words_with_no_unit_are_told(text):
    assert unitless_duty(text)


@pytest.mark.parametrize(
    "text", ["认真落实", "市财政局按职责分工负责", "各有关部门按职责分工负责", "2023年底前"]
)
def test_duty_words_with_a_unit_or_none_are_not_unitless(text):
    assert not unitless_duty(text)


def test_a_bracket_naming_no_unit_is_never_dropped():
    text = (
        "某县工作方案\n一、改善人居环境\n1.改造户厕。完成1000户。（按职责分工负责）\n"
        "2.建设公厕。新建20座。（按职能分工落实，2024年6月底前）\n"
    )
    tasks = extract(SourceText.from_string("plan.txt", text)).tasks
    assert [(t.label, t.deadline_text) for t in tasks] == [("1.", None), ("2.", "2024年6月底前")]
    assert all(not (t.lead or t.responsible or t.cooperating) for t in tasks)
    assert all([f.kind for f in t.flags] == ["units_to_fill"] for t in tasks)
