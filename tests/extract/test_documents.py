"""Document boundaries and 公文 elements, on the bundled gazette, the State Council file and small texts."""

from __future__ import annotations

import json
from datetime import date

import pytest

from taizhang.extract import extract
from taizhang.extract.documents import parse_documents
from taizhang.extract.issue import parse_issue
from taizhang.extract.spans import SourceText
from taizhang.extract.to_json import document_to_dict
from tests.conftest import FIXTURES, STATE_COUNCIL

FIELDS = (
    "doc_number", "title", "issuer", "type", "date", "publication", "addressees", "enclosed",
    "attachments", "cited_doc_numbers", "line_start", "line_end", "date_line",
)  # fmt: skip

# Where this extractor and the gold annotation knowingly differ. The gazette's last line (1778,
# no trailing newline) is a fifth attachment of 卫政办发〔2022〕44号, '5. 中卫市水利工程质量安全大检查
# 大整治行动工作督导组(略)'; the gold stops at line 1776 and lists four 水利 attachments.
GOLD_OVERRIDES = {
    "卫政办发〔2022〕44号": {
        "line_end": 1778,
        "attachments_extra": ["中卫市水利工程质量安全大检查大整治行动工作督导组"],
    },
}


def _parse(name: str, text: str) -> list[dict]:
    source = SourceText.from_string(name, text)
    return [document_to_dict(d, 0) for d in parse_documents(source, parse_issue(source))]


@pytest.fixture(scope="module")
def gazette_documents(gazette_source):
    return parse_documents(gazette_source, parse_issue(gazette_source))


@pytest.fixture(scope="module")
def state_council_documents():
    source = SourceText.from_string("sc", STATE_COUNCIL.read_text(encoding="utf-8"))
    return parse_documents(source, parse_issue(source))


def _expected_from_gold(gold_doc: dict) -> dict:
    expected = {field: gold_doc[field] for field in FIELDS}
    override = GOLD_OVERRIDES.get(gold_doc["doc_number"], {})
    if "line_end" in override:
        expected["line_end"] = override["line_end"]
    expected["attachments"] = expected["attachments"] + override.get("attachments_extra", [])
    return expected


def test_gazette_documents_equal_gold(gazette_documents, gold) -> None:
    found = [{field: document_to_dict(d, 0)[field] for field in FIELDS} for d in gazette_documents]
    assert found == [_expected_from_gold(g) for g in gold["documents"]]


def test_gazette_documents_filed_under_their_contents_section(gazette_documents) -> None:
    sections = {d.doc_number: d.section for d in gazette_documents}
    assert sections["卫政发〔2022〕15号"] == "中卫市政府文件"
    assert sections["卫政规发〔2022〕1号"] == "中卫市政府规范性文件"
    assert sections["卫政办发〔2022〕44号"] == "中卫市政府办公室文件"  # on the second 目录 page


def test_gazette_spelling_differences_are_flagged(gazette_documents) -> None:
    # the gold notes: 目录 line 50 spells '中卫市本级'; annex headings 9 and 10 say '高效节水灌溉'
    flags = [f for d in gazette_documents for f in d.flags]
    assert [(f.kind, f.line, f.doc_number) for f in flags] == [
        ("contents_mismatch", 50, "卫政办发〔2022〕15号"),
        ("attachment_mismatch", 798, "卫政办发〔2022〕19号"),
        ("attachment_mismatch", 830, "卫政办发〔2022〕19号"),
    ]


def test_state_council_file_has_36_documents_and_no_issue(state_council_documents) -> None:
    numbers = [d.doc_number for d in state_council_documents]
    assert len(numbers) == 36
    assert len(set(numbers)) == 36
    assert numbers[0] == "国办发〔2019〕6号"
    assert "国务院令第707号" in numbers
    assert all(d.date and d.issuer and d.type and d.title for d in state_council_documents)
    source = SourceText.from_string("sc", STATE_COUNCIL.read_text(encoding="utf-8"))
    assert parse_issue(source) is None


def test_state_council_sample_fixture(state_council_documents) -> None:
    sample = json.loads((FIXTURES / "documents" / "state-council-sample.json").read_text(encoding="utf-8"))
    by_number = {d.doc_number: document_to_dict(d, 0) for d in state_council_documents}
    for expected in sample["documents"]:
        found = by_number[expected["doc_number"]]
        assert {k: found[k] for k in expected} == expected


def test_forwarded_report_inside_cover_is_not_a_document(state_council_documents) -> None:
    # '国务院：' (line 482) opens the forwarded report: it belongs to 国办发〔1996〕2号
    forwarding = next(d for d in state_council_documents if d.doc_number == "国办发〔1996〕2号")
    assert 482 in forwarding.span


GAZETTE_STYLE = """\
中卫市人民政府

关于印发《甲方案》的通知

卫政发[2022]3号

各县(区)人民政府,市政府各部门、直属机构:

现将《甲方案》印发给你们,请遵照执行。按照国办发〔2020〕48号文件要求落实。

附件:1. 任务清单

2. 指标表(略)

中卫市人民政府

2022年3月17日

(此件公开发布)

中卫市人民政府办公室 关于加强 养老服务监管的实施意见

卫政办发（2022）36号

沙坡头区人民政府:

为落实卫政发〔2022〕3号,提出如下意见。

中卫市人民政府办公室

2022年4月24日
"""


def test_small_gazette_style_text() -> None:
    docs = _parse("small", GAZETTE_STYLE)
    assert [{k: d[k] for k in FIELDS} for d in docs] == [
        {
            "doc_number": "卫政发〔2022〕3号",
            "title": "中卫市人民政府关于印发《甲方案》的通知",
            "issuer": "中卫市人民政府",
            "type": "通知",
            "date": "2022-03-17",
            "publication": "此件公开发布",
            "addressees": ["各县(区)人民政府", "市政府各部门、直属机构"],
            "enclosed": ["甲方案"],
            "attachments": ["任务清单", "指标表"],
            "cited_doc_numbers": ["国办发〔2020〕48号"],
            "line_start": 1,
            "line_end": 19,
            "date_line": 17,
        },
        {
            "doc_number": "卫政办发〔2022〕36号",
            "title": "中卫市人民政府办公室关于加强养老服务监管的实施意见",
            "issuer": "中卫市人民政府办公室",
            "type": "意见",
            "date": "2022-04-24",
            "publication": None,
            "addressees": ["沙坡头区人民政府"],
            "enclosed": [],
            "attachments": [],
            "cited_doc_numbers": ["卫政发〔2022〕3号"],
            "line_start": 21,
            "line_end": 31,
            "date_line": 31,
        },
    ]


def test_numbers_in_running_text_and_contents_start_no_document() -> None:
    text = "目 录\n\n某某市人民政府关于某事的通知\n(某政发[2022]1号)..... 3\n\n请按照国办发〔2020〕48号文件执行。\n"
    assert _parse("none", text) == []


def test_missing_date_is_flagged_not_invented() -> None:
    source = SourceText.from_string("x", "国务院关于某事的通知\n\n国发〔2019〕1号\n\n各部门：\n\n正文。\n")
    (document,) = parse_documents(source, None)
    assert document.date is None and document.date_line is None
    assert [(f.kind, f.line) for f in document.flags] == [("missing_field", 3)]


def test_chinese_numeral_date_and_joint_signature() -> None:
    text = "国务院、中央军委关于同意某事的批复\n\n国函〔1996〕95号\n\n武警总部：\n\n同意。\n\n国务院\u3000中央军委\n\n一九九六年十一月五日\n"
    (doc,) = _parse("joint", text)
    assert (doc["issuer"], doc["type"], doc["date"], doc["date_line"]) == (
        "国务院、中央军委",
        "批复",
        "1996-11-05",
        11,
    )


def test_parse_documents_reads_repeated_issues(gazette_source) -> None:
    # ten copies of the gazette are ten times its documents; how long that takes is measured in
    # bench/extract.py (a wall-clock limit here failed on a loaded machine)
    big = SourceText("big", gazette_source.lines * 10)
    documents = parse_documents(big, None)
    assert len(documents) == 120
    assert documents[12].doc_number == documents[0].doc_number


def test_document_dates_are_dates(gazette_documents) -> None:
    assert gazette_documents[0].date == date(2022, 3, 17)


RED_HEADER_AND_NUMBER_FIRST = """\
中卫市人民政府办公室文件

卫政办发〔2023〕12号

中卫市人民政府办公室
关于印发《乙方案》的通知

各县(区)人民政府:

现将《乙方案》印发给你们。

中卫市人民政府办公室
2023年2月1日
（此件公开发布）

（卫政办发〔2023〕13号）

中卫市人民政府办公室关于某事的通知

各县(区)人民政府:

正文。

中卫市人民政府办公室

2023年2月2日
"""


def test_red_header_and_number_above_title_layouts() -> None:
    docs = _parse("layouts", RED_HEADER_AND_NUMBER_FIRST)
    keys = (
        "doc_number",
        "title",
        "issuer",
        "date",
        "addressees",
        "enclosed",
        "publication",
        "line_start",
        "line_end",
    )
    assert [{k: d[k] for k in keys} for d in docs] == [
        {
            "doc_number": "卫政办发〔2023〕12号",
            "title": "中卫市人民政府办公室关于印发《乙方案》的通知",
            "issuer": "中卫市人民政府办公室",
            "date": "2023-02-01",
            "addressees": ["各县(区)人民政府"],
            "enclosed": ["乙方案"],
            "publication": "此件公开发布",
            "line_start": 1,
            "line_end": 14,
        },
        {
            "doc_number": "卫政办发〔2023〕13号",
            "title": "中卫市人民政府办公室关于某事的通知",
            "issuer": "中卫市人民政府办公室",
            "date": "2023-02-02",
            "addressees": ["各县(区)人民政府"],
            "enclosed": [],
            "publication": None,
            "line_start": 16,
            "line_end": 26,
        },
    ]


ISSUE_WITH_MINUTES = """\
某某市人民政府公报

2023年第1期

目 录

【市政府文件】

某某市人民政府关于某事的通知
(某政发[2023]1号)..... 1

某某市人民政府第5次常务会议纪要
..... 2

某某市人民政府

关于某事的通知

某政发〔2023〕1号

各县(区)人民政府:

正文。

某某市人民政府

2023年1月3日

某某市人民政府第5次
常务会议纪要

2023年1月5日,市长主持召开第5次常务会议。会议纪要如下。

一、会议同意某事。
"""


def test_numberless_document_found_by_its_contents_title() -> None:
    source = SourceText.from_string("minutes", ISSUE_WITH_MINUTES)
    issue = parse_issue(source)
    assert [(e.title, e.doc_number, e.page) for e in issue.contents] == [
        ("某某市人民政府关于某事的通知", "某政发〔2023〕1号", 1),
        ("某某市人民政府第5次常务会议纪要", None, 2),
    ]
    docs = parse_documents(source, issue)
    assert [(d.doc_number, d.title, d.type, d.span.start, d.span.end, d.section) for d in docs] == [
        ("某政发〔2023〕1号", "某某市人民政府关于某事的通知", "通知", 15, 27, "市政府文件"),
        (None, "某某市人民政府第5次常务会议纪要", "纪要", 29, 34, "市政府文件"),
    ]
    assert ("missing_field", 29) in [(f.kind, f.line) for f in docs[1].flags]


def test_stray_signature_and_page_number_stay_out_of_the_title() -> None:
    text = (
        "上一文件的正文。\n\n某某市人民政府办公室\n\n"  # a signature whose date the PDF lost
        "某某市人民政府关于某事的通知\n\n- 12 -\n\n某政发〔2023〕4号\n\n各部门:\n\n正文。\n"
    )
    (doc,) = _parse("stray", text)
    assert (doc["title"], doc["line_start"], doc["issuer"]) == (
        "某某市人民政府关于某事的通知",
        5,
        "某某市人民政府",
    )


def test_a_joint_title_keeps_one_space_between_its_issuers() -> None:
    from taizhang.extract.titles import join_title

    # issuers printed apart over two lines, with ideographic spaces, as ministries sign them
    assert join_title(
        ["教育部　中央网信办　国家发展改革委", "工业和信息化部　财政部", "关于推进智慧教育平台建设的指导意见"]
    ) == ("教育部 中央网信办 国家发展改革委 工业和信息化部 财政部关于推进智慧教育平台建设的指导意见")
    assert join_title(["国家发展改革委  国家能源局关于印发", "《某某方案》的通知"]) == (
        "国家发展改革委 国家能源局关于印发《某某方案》的通知"
    )
    # one organ wrapped before its suffix, a letter-spaced organ and a title without issuer stay joined
    assert join_title(["某某市人民政府", "办公室关于某事的通知"]) == "某某市人民政府办公室关于某事的通知"
    assert join_title(["国 务 院 关于某事的通知"]) == "国务院关于某事的通知"
    assert join_title(["关于推进智慧教育平台", "建设的指导意见"]) == "关于推进智慧教育平台建设的指导意见"


def test_body_line_with_commas_is_never_a_title() -> None:
    text = "会议强调,要抓好落实\n\n某某市人民政府关于某事的通知\n\n某政发〔2023〕5号\n"
    (doc,) = _parse("commas", text)
    assert (doc["title"], doc["line_start"]) == ("某某市人民政府关于某事的通知", 3)


def test_joint_organs_printed_with_a_space_and_section_heading_between_documents() -> None:
    text = (
        "中共某某市委办公室　某某市人民政府办公室\n关于某事的通知\n\n某市委办发〔2023〕1号\n\n各部门:\n\n正文。\n\n"
        "【市政府文件】\n\n某某市人民政府关于另一事的通知\n\n某政发〔2023〕6号\n"
    )
    docs = _parse("joint-space", text)
    assert [(d["issuer"], d["title"], d["line_start"], d["line_end"]) for d in docs] == [
        (
            "中共某某市委办公室、某某市人民政府办公室",
            "中共某某市委办公室 某某市人民政府办公室关于某事的通知",
            1,
            8,
        ),
        ("某某市人民政府", "某某市人民政府关于另一事的通知", 12, 14),
    ]
    assert [d["section"] for d in docs] == [None, "市政府文件"]


def test_attachments_from_labels_with_a_heading_over_two_lines() -> None:
    text = (
        "国务院关于某事的批复\n\n国函〔2006〕1号\n\n某省人民政府：\n\n同意。\n\n国务院\n\n二〇〇六年一月二日\n\n"
        "附件1.\n\n某口岸区的\n\n查验区界址点坐标\n\n编号 | X | Y\n\n附件2：\n\n桥面界址点坐标\n\nA匝道桥界址点坐标\n"
    )
    (doc,) = _parse("labels", text)
    assert doc["attachments"] == ["某口岸区的查验区界址点坐标", "桥面界址点坐标"]


def test_addressees_split_on_top_level_commas_only() -> None:
    from taizhang.extract.elements import addressees_of_line

    assert addressees_of_line("各县(区)人民政府,市政府各部门、直属机构:") == (
        "各县(区)人民政府",
        "市政府各部门、直属机构",
    )
    assert addressees_of_line("北京、天津、陕西省（自治区，直辖市）人民政府；武警总部：") == (
        "北京、天津、陕西省（自治区，直辖市）人民政府",
        "武警总部",
    )
    assert addressees_of_line("现将有关事项通知如下:") is None
    assert addressees_of_line("为此,特作如下规定。") is None


def test_addressees_split_where_whole_organ_names_stand_side_by_side() -> None:
    from taizhang.extract.elements import addressees_of_line

    # 、 between whole names, spaces and line breaks separate addressees
    assert addressees_of_line("各区县人民政府、市直各部门：") == ("各区县人民政府", "市直各部门")
    spaced = ("各乡镇人民政府", "县直各部门", "驻县各单位")
    assert addressees_of_line("各乡镇人民政府 县直各部门、驻县各单位：") == spaced
    one_per_line = ("各区县人民政府", "市政府各部门", "各直属单位")
    assert addressees_of_line("各区县人民政府\n市政府各部门，各直属单位：") == one_per_line
    # a shared suffix or a shared prefix keeps one name; a name wrapped over two lines is re-joined
    assert addressees_of_line("各省、自治区、直辖市人民政府，国务院有关部委、直属机构：") == (
        "各省、自治区、直辖市人民政府",
        "国务院有关部委、直属机构",
    )
    assert addressees_of_line("各区人民政府，市政府各委、办、局：") == ("各区人民政府", "市政府各委、办、局")
    wrapped = addressees_of_line("各省、自治区、直辖市及计划单列市人民\n政府：")
    assert wrapped == ("各省、自治区、直辖市及计划单列市人民政府",)
    # an item heading with a label before its units is no addressee line
    assert addressees_of_line("一、夯实数字基础设施（一）统筹建设政务云 牵头单位：") is None


def test_addressees_end_where_unit_lists_end_by_the_one_suffix_list() -> None:
    from taizhang.extract.elements import addressees_of_line
    from taizhang.extract.lexicon import lexicon
    from taizhang.extract.unit_names import ends_like_unit_name

    # the addressee split reads the lexicon's unit_suffixes, as the unit splitter does
    assert addressees_of_line("省委宣传部、省公安厅、省军区政治工作部：") == (
        "省委宣传部",
        "省公安厅",
        "省军区政治工作部",
    )
    assert addressees_of_line("各市人民政府 省直各部门 驻鲁各单位：") == (
        "各市人民政府",
        "省直各部门",
        "驻鲁各单位",
    )
    for suffix in lexicon().unit_suffixes:
        names = (f"甲乙市丙丁{suffix}", f"戊己市庚辛{suffix}")
        assert ends_like_unit_name(names[0])
        assert addressees_of_line("、".join(names) + "：") == names, suffix


def test_enclosed_titles_keep_nested_book_titles_and_skip_cited_ones() -> None:
    from taizhang.extract.elements import enclosed_titles

    cover = "现将《关于修改〈某某条例〉的决定》印发给你们。要按照《国务院办公厅关于印发预案的通知》精神执行。"
    assert enclosed_titles("某某关于印发某某决定的通知", cover) == ("关于修改〈某某条例〉的决定",)
    assert enclosed_titles("某某关于印发甲方案的通知", "请认真贯彻执行。") == ("甲方案",)
    assert enclosed_titles("某某关于加强某事的意见", "为落实《乙规定》,提出如下意见。") == ()


def test_order_header_and_number_on_one_line() -> None:
    text = "上一文件正文。\n\n中卫市人民政府令 第5号\n\n《中卫市某某办法》已经市人民政府常务会议审议通过,现予公布,自2023年3月1日起施行。\n\n市长 张三\n\n2023年1月20日\n"
    (doc,) = _parse("order", text)
    assert (doc["doc_number"], doc["title"], doc["issuer"], doc["type"], doc["enclosed"], doc["date"]) == (
        "中卫市人民政府令第5号",
        "中卫市人民政府令",
        "中卫市人民政府",
        "令",
        ["中卫市某某办法"],
        "2023-01-20",
    )


def test_attachment_list_under_a_bare_label_and_a_single_bare_annex() -> None:
    listed = "国务院关于某事的通知\n\n国发〔2019〕9号\n\n各部门：\n\n正文。\n\n附件：\n\n1. 甲表\n\n2. 乙表\n\n国务院\n\n2019年1月2日\n"
    single = "国务院关于某事的批复\n\n国函〔2019〕3号\n\n某省：\n\n同意。\n\n国务院\n\n2019年1月3日\n\n附件\n\n丙方案\n"
    assert _parse("listed", listed)[0]["attachments"] == ["甲表", "乙表"]
    assert _parse("single", single)[0]["attachments"] == ["丙方案"]


def test_a_joint_signature_on_one_line_names_every_issuer():
    text = (
        "关于推进智慧教育平台建设的指导意见\n各省、自治区、直辖市教育厅（教委）：\n"
        "为推进平台建设，现提出如下意见。\n一、加强统筹。建立工作机制。（教育部牵头，财政部配合）\n"
        "教育部 中央网信办 国家发展改革委 工业和信息化部 财政部\n2022年3月1日\n"
    )
    [document] = extract(SourceText.from_string("opinions.txt", text)).documents
    assert document.issuer == "教育部、中央网信办、国家发展改革委、工业和信息化部、财政部"
