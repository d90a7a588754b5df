"""Reading task tables from text: column headers by name, wrapped rows, page breaks, aligned columns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taizhang.extract.spans import SourceText, Span
from taizhang.extract.table_cells import join_lines
from taizhang.extract.table_columns import column_kind, read_header
from taizhang.extract.table_layout import read_tables


def tables_of(text: str):
    source = SourceText.from_string("t", text)
    return read_tables(source, Span(1, len(source)))


def rows_of(text: str) -> list[tuple[tuple[int, int], tuple[str, ...]]]:
    (table,) = tables_of(text).tables
    return [((r.span.start, r.span.end), r.cells) for r in table.rows]


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("序号", "number"),
        ("序  号", "number"),
        ("重点任务", "task"),
        ("具体措施", "task"),
        ("整改措施", "task"),
        ("重大决策事项名称", "task"),  # 卫政发〔2022〕15号 line 139
        ("问题", "problem"),
        ("牵头单位", "lead"),
        ("牵头部门", "lead"),
        ("整改责任单位", "responsible"),
        ("承办单位", "responsible"),
        ("参加单位", "cooperating"),
        ("协办单位", "cooperating"),
        ("完成时限", "deadline"),
        ("时间节点", "deadline"),
        ("整改时限", "deadline"),
        ("完成时间", "deadline"),
        ("责任单位（列第一位者为牵头单位）", "responsible"),
        (
            "工作任务推进落实及进展情况(包括主要做法、成效和存在问题)",
            "progress",
        ),  # 卫政办发〔2022〕29号 line 1278
        ("责任人", "ignored"),
        ("投资估算(万元)", None),
    ],
)
def test_column_headers_are_recognised_by_name(header, kind):
    assert column_kind(header) == kind


def test_a_header_over_two_rows_reads_each_column_from_its_lowest_name():
    columns = read_header(
        [
            ("序号", "重点工作", "具体措施", "责任单位", "", "完成时限"),
            ("", "", "", "牵头单位", "配合单位", ""),
        ]
    )
    assert columns.kinds == ("number", "task", "task", "lead", "cooperating", "deadline")
    assert (columns.task, columns.groups, columns.verdict()) == (2, (1, 2), "tasks")


@pytest.mark.parametrize(
    ("header", "verdict"),
    [
        (("序号", "重点任务", "牵头单位", "完成时限"), "tasks"),
        (("序号", "重点任务", "牵头单位", "参加单位"), "tasks"),  # numbered, no deadline column
        (("类别", "主要任务", "责任单位", "配合部门"), "matrix"),  # 卫政办发〔2022〕36号 line 1581
        (("序号", "主要任务", "进展情况", "完成时限", "责任单位"), "form"),
        (("序号", "责任单位", "完成时限"), "no_task_column"),
        (("序号", "指标", "目标值"), "other"),
        (("序号", "指标名称", "2023年目标", "责任单位"), "other"),  # an indicator table with a unit column
        (("序号", "单位", "2022年", "2023年"), "other"),
    ],
)
def test_what_a_header_says_about_its_table(header, verdict):
    assert read_header([header]).verdict() == verdict


def test_rows_wrapped_over_several_lines_are_joined_by_their_row_number():
    text = (
        "序号\t重点任务\t牵头单位\t参加单位\t完成时限\n"
        "1\t推进政务服务“跨\t国务院办公厅\t国家发展改革\t2023年12月\n"
        "\t省通办”\t\t委、公安部、\t底前\n"
        "\t\t\t人力资源社会保障部\t\n"
        "2\t健全事项清单\t国务院办公厅\t\t2023年9月底前\n"
    )
    assert rows_of(text) == [
        (
            (2, 4),
            (
                "1",
                "推进政务服务“跨省通办”",
                "国务院办公厅",
                "国家发展改革委、公安部、人力资源社会保障部",
                "2023年12月底前",
            ),
        ),
        ((5, 5), ("2", "健全事项清单", "国务院办公厅", "", "2023年9月底前")),
    ]


def test_a_header_repeated_after_a_page_break_is_skipped_and_the_cut_row_goes_on():
    text = (
        "序号\t重点任务\t牵头单位\t完成时限\n"
        "1\t推进政务服务标准化规范化\t国务院办公厅\t2023年\n"
        "\n"
        "- 3 -\n"
        "\n"
        "序号\t重点任务\t牵头单位\t完成时限\n"
        "\t便利化\t\t12月底前\n"
        "2\t健全事项清单\t公安部\t2023年9月底前\n"
    )
    assert rows_of(text) == [
        ((2, 7), ("1", "推进政务服务标准化规范化便利化", "国务院办公厅", "2023年12月底前")),
        ((8, 8), ("2", "健全事项清单", "公安部", "2023年9月底前")),
    ]


def test_a_table_goes_on_after_a_running_head_when_its_numbering_does():
    text = (
        "序号\t重点任务\t牵头单位\t完成时限\n"
        "1\t甲任务\t公安部\t2023年底前\n"
        "国务院公报2023年第18号\n"
        "2\t乙任务\t民政部\t2024年底前\n"
    )
    (table,) = tables_of(text).tables
    assert [r.cell(0) for r in table.rows] == ["1", "2"]


def test_a_unit_per_line_stays_a_list_and_a_wrapped_name_is_joined():
    assert join_lines(["国家发展改革", "委、公安部"], 12) == "国家发展改革委、公安部"
    assert join_lines(["市水务局", "市财政局"], 14) == "市水务局 市财政局"
    assert join_lines(["人力资源社会", "保障部"], 12) == "人力资源社会保障部"
    assert join_lines(["2023年12月", "底前"], 10) == "2023年12月底前"


def test_without_row_numbers_a_line_filling_an_empty_cell_opens_a_row():
    text = (
        "问题\t整改措施\t责任单位\t整改时限\n"
        "园区污水管网不完善\t新建和改造\t省生态环境厅\t2023年12月\n"
        "\t管网\t\t底前\n"
        "\t建立运维机制\t省住房城乡建设厅\t2024年6月底前\n"
        "合计\t2项\t\t\n"
    )
    assert [cells for _, cells in rows_of(text)] == [
        ("园区污水管网不完善", "新建和改造管网", "省生态环境厅", "2023年12月底前"),
        ("", "建立运维机制", "省住房城乡建设厅", "2024年6月底前"),
        ("合计", "2项", "", ""),
    ]


ALIGNED_ROWS = [
    ("序号", "重点任务", "牵头单位", "参加单位", "完成时限"),
    ("1", "推进政务服务“跨省", "国务院办公厅", "国家发展改革委、", "2023年12月"),
    ("", "通办”", "", "公安部", "底前"),
    (),
    ("2", "健全事项清单", "公安部", "民政部", "长期坚持"),
]


def _aligned(starts: tuple[int, ...], wide: bool) -> str:
    """The rows printed at column ``starts``, counting an ideograph as two positions or one."""
    from taizhang.extract.table_cells import display_width

    lines = ["注意：本表为示例。", ""]
    for row in ALIGNED_ROWS:
        line = ""
        for start, text in zip(starts, row, strict=False):
            width = display_width(line) if wide else len(line)
            line += " " * max(2 if line.strip() else 0, start - width) + text if text else ""
        lines.append(line.rstrip())
    lines.append("  注：表中各项任务，各地区均按职责分工负责。")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("starts", "wide"),
    [
        ((2, 9, 34, 49, 68), True),  # an editor's display: an ideograph takes two columns
        ((2, 7, 20, 29, 40), False),  # a PDF character grid: one position per character
    ],
)
def test_columns_aligned_with_spaces_are_cut_at_the_header(starts, wide):
    assert [cells for _, cells in rows_of(_aligned(starts, wide))] == [
        ("1", "推进政务服务“跨省通办”", "国务院办公厅", "国家发展改革委、公安部", "2023年12月底前"),
        ("2", "健全事项清单", "公安部", "民政部", "长期坚持"),
    ]


def test_a_header_whose_columns_ran_together_is_reported_not_skipped():
    text = "序号 重点任务 牵头单位 完成时限\n1 推进政务服务 国务院办公厅 2023年底前\n"
    reading = tables_of(text)
    assert reading.tables == ()
    assert [(p.line, "无法读取" in p.message) for p in reading.problems] == [(1, True)]


def test_a_task_table_header_with_no_rows_under_it_is_reported():
    text = "序号\t重点任务\t牵头单位\t完成时限\n1 推进政务服务 国务院办公厅 2023年底前\n"
    assert [p.line for p in tables_of(text).problems] == [1]


def test_a_row_with_more_cells_than_the_header_is_reported():
    text = "序号\t重点任务\t牵头单位\t完成时限\n1\t甲\t公安部\t2023年底前\t多出的一列\n2\t乙\t民政部\t2024年底前\n"
    reading = tables_of(text)
    assert [p.line for p in reading.problems] == [2]
    assert [r.cell(0) for r in reading.tables[0].rows] == ["2"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="序号任务牵头单位完成时限市局委厅\t 、，12\n", max_size=30), max_size=12))
def test_any_text_reads_without_error(lines):
    source = SourceText.from_string("t", "\n".join(lines) or " ")
    read_tables.cache_clear()
    reading = read_tables(source, Span(1, max(1, len(source))))
    for table in reading.tables:
        for row in table.rows:
            assert table.header_line < row.span.start <= row.span.end <= len(source)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="市局委厅部、，ab12 （）", min_size=1, max_size=8), max_size=6),
    st.integers(0, 20),
)
def test_joining_a_cells_lines_drops_no_character(lines, width):
    joined = join_lines(lines, width)
    assert joined.replace(" ", "") == "".join(lines).replace(" ", "")


def test_rows_under_a_merged_row_number_open_where_a_new_deadline_starts():
    text = (
        "序号\t重点工作\t具体措施\t责任单位\t完成时限\n"
        "1\t城乡供水\t改造供水\t市水务局\t2023年\n"
        "\t\t管网\t\t10月底前\n"
        "\t\t建设泵站\t市住房城乡建设局\t2023年12月底前\n"
        "2\t教育\t新建幼儿园\t市教育局\t2023年8月底前\n"
    )
    assert [cells for _, cells in rows_of(text)] == [
        ("1", "城乡供水", "改造供水管网", "市水务局", "2023年10月底前"),
        ("", "", "建设泵站", "市住房城乡建设局", "2023年12月底前"),
        ("2", "教育", "新建幼儿园", "市教育局", "2023年8月底前"),
    ]


def test_a_heading_row_across_an_aligned_table_does_not_end_it():
    text = (
        "序号  重点任务          牵头单位      完成时限\n"
        "一、优化营商环境\n"
        "1     推进一网通办      国务院办公厅  2023年底前\n"
        "二、加强监管\n"
        "2     推行信用监管      市场监管总局  2024年底前\n"
    )
    assert [cells for _, cells in rows_of(text)] == [
        ("一、优化营商环境", "", "", ""),
        ("1", "推进一网通办", "国务院办公厅", "2023年底前"),
        ("二、加强监管", "", "", ""),
        ("2", "推行信用监管", "市场监管总局", "2024年底前"),
    ]


def test_a_line_whose_cells_slid_left_is_reported():
    # a text export that dropped the empty cells in front of a wrapped line
    text = "序号\t重点任务\t牵头单位\t完成时限\n1\t推进政务服务\t国务院办公厅\t2023年12月\n标准化\t底前\n"
    reading = tables_of(text)
    assert [(p.line, "不是序号" in p.message) for p in reading.problems] == [(3, True)]


def test_table_reading_reaches_the_assignment_grammar_only_through_its_seam():
    import ast
    from pathlib import Path

    import taizhang.extract as package

    folder = Path(package.__file__).parent
    grammar = {"assignments", "unit_names", "deadlines"}
    offenders = []
    for path in [*folder.glob("table_*.py"), folder / "task_tables.py"]:
        if path.name in ("table_grammar.py", "table_checks.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module in grammar:
                offenders.append(f"{path.name} imports .{node.module}")
    assert offenders == []
