"""Page-break repair keeps source lines."""

from __future__ import annotations

from taizhang.extract.cleanup import paragraphs
from taizhang.extract.spans import SourceText, Span


def test_sentence_split_by_a_page_break_is_joined_with_its_lines():
    # 卫政办发〔2022〕24号 lines 930-932
    source = SourceText.from_string(
        "t", "(十二)适时开展清理工作。对\n\n- 7 -\n\n行政规范性文件进行动态清理。\n\n(十三)下一项。\n"
    )
    paras = paragraphs(source)
    assert [(p.text, p.span) for p in paras] == [
        ("(十二)适时开展清理工作。对行政规范性文件进行动态清理。", Span(1, 5)),
        ("(十三)下一项。", Span(7, 7)),
    ]
    assert [paras[0].line_at(0), paras[0].line_at(13), paras[0].line_at(14)] == [1, 1, 5]


def test_headings_labels_and_assignment_lines_are_never_joined():
    text = (
        "一、总体要求\n\n(一)指导思想\n\n牵头单位:市司法局\n\n责任单位:各县(区)\n\n〔责任单位:市委组织部〕\n"
    )
    assert [p.text for p in paragraphs(SourceText.from_string("t", text))] == [
        "一、总体要求",
        "(一)指导思想",
        "牵头单位:市司法局",
        "责任单位:各县(区)",
        "〔责任单位:市委组织部〕",
    ]


def test_table_rows_stay_single_lines():
    text = "序号\t名称\t承办部门\n1\t规划\t市教育局\n说明文字没有句号\n"
    paras = paragraphs(SourceText.from_string("t", text))
    assert [(p.is_table_row, p.span) for p in paras] == [
        (True, Span(1, 1)),
        (True, Span(2, 2)),
        (False, Span(3, 3)),
    ]


def test_word_split_by_page_break_in_the_gazette(gazette_source):
    # 卫政办发〔2022〕36号 lines 1535-1537: '卫生健' + '康委员会'
    [para] = [p for p in paragraphs(gazette_source, Span(1535, 1537))]
    assert "卫生健康委员会,市场监管部门" in para.text
    assert para.span == Span(1535, 1537)


def test_numbered_heading_without_full_stop_is_not_joined_to_its_body():
    text = "1.加快典型案例整改\n\n对宁钢公司项目制定整改方案。\n"
    assert [p.text for p in paragraphs(SourceText.from_string("t", text))] == [
        "1.加快典型案例整改",
        "对宁钢公司项目制定整改方案。",
    ]


def test_assignment_line_ends_its_paragraph_unless_cut_after_a_separator():
    text = "完成时限:2022年底\n\n各县(区)要抓好落实\n\n责任单位:市财政局、\n\n市民政局\n"
    assert [p.text for p in paragraphs(SourceText.from_string("t", text))] == [
        "完成时限:2022年底",
        "各县(区)要抓好落实",
        "责任单位:市财政局、市民政局",
    ]


def test_page_number_forms_are_dropped():
    text = "甲乙丙\n— 12 —\n·13·\n第14页\n丁戊。\n"
    [para] = paragraphs(SourceText.from_string("t", text))
    assert (para.text, para.span, para.starts) == ("甲乙丙丁戊。", Span(1, 5), ((0, 1, 0), (3, 5, 0)))
