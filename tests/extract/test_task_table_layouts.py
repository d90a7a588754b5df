"""Task tables in other governments' layouts, read the same from Word, PDF and two text exports.

tests/fixtures/tables/ holds three documents (regenerate with ``python scripts/table_fixtures.py``):
a State Council office 重点任务分工表 that breaks over a page, a province's 整改清单 with a merged
问题 cell under '列第一位者为牵头单位', and a city 台账 with a title row and 责任单位 merged over
牵头单位 | 配合单位; each with a note adding a unit to every row. Each comes as .docx, .pdf (from
LibreOffice), .aligned.txt (columns aligned with spaces) and .tabs.txt (cells split by tabs),
the text exports printing wrapped rows over several lines.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from taizhang.extract import extract
from taizhang.extract.model import Document
from taizhang.extract.spans import SourceText, Span
from taizhang.extract.table_notes import note_units
from taizhang.extract.tasks import extract_tasks
from taizhang.extract.to_json import to_dict
from taizhang.extract.units import default_directory
from taizhang.sources import read_source

TABLES = Path(__file__).resolve().parents[1] / "fixtures" / "tables"
FORMATS = ("docx", "pdf", "tabs.txt", "aligned.txt")

NATIONAL = [
    (
        "1",
        "推进高频政务服务事项“跨省通办”，实现企业和群众异地办事“一地办成”，逐步扩大通办事项范围",
        ("国务院办公厅",),
        ("各地区",),
        ("国家发展改革委", "公安部", "人力资源社会保障部", "国家卫生健康委"),
        "2023年12月底前",
        "date",
        "2023-12-31",
    ),
    (
        "2",
        "健全政务服务事项基本目录动态管理机制，统一规范事项名称、编码、依据和办理要素",
        ("国务院办公厅",),
        ("各地区",),
        ("国务院有关部门",),
        "2023年9月底前",
        "date",
        "2023-09-30",
    ),
    (
        "3",
        "推动电子证照在就业、社保、医疗、教育等领域互通互认，扩大电子证照应用范围",
        ("公安部",),
        ("各地区",),
        ("国务院办公厅", "人力资源社会保障部", "教育部", "国家医保局"),
        "2024年6月底前",
        "date",
        "2024-06-30",
    ),
    (
        "4",
        "完善政务服务“好差评”制度，建立差评问题整改反馈和督办机制，做到差评件件有整改、有回访",
        ("国务院办公厅",),
        ("各地区",),
        ("各省级人民政府",),
        "长期坚持",
        "ongoing",
        None,
    ),
    (
        "5",
        "开展政务服务效能监测评估，定期通报评估结果，推动问题整改",
        ("国务院办公厅",),
        ("各地区",),
        ("国家发展改革委", "国家统计局"),
        "每季度",
        "recurring",
        None,
    ),
    (
        "6",
        "推进惠企政策“免申即享”，通过数据共享主动甄别符合条件的企业，实现政策资金直达快享",
        ("国家发展改革委", "财政部"),
        ("各地区",),
        ("市场监管总局", "税务总局"),
        "2023年底前",
        "date",
        "2023-12-31",
    ),
    (
        "7",
        "优化涉企经营许可办理流程，压减审批环节、申请材料和办理时间，推行告知承诺制",
        ("市场监管总局",),
        ("各地区",),
        ("国务院有关部门",),
        "2023年10月底前",
        "date",
        "2023-10-31",
    ),
    (
        "8",
        "加强政务服务窗口人员业务培训和作风建设，建立健全窗口服务规范和考核评价制度",
        ("人力资源社会保障部",),
        ("各地区",),
        ("国务院办公厅",),
        "2023年12月底前",
        "date",
        "2023-12-31",
    ),
    (
        "9",
        "推动政务服务向基层延伸，提升乡镇（街道）便民服务中心和村（社区）便民服务站标准化水平",
        ("民政部",),
        ("各地区",),
        ("农业农村部", "国务院办公厅"),
        "2024年底前",
        "date",
        "2024-12-31",
    ),
    (
        "10",
        "建立健全政务数据共享责任清单，完善数据共享异议处理和数据质量反馈机制",
        ("国家数据局",),
        ("各地区",),
        ("国务院办公厅", "国家发展改革委"),
        "2023年12月底前",
        "date",
        "2023-12-31",
    ),
]
PROVINCIAL = [
    (
        "1",
        "完成园区污水管网排查，新建和改造管网，实现雨污分流",
        ("省生态环境厅",),
        ("省工业和信息化厅", "各设区市人民政府"),
        (),
        "2023年12月底前",
        "date",
        "2023-12-31",
    ),
    (
        "2",
        "开展岸线利用项目清理整治“回头看”，对已取缔码头完成复绿",
        ("省交通运输厅",),
        ("省水利厅", "省自然资源厅", "各设区市人民政府"),
        (),
        "立行立改，长期坚持",
        "ongoing",
        None,
    ),
    (
        "3",
        "制定历史遗留矿山生态修复年度计划，逐矿落实修复责任",
        ("省自然资源厅",),
        ("省财政厅", "各设区市人民政府"),
        (),
        "2024年6月底前",
        "date",
        "2024-06-30",
    ),
    (
        "4",
        "建立矿山生态修复验收销号制度，修复一个、验收一个、销号一个",
        ("省自然资源厅",),
        ("各设区市人民政府",),
        (),
        "2023年9月底前",
        "date",
        "2023-09-30",
    ),
    (
        "5",
        "推进农村生活污水治理设施建设，建立运维管理长效机制",
        ("省生态环境厅",),
        ("省农业农村厅", "省住房城乡建设厅", "各设区市人民政府"),
        (),
        "2025年底前",
        "date",
        "2025-12-31",
    ),
]
CITY = [
    (
        "1",
        "实施农村供水管网改造工程，改造老旧供水管网120公里",
        ("市水务局",),
        ("各县（区）政府",),
        ("市财政局",),
        "2023年10月底前",
        "date",
        "2023-10-31",
    ),
    (
        "2",
        "建设城区二次供水加压泵站3座",
        ("市住房城乡建设局",),
        ("各县（区）政府",),
        ("市水务局",),
        "2023年12月底前",
        "date",
        "2023-12-31",
    ),
    (
        "3",
        "新建改扩建公办幼儿园5所，新增学位1500个",
        ("市教育局",),
        ("各县（区）政府",),
        ("市发展改革委", "市自然资源局"),
        "2023年8月底前",
        "date",
        "2023-08-31",
    ),
    (
        "4",
        "新建社区日间照料中心10个，为困难失能老年人提供居家上门服务",
        ("市民政局",),
        ("各县（区）政府",),
        ("市财政局", "市卫生健康委"),
        "2023年11月底前",
        "date",
        "2023-11-30",
    ),
    (
        "5",
        "城镇新增就业1.2万人，农村劳动力转移就业20万人",
        ("市人力资源社会保障局",),
        ("各县（区）政府",),
        ("市农业农村局",),
        "全年",
        "date",
        "2023-12-31",
    ),
]
EXPECTED = {"national": NATIONAL, "provincial": PROVINCIAL, "city": CITY}
DOC_NUMBERS = {
    "national": "国办函〔2023〕31号",
    "provincial": "赣府厅字〔2023〕45号",
    "city": "固政办发〔2023〕12号",
}


def _structure(extraction) -> list[tuple]:
    return [
        (
            t.label,
            t.title,
            t.lead,
            t.responsible,
            t.cooperating,
            t.deadline_text,
            t.deadline.kind,
            t.deadline.due and t.deadline.due.isoformat(),
        )
        for t in extraction.tasks
    ]


@pytest.fixture(scope="module")
def extractions():
    return {
        (name, fmt): extract(read_source(TABLES / f"{name}.{fmt}")) for name in EXPECTED for fmt in FORMATS
    }


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_row_is_a_task_with_its_units_by_role_and_deadline(extractions, name, fmt):
    extraction = extractions[(name, fmt)]
    assert [d.doc_number for d in extraction.documents] == [DOC_NUMBERS[name]]
    assert _structure(extraction) == EXPECTED[name]
    assert {t.source for t in extraction.tasks} == {"table"}
    assert not [f for f in extraction.flags if f.kind == "unreadable_table"]


def test_the_same_table_gives_the_same_tasks_in_every_format(extractions):
    for name in EXPECTED:
        results = {fmt: _structure(extractions[(name, fmt)]) for fmt in FORMATS}
        assert all(r == results["docx"] for r in results.values()), name


def test_each_table_task_keeps_its_lines_and_pdf_page(extractions):
    tabs = extractions[("national", "tabs.txt")]
    first = tabs.tasks[0]
    assert (first.line, first.span.start, first.span.end) == (13, 13, 16)  # row 1 wraps over 4 printed lines
    source = read_source(TABLES / "national.tabs.txt")
    assert source.line(first.line).startswith("1\t推进高频政务")
    pdf = extractions[("national", "pdf")]
    assert [t.page for t in pdf.tasks] == [1] * 7 + [2] * 3
    pdf_source = read_source(TABLES / "national.pdf")
    assert all(pdf_source.line(t.line).startswith(f"{t.label}\t") for t in pdf.tasks)
    row = to_dict(pdf)["tasks"][7]
    assert (row["source"], row["label"], row["page"], row["line"]) == ("table", "8", 2, pdf.tasks[7].line)


def test_a_row_cut_by_the_page_break_is_joined_across_the_repeated_header(extractions):
    # national row 7 starts on page 1 and ends under the header repeated on page 2
    for fmt in ("pdf", "tabs.txt", "aligned.txt"):
        task = extractions[("national", fmt)].tasks[6]
        assert task.title.endswith("推行告知承诺制") and task.span.end - task.span.start >= 3, fmt


def test_a_merged_cell_belongs_to_every_row_it_covers(extractions):
    # the provincial 问题 cell of rows 3 and 4 is printed once; row 4 keeps it in its body
    task = extractions[("provincial", "docx")].tasks[3]
    assert "部分矿山生态修复进度滞后" in task.body


def run(text: str, *, issuer: str = "固原市人民政府办公室") -> list[tuple]:
    source = SourceText.from_string("t", text)
    doc = Document(
        doc_number="固政办发〔2023〕1号",
        title="t",
        issuer=issuer,
        date=date(2023, 3, 1),
        span=Span(1, len(source)),
    )
    return [
        (t.label, t.lead, t.responsible, t.cooperating)
        for t in extract_tasks(source, doc, default_directory())
    ]


@pytest.mark.parametrize(
    ("note", "added"),
    [
        ("注：各项任务均需各县（区）政府落实。", ((), ("各县（区）政府",), ())),
        ("以上任务各市政府均需落实", ((), ("各市政府",), ())),
        ("表中各项任务，各地区均按职责分工负责。", ((), ("各地区",), ())),
        ("注：表中所列任务，各县（区）人民政府为责任单位。", ((), ("各县（区）人民政府",), ())),
        ("注：以上各项工作，市财政局均需配合。", ((), (), ("市财政局",))),
        ("注：各乡镇人民政府均需按职责分工抓好落实。", ((), ("各乡镇人民政府",), ())),
        ("注：以上任务各区县政府均要切实抓好落实。", ((), ("各区县政府",), ())),
    ],
)
def test_a_note_adds_its_unit_to_every_row_with_its_role(note, added):
    text = (
        "序号\t工作任务\t牵头单位\t完成时限\n"
        "1\t建设信息平台\t市大数据局\t2023年6月底前\n"
        "2\t推进数据共享\t市审批服务局\t2023年9月底前\n"
        f"{note}\n"
    )
    lead, responsible, cooperating = added
    assert run(text) == [
        ("1", ("市大数据局", *lead), responsible, cooperating),
        ("2", ("市审批服务局", *lead), responsible, cooperating),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "注：各项任务要按时完成。",  # no unit
        "各县（区）政府要加强组织领导。",  # no scope over the table's rows
        "注：数据来源于市统计局。",
    ],
)
def test_other_notes_add_nothing(text):
    assert note_units(text, level="市") == []


def test_lead_marks_and_the_first_listed_convention_work_in_cells():
    marked = (
        "序号\t工作任务\t责任单位\t完成时限\n1\t建设信息平台\t市财政局、市大数据局（牵头）\t2023年6月底前\n"
    )
    assert run(marked) == [("1", ("市大数据局",), ("市财政局",), ())]
    stated = "注：责任单位中列第一位者为牵头单位。\n\n" + marked.replace("（牵头）", "")
    assert run(stated) == [("1", ("市财政局",), ("市大数据局",), ())]
    in_header = marked.replace("责任单位\t", "责任单位（列第一位者为牵头单位）\t").replace("（牵头）", "")
    assert run(in_header) == [("1", ("市财政局",), ("市大数据局",), ())]


def test_a_table_that_cannot_be_read_is_a_review_item_with_its_line():
    text = (
        "固原市人民政府办公室关于印发重点工作台账的通知\n\n固政办发〔2023〕7号\n\n"
        "各县（区）人民政府，市政府各部门：\n\n现将重点工作台账印发给你们。\n\n"
        "固原市人民政府办公室\n\n2023年3月1日\n\n"
        "序号 重点任务 牵头单位 配合单位 完成时限\n"
        "1 建设信息平台 市大数据局 市财政局 2023年6月底前\n"
    )
    extraction = extract(SourceText.from_string("flat.txt", text))
    review = [r for r in to_dict(extraction)["review"] if r["kind"] == "unreadable_table"]
    assert [(r["line"], r["doc_number"]) for r in review] == [(13, "固政办发〔2023〕7号")]
    assert "表格无法读取" in review[0]["message"]


def test_a_row_under_a_merged_row_number_is_a_task_of_that_item():
    text = (
        "序号\t重点工作\t具体措施\t责任单位\t完成时限\n"
        "1\t城乡供水\t改造供水管网\t市水务局\t2023年10月底前\n"
        "\t\t建设加压泵站\t市住房城乡建设局\t2023年12月底前\n"
        "2\t教育\t新建幼儿园\t市教育局\t2023年8月底前\n"
    )
    assert run(text) == [
        ("1", (), ("市水务局",), ()),
        ("1", (), ("市住房城乡建设局",), ()),
        ("2", (), ("市教育局",), ()),
    ]


def test_the_lines_of_a_task_table_and_its_note_are_known_to_the_text_stage():
    from taizhang.extract.task_tables import table_lines

    source = read_source(TABLES / "city.aligned.txt")
    extraction = extract(source)
    (document,) = extraction.documents
    lines = table_lines(source, document)
    note = next(n for n, text in source.numbered() if text.strip().startswith("注："))
    assert {t.line for t in extraction.tasks} < lines and note in lines
    assert not any(source.line(n).strip().startswith("（此件公开发布）") for n in lines)


def test_a_heading_row_ends_what_merged_cells_carry_down():
    text = (
        "序号\t重点工作\t具体措施\t责任单位\t完成时限\n"
        "一、民生保障\n"
        "（1）\t城乡供水\t改造供水管网\t市水务局\t2023年10月底前\n"
        "\t\t建设加压泵站\t市住房城乡建设局\t2023年12月底前\n"
        "二、教育\n"
        "（2）\t\t新建幼儿园\t市教育局\t2023年8月底前\n"
    )
    source = SourceText.from_string(
        "t", text.replace("一、民生保障", "一、民生保障\t\t\t\t").replace("二、教育", "二、教育\t\t\t\t")
    )
    doc = Document(
        doc_number="固政办发〔2023〕1号",
        title="t",
        issuer="固原市人民政府办公室",
        date=date(2023, 3, 1),
        span=Span(1, len(source)),
    )
    got = [(t.label, t.title, t.body.split("\t")[1]) for t in extract_tasks(source, doc, default_directory())]
    assert got == [
        ("1", "改造供水管网", "城乡供水"),
        ("1", "建设加压泵站", "城乡供水"),
        ("2", "新建幼儿园", ""),
    ]
