"""The tab-table parser: header rows, continuation rows, merged cells, 小计/合计 rows, line numbers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from taizhang.extract.checks import run_checks
from taizhang.extract.quantities import read_quantities
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
    assert (table.title, table.title_line, table.annex, table.note) == (
        "某县压减水稻范围",
        3,
        "附件2",
        "(单位:亩)",
    )
    assert table.span.start == 5 and table.span.end == 10


def test_rows_know_their_kind_and_leading_empty_cells():
    (table,) = find_tables(SourceText.from_string("t", SMALL))
    assert [r.kind for r in table.body] == ["data", "data", "subtotal", "total"]
    assert table.body[1].leading_empty == 1
    assert table.body[2].numbers() == [150, 50, 100]
    assert table.body[2].cells == ("小计", "150", "50", "100")  # trailing empty cell dropped


def test_continuation_rows_inherit_their_group_until_a_subtotal_closes_it():
    (table,) = find_tables(SourceText.from_string("t", SMALL))
    assert table.groups == {7: "甲镇", 8: "甲镇", 9: "甲镇", 10: ""}


def test_repeated_header_after_a_page_break_joins_the_table():
    text = "序号\t指标\t2022年\n1\t甲\t33%\n\n序号\t指标\t2022年\n2\t乙\t75%\n"
    (table,) = find_tables(SourceText.from_string("t", text))
    assert [r.line for r in table.body] == [2, 5]
    assert table.has_row_numbers


def test_parse_number_reads_single_figures_only():
    assert [parse_number(c) for c in ("3394", "63.5", "35%", "1,200", "8.3天", "4%、4%", "合计", "")] == [
        3394,
        63.5,
        35,
        1200,
        8.3,
        None,
        None,
        None,
    ]


def test_gazette_tables_of_the_water_plan_are_found(gazette_source):
    tables = [
        t for t in find_tables(gazette_source) if t.annex and t.title and "水资源超载综合治理措施" in t.title
    ]
    assert [t.annex for t in tables] == ["附件1", "附件2", "附件3", "附件4", "附件5", "附件6"]
    assert tables[0].title == "沙坡头区2021年水资源超载综合治理措施"
    assert tables[0].body[-1].kind == "total" and tables[0].body[-1].line == 642


CELLS = st.sampled_from(
    [
        "",
        "小计",
        "合计",
        "权重",
        "好",
        "中",
        "差",
        "实际",
        "压减",
        "保留",
        "12",
        "3.5",
        "2021",
        "35%",
        "沙坡头区2021年措施",
        "满足压减耗水量3224万m ³ 要求",
        "附件 1",
        "序号",
        "（30分）考评",
        "共计1.7万亩",
        "其中:",
        "成立3个督查组",
        "第一督查组",
        "废止4件",
        "将甲,确认为市本级财政事权。",
        "(一)甲县治理任务。",
        "压减100万 m³",
        "完成时限",
        "甲县2021—2022年每年度压减用水量分别为1万m3、2万m3",
        "1. 任务。〔2022年底〕",
        "2022年4月底",
    ]
)
LINES = st.lists(st.lists(CELLS, min_size=1, max_size=8).map("\t".join), max_size=25)


@settings(max_examples=150, deadline=None)
@given(lines=LINES, plain=st.booleans())
def test_no_table_text_makes_the_parser_or_the_checks_raise(lines, plain):
    source = SourceText.from_string(
        "fuzz", "\n".join(line.replace("\t", "") if plain else line for line in lines)
    )
    read_quantities(source, [])
    for table in find_tables(source):
        assert all(table.span.start <= r.line <= table.span.end for r in table.rows)
    for check in run_checks(source, []):
        assert 1 <= check.line <= len(source)
