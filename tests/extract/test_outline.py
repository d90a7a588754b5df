"""Items found by their markers, at the start of a paragraph and inside a body flattened onto one line."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from taizhang.extract.cleanup import paragraphs
from taizhang.extract.outline import cn_number, items
from taizhang.extract.spans import SourceText


def outline(text: str) -> list[tuple[str | None, int | None, str]]:
    found = items(paragraphs(SourceText.from_string("t", text)))
    return [(item.label, item.number, "|".join(p.text for p in item.paragraphs)) for item in found]


def test_markers_of_every_style_keep_their_printed_labels():
    text = "一、总体要求\n（一）指导思想。内容。\n1.建设平台。内容。\n1．全角。\n（1）细项。\n(2)半角。\n①圈码。\n2\ue010怪字符。\n"
    assert [(label, number) for label, number, _ in outline(text)] == [
        ("一、", 1),
        ("（一）", 1),
        ("1.", 1),
        ("1．", 1),
        ("（1）", 1),
        ("(2)", 2),
        ("①", 1),
        ("2", 2),
    ]


def test_a_flattened_body_is_cut_where_the_numbering_expects_an_item():
    text = (
        "现提出以下意见。一、持续提升便利度（一）优化流程。内容（国家发展改革委牵头）（二）提升效率。"
        "统一、规范地推进一、二级医院建设。（住房城乡建设部负责）二、简化审批（三）降低门槛。内容。\n"
    )
    assert [(label, number) for label, number, _ in outline(text)] == [
        (None, None),
        ("一、", 1),
        ("（一）", 1),
        ("（二）", 2),
        ("二、", 2),
        ("（三）", 3),
    ]


def test_a_flattened_body_without_full_stops_is_cut_at_every_level():
    # a title running straight into 一、, headings and items closing on a bracket or nothing at all
    text = (
        "某县优化营商环境工作要点一、深化审批改革（一）推行承诺制（县审批局负责）二、提升服务水平"
        "1.推进一网通办（县大数据中心负责）2．规范窗口（1）完善帮办代办（县政务服务中心负责）"
        "①建立诉求台账（县工商联负责）\n"
    )
    expected = [None, "一、", "（一）", "二、", "1.", "2．", "（1）", "①"]
    assert [label for label, _, _ in outline(text)] == expected


def test_a_label_run_ends_at_the_next_number_of_any_style():
    text = (
        "一、夯实基础 （一）建设政务云 责任单位：省大数据局 完成时限：2024年12月底（二）完善外网 "
        "牵头单位：省大数据局 二、提升能力 1、推进一件事 牵头单位：省政务服务办\n"
    )
    assert [label for label, _, _ in outline(text)] == ["一、", "（一）", "（二）", "二、", "1、"]
    assert outline(text)[1][2].endswith("2024年12月底")


def test_an_enumeration_inside_a_sentence_is_no_item():
    text = "（一）严格审查。有下列情形之一的：（一）未经批准；（二）超出范围。\n（二）加强监管。内容。\n"
    assert [label for label, _, _ in outline(text)] == ["（一）", "（二）"]


def test_a_number_opening_a_year_is_a_label_only_in_sequence():
    text = "3.甲。\n4.0402年启动试点。\n5.5%的企业上云。\n"
    assert [label for label, _, _ in outline(text)] == ["3.", "4.", "5."]
    assert [label for label, _, _ in outline("（一）甲。\n4.5亿元用于建设。\n")] == ["（一）"]  # a decimal


def test_an_enclosed_plan_restarts_its_numbering():
    text = (
        "（二十）抓好落实。内容。（各地区负责）国务院办公厅2020年7月15日一、总体要求（一）指导思想。内容。\n"
    )
    assert [label for label, _, _ in outline(text)] == ["（二十）", "一、", "（一）"]


def test_columns_point_into_the_original_line():
    text = "　　现提出以下意见。一、总体要求（一）指导思想。\n"
    found = items(paragraphs(SourceText.from_string("t", text)))
    first = found[2].paragraphs[0]
    assert (first.text[:3], first.line_at(0), first.column_at(0)) == ("（一）", 1, text.index("（一）") + 1)


def test_chinese_numerals():
    assert [cn_number(x) for x in ("一", "十", "十一", "二十", "二十三", "九十九", "一百零五")] == [
        1,
        10,
        11,
        20,
        23,
        99,
        105,
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="一二三十（）()、.．1234。；：\ue010甲乙\n", max_size=200))
def test_items_never_lose_or_reorder_text(text):
    source = SourceText.from_string("t", text)
    paras = paragraphs(source)
    found = items(paras)
    assert "".join(p.text for item in found for p in item.paragraphs) == "".join(p.text for p in paras)
