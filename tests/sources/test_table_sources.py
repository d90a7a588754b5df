"""Tables of Word and PDF files come out as one line per row, merged cells filled once, PDF pages kept."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from taizhang.sources import read_source

TABLES = Path(__file__).resolve().parents[1] / "fixtures" / "tables"

CITY_TABLE = [
    "固原市2023年重点民生实事推进台账\t\t\t\t\t",
    "序号\t重点工作\t具体措施\t责任单位\t\t完成时限",
    "\t\t\t牵头单位\t配合单位\t",
    "1\t城乡供水保障\t实施农村供水管网改造工程，改造老旧供水管网120公里\t市水务局\t市财政局\t2023年10月底前",
    "2\t\t建设城区二次供水加压泵站3座\t市住房城乡建设局\t市水务局\t2023年12月底前",
    "3\t教育优质均衡\t新建改扩建公办幼儿园5所，新增学位1500个\t市教育局\t市发展改革委、自然资源局\t2023年8月底前",
    "4\t养老服务提升\t新建社区日间照料中心10个，为困难失能老年人提供居家上门服务\t市民政局\t市财政局、卫生健康委\t2023年11月底前",
    "5\t就业创业\t城镇新增就业1.2万人，农村劳动力转移就业20万人\t市人力资源社会保障局\t市农业农村局\t全年",
]


def _table_lines(path: Path) -> list[str]:
    return [line for line in read_source(path).lines if "\t" in line]


def test_a_word_table_with_merged_cells_gives_one_line_per_row():
    # title row across the table, 责任单位 over two columns, 序号/重点工作/完成时限 merged down
    assert _table_lines(TABLES / "city.docx") == CITY_TABLE


def test_a_pdf_table_is_read_by_the_table_finder_as_the_word_file_is():
    assert _table_lines(TABLES / "city.pdf") == CITY_TABLE


def test_pdf_pages_are_recorded_and_a_wrapped_row_is_one_line():
    source = read_source(TABLES / "national.pdf")
    assert source.page_starts == (1, 22)
    assert source.page_of(21) == 1 and source.page_of(22) == 2 and source.page_of(len(source)) == 2
    assert source.line(22).startswith("序号\t重点任务")  # the header repeated on page 2
    rows = [line for line in source.lines if line.startswith("1\t")]
    assert rows == [
        "1\t推进高频政务服务事项“跨省通办”，实现企业和群众异地办事“一地办成”，逐步扩大通办事项范围\t国务院办公厅"
        "\t国家发展改革委、公安部、人力资源社会保障部、国家卫生健康委\t2023年12月底前"
    ]


def test_text_files_have_no_pages():
    assert read_source(TABLES / "national.tabs.txt").page_of(3) is None


def test_a_cell_of_several_paragraphs_keeps_them_apart(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("序号", "工作任务", "责任单位"), strict=True):
        cell.text = text
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "建设信息平台"
    table.cell(1, 2).text = "市水务局"
    table.cell(1, 2).add_paragraph("市财政局")
    path = tmp_path / "paragraphs.docx"
    document.save(path)
    assert _table_lines(path) == ["序号\t工作任务\t责任单位", "1\t建设信息平台\t市水务局 市财政局"]


CHROMIUM = Path("/usr/bin/chromium")

PRINTED = """
<p>某市人民政府办公室关于印发重点任务分工的通知</p>
<table style="border-collapse: collapse; width: 10em" border="1">
<tr><td>注意：本通知附表须逐项落实，按月报送。</td></tr><tr><td>联系人：张三</td></tr></table>
<p>重点任务分工表</p>
<table style="border-collapse: collapse" border="1">
<tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>完成时限</th></tr>
<tr><td>1</td><td style="width: 6em">建设城市运行管理服务平台并接入各类数据</td><td>市大数据局</td><td>2023年底前</td></tr>
</table>
<p>注：各项任务均需各县（区）政府落实。</p>
"""


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"Chromium not installed at {CHROMIUM} (apt install chromium)"
)
def test_a_browser_printed_pdf_keeps_framed_boxes_as_text_and_a_table_as_rows(tmp_path):
    from playwright.sync_api import sync_playwright

    path = tmp_path / "printed.pdf"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.set_content(f"<html><body style='font-family: Noto Sans CJK SC'>{PRINTED}</body></html>")
        page.pdf(path=str(path))
        browser.close()
    lines = [line for line in read_source(path).lines if line.strip()]
    box = lines[1:-4]  # framed boxes of one column keep their printed lines: they are no table
    assert len(box) >= 3 and "".join(box) == "注意：本通知附表须逐项落实，按月报送。联系人：张三"
    assert [lines[0], *lines[-4:]] == [
        "某市人民政府办公室关于印发重点任务分工的通知",
        "重点任务分工表",
        "序号\t重点任务\t牵头单位\t完成时限",
        "1\t建设城市运行管理服务平台并接入各类数据\t市大数据局\t2023年底前",
        "注：各项任务均需各县（区）政府落实。",
    ]
