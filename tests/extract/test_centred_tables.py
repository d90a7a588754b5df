"""A task table whose cells are centred in their rows, as many provincial offices print them.

The 序号 of a tall row stands on its middle line, so the first lines of the row's other cells
come before it: a reader that opened a row at each number hung them on the row above. The same
table is read from a PDF (drawn here with every rule, with rules between rows only, and with no
rule at all), from a Word file, from pdfplumber's layout text of the unruled PDF (whose centred
cells fall between the task's lines) and from a plainer PDF-to-text export; all give the same
tasks with the same units.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from taizhang.extract import extract
from taizhang.sources import read_source
from tests.utils.pdf_writer import Page, draw_table, write_pdf

TABLES = Path(__file__).resolve().parents[1] / "fixtures" / "tables"

HEAD = [
    "某省人民政府办公厅关于印发数字政府建设重点任务分工方案的通知",
    "某政办字〔2024〕18号",
    "各市人民政府，省政府各部门、各直属机构：",
    "现将《数字政府建设重点任务分工方案》印发给你们，请认真组织实施。",
]
ROWS = [
    ("序号", "重点任务", "牵头单位", "配合单位", "完成时限"),
    (
        "1",
        "推进高频政务服务事项跨省通办，实现企业和群众异地办事一地办成，逐步扩大通办事项范围",
        "省政务服务管理办公室",
        "省发展改革委、省公安厅、省人力资源社会保障厅、省卫生健康委",
        "2024年12月底前",
    ),
    ("2", "健全政务服务事项基本目录动态管理机制", "省政务服务管理办公室", "省直有关部门", "2024年6月底前"),
    (
        "3",
        "推动电子证照在就业、社保、医疗、教育等领域互通互认，扩大电子证照应用范围，推行一证通办",
        "省公安厅",
        "省政务服务管理办公室、省人力资源社会保障厅、省教育厅、省医保局",
        "长期坚持",
    ),
    ("4", "开展政务服务效能监测评估，定期通报评估结果", "省政务服务管理办公室", "省统计局", "每季度末"),
    (
        "5",
        "建设全省一体化公共数据平台，完善数据共享责任清单和异议处理机制，提升数据质量",
        "省大数据局",
        "省委网信办、省发展改革委、省财政厅",
        "2025年底前",
    ),
]
EXPECTED = [
    (label, task, (lead,), tuple(coop.split("、")), deadline)
    for label, task, lead, coop, deadline in ROWS[1:]
]


def _tasks(path: Path) -> list[tuple]:
    extraction = extract(read_source(path))
    assert len(extraction.documents) == 1
    assert not [f for f in extraction.flags if f.kind == "unreadable_table"]
    return [(t.label, t.title, t.lead, t.cooperating, t.deadline_text) for t in extraction.tasks]


def _pdf(ruled: str) -> bytes:
    page = Page()
    top = 40.0
    for line in HEAD:
        page.text(40, top, line, 10)
        top += 20
    bottom = draw_table(page, top + 10, [3, 16, 6, 8, 5], ROWS, ruled=ruled, centred=True)
    page.text(40, bottom + 14, "各市人民政府要结合实际抓好落实。", 10)
    return write_pdf([page])


@pytest.mark.parametrize("ruled", ["grid", "rows", "none"])
def test_a_pdf_table_with_centred_cells_gives_every_task_with_its_units(tmp_path, ruled):
    path = tmp_path / f"centred-{ruled}.pdf"
    path.write_bytes(_pdf(ruled))
    assert _tasks(path) == EXPECTED


def test_the_pdf_without_rules_keeps_its_text_around_the_table(tmp_path):
    path = tmp_path / "centred.pdf"
    path.write_bytes(_pdf("none"))
    lines = [line for line in read_source(path).lines if line.strip()]
    assert lines[:4] == HEAD
    assert lines[4].split("\t") == list(ROWS[0])
    assert lines[-1] == "各市人民政府要结合实际抓好落实。"


def test_a_word_file_of_the_same_table_gives_the_same_tasks(tmp_path):
    document = docx.Document()
    for line in HEAD:
        document.add_paragraph(line)
    table = document.add_table(rows=len(ROWS), cols=len(ROWS[0]))
    for row, cells in zip(table.rows, ROWS, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    path = tmp_path / "centred.docx"
    document.save(path)
    assert _tasks(path) == EXPECTED


@pytest.mark.parametrize("name", ["centred.layout.txt", "centred.pdftotext.txt"])
def test_text_exports_of_the_centred_table_keep_rows_apart(name):
    # layout.txt: pdfplumber's layout text of the unruled PDF, the centred unit and deadline cells
    # printed on lines between the task's lines; pdftotext.txt: a plainer export, the number and
    # the short cells on the middle line of each row
    assert _tasks(TABLES / name) == EXPECTED


def test_a_table_whose_numbers_hang_from_the_top_is_read_as_before(tmp_path):
    path = tmp_path / "top.pdf"
    page = Page()
    top = 40.0
    for line in HEAD:
        page.text(40, top, line, 10)
        top += 20
    draw_table(page, top + 10, [3, 16, 6, 8, 5], ROWS, ruled="none", centred=False)
    path.write_bytes(write_pdf([page]))
    assert _tasks(path) == EXPECTED


@pytest.mark.parametrize("ruled", ["grid", "rows", "none"])
def test_a_centred_table_over_two_pages_with_its_header_repeated_gives_every_task(tmp_path, ruled):
    first = Page()
    top = 40.0
    for line in HEAD:
        first.text(40, top, line, 10)
        top += 20
    draw_table(first, top + 10, [3, 16, 6, 8, 5], ROWS[:4], ruled=ruled)
    second = Page()
    draw_table(second, 40, [3, 16, 6, 8, 5], [ROWS[0], *ROWS[4:]], ruled=ruled)
    path = tmp_path / f"two-pages-{ruled}.pdf"
    path.write_bytes(write_pdf([first, second]))
    assert _tasks(path) == EXPECTED
