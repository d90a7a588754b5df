"""The tab-table parser: header rows, continuation rows, merged cells, 小计/合计 rows, line numbers."""

from __future__ import annotations

from taizhang.extract.spans import SourceText
from taizhang.extract.tables import find_tables, parse_number

SMALL = "\n".join(
    [
        "附件 2",  # 1
        "",
        "某县压减水稻范围",  # 3
        "(单位:亩)",  # 4
        "乡镇\t村\t实际\t压减\t保留",  # 5
        "\t\t实际\t压减\t保留",  # 6 second header row
        "甲镇\t一村\t100\t40\t60",  # 7
        "\t二村\t50\t10\t40",  # 8 continuation row
        "小计\t150\t50\t100\t",  # 9 merged cell: label one column to the left
        "合计\t\t150\t50\t100",  # 10
        "",
        "正文继续。",
    ]
)


def test_find_tables_keeps_lines_header_and_title():
    (table,) = find_tables(SourceText.from_string("t", SMALL))
    assert [r.line for r in table.header] == [5, 6]
    assert [r.line for r in table.body] == [7, 8, 9, 10]
    assert (table.title, table.title_line, table.annex, table.note) == ("某县压减水稻范围", 3, "附件2", "(单位:亩)")
    assert table.span.start == 5 and table.span.end == 10


def test_rows_know_their_kind_and_leading_empty_cells():
    (table,) = find_tables(SourceText.from_string("t", SMALL))
    assert [r.kind for r in table.body] == ["data", "data", "subtotal", "total"]
    assert table.body[1].leading_empty == 1
    assert table.body[2].numbers() == [150, 50, 100]
    assert table.body[2].cells == ("小计", "150", "50", "100")  # trailing empty cell dropped


def test_repeated_header_after_a_page_break_joins_the_table():
    text = "序号\t指标\t2022年\n1\t甲\t33%\n\n序号\t指标\t2022年\n2\t乙\t75%\n"
    (table,) = find_tables(SourceText.from_string("t", text))
    assert [r.line for r in table.body] == [2, 5]
    assert table.has_row_numbers


def test_parse_number_reads_single_figures_only():
    assert [parse_number(c) for c in ("3394", "63.5", "35%", "1,200", "8.3天", "4%、4%", "合计", "")] == [
        3394, 63.5, 35, 1200, 8.3, None, None, None
    ]


def test_gazette_tables_of_the_water_plan_are_found(gazette_source):
    tables = [t for t in find_tables(gazette_source) if t.annex and t.title and "水资源超载综合治理措施" in t.title]
    assert [t.annex for t in tables] == ["附件1", "附件2", "附件3", "附件4", "附件5", "附件6"]
    assert tables[0].title == "沙坡头区2021年水资源超载综合治理措施"
    assert tables[0].body[-1].kind == "total" and tables[0].body[-1].line == 642
