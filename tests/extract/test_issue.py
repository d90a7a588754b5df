"""Issue header, 目录 and 编辑委员会 of the bundled gazette; None for a text without a header."""

from __future__ import annotations

from datetime import date

from taizhang.extract.issue import parse_issue
from taizhang.extract.model import ContentsEntry
from taizhang.extract.spans import SourceText


def test_issue_header_equals_gold(gazette_source, gold) -> None:
    issue = parse_issue(gazette_source)
    found = {
        "title": issue.title,
        "year": issue.year,
        "number": issue.number,
        "cumulative_number": issue.cumulative_number,
        "published": issue.published.isoformat(),
    }
    assert found == gold["issue"]


def test_contents_lists_every_gold_document_in_order(gazette_source, gold) -> None:
    issue = parse_issue(gazette_source)
    assert [e.doc_number for e in issue.contents] == [d["doc_number"] for d in gold["documents"]]


def test_contents_entries_on_both_pages(gazette_source) -> None:
    contents = parse_issue(gazette_source).contents
    assert contents[0] == ContentsEntry(
        title="中卫市人民政府关于印发《中卫市2022年度重大行政决策事项目录》的通知",
        doc_number="卫政发〔2022〕15号",
        page=3,
        section="中卫市政府文件",
        line=37,
    )
    # second 目录 page (line 63): the slogan above it is not part of the next title, the section carries on
    assert contents[6] == ContentsEntry(
        title="中卫市人民政府办公室关于印发中卫市公立医院综合改革国家级示范市建设工作实施方案的通知",
        doc_number="卫政办发〔2022〕28号",
        page=31,
        section="中卫市政府办公室文件",
        line=65,
    )
    assert [e.page for e in contents] == [3, 3, 4, 6, 13, 25, 31, 38, 47, 48, 51, 56]


def test_editorial_board(gazette_source) -> None:
    editors = parse_issue(gazette_source).editors
    assert editors[:4] == (("主任", "孙尚金"), ("副主任", "雍跃斌"), ("委员", "刘明"), ("委员", "马宏全"))
    assert len(editors) == 13
    assert editors[-1] == ("委员", "李斌")


def test_issue_span_ends_before_first_document(gazette_source) -> None:
    issue = parse_issue(gazette_source)
    assert issue.span.end == 119  # '印 刷: …' is the last masthead line; line 121 opens 卫政发〔2022〕15号


def test_single_document_has_no_issue() -> None:
    text = "国务院办公厅关于开展某项工作的通知\n\n国办发〔2019〕3号\n\n各部门：\n\n正文。\n\n国务院办公厅\n\n2019年1月9日\n"
    assert parse_issue(SourceText.from_string("doc", text)) is None


def test_issue_of_another_city_with_full_width_brackets() -> None:
    text = "某某市人民政府公报\n\n2021年第11期\n\n（总第120期）\n\n2021年12月30日出版\n\n目录\n\n【市政府文件】\n\n某某市人民政府关于某事的通知\n（某政发〔2021〕9号）……2\n\n某某市人民政府\n\n关于某事的通知\n\n某政发〔2021〕9号\n"
    issue = parse_issue(SourceText.from_string("other", text))
    assert (issue.title, issue.year, issue.number, issue.cumulative_number, issue.published) == (
        "某某市人民政府公报", 2021, 11, 120, date(2021, 12, 30),
    )  # fmt: skip
    assert issue.contents == (
        ContentsEntry("某某市人民政府关于某事的通知", "某政发〔2021〕9号", 2, "市政府文件", 13),
    )


def test_issue_header_on_one_line_with_inline_contents() -> None:
    text = (
        "某省人民政府公报 2023年第5期(总第701期)\n出版日期：2023年3月10日\n\n目录\n\n"
        "某省人民政府关于某事的决定(某政发〔2023〕2号)……4\n\n"
        "某省人民政府\n\n关于某事的决定\n\n某政发〔2023〕2号\n"
    )
    issue = parse_issue(SourceText.from_string("one-line", text))
    assert (issue.title, issue.year, issue.number, issue.cumulative_number, issue.published) == (
        "某省人民政府公报", 2023, 5, 701, date(2023, 3, 10),
    )  # fmt: skip
    assert issue.contents == (ContentsEntry("某省人民政府关于某事的决定", "某政发〔2023〕2号", 4, None, 6),)


def test_state_council_gazette_numbering_and_bare_sections() -> None:
    text = (
        "中华人民共和国国务院公报\n\n2019年第5号\n\n总号：1654\n\n目  录\n\n国务院文件\n\n"
        "国务院关于某事的通知（国发〔2019〕2号）…………4\n\n国务院办公厅文件\n\n"
        "国务院办公厅关于另一事的意见\n（国办发〔2019〕6号）…………9\n\n"
        "国务院关于某事的通知\n\n国发〔2019〕2号\n"
    )
    issue = parse_issue(SourceText.from_string("gwy", text))
    assert (issue.title, issue.year, issue.number, issue.cumulative_number) == (
        "中华人民共和国国务院公报",
        2019,
        5,
        1654,
    )
    assert [(e.doc_number, e.page, e.section) for e in issue.contents] == [
        ("国发〔2019〕2号", 4, "国务院文件"),
        ("国办发〔2019〕6号", 9, "国务院办公厅文件"),
    ]


def test_issue_header_ends_above_a_red_header() -> None:
    text = "某某市人民政府公报\n\n2023年第3期\n\n某某市人民政府文件\n\n某政发〔2023〕7号\n\n某某市人民政府关于某事的通知\n"
    issue = parse_issue(SourceText.from_string("red", text))
    assert (issue.number, issue.span.end) == (3, 3)


def test_issue_header_ends_above_a_one_line_order() -> None:
    text = "某某市人民政府公报\n\n2023年第4期\n\n某某市人民政府令 第5号\n\n现予公布。\n\n某政发〔2023〕8号\n"
    assert parse_issue(SourceText.from_string("order", text)).span.end == 3
