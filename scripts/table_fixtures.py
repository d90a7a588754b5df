"""Regenerate the task-table fixtures in tests/fixtures/tables/ in every format an office receives.

Each fixture is one short document with a task table in another government's layout:

- ``national``: a State Council office 重点任务分工表 (序号 | 重点任务 | 牵头单位 | 参加单位 | 完成时限),
  long enough to break over a page, its header repeated there, a note adding 各地区 to every row;
- ``provincial``: a province's 整改清单 (序号 | 问题 | 整改目标 | 整改措施 | 责任单位 | 整改时限) with a
  问题 cell merged over two rows and '列第一位者为牵头单位' stated above it;
- ``city``: a city 台账 with a title row inside the table, 责任单位 merged over 牵头单位 | 配合单位,
  a 重点工作 cell merged over two rows and a note adding the counties to every row.

For each: NAME.docx (python-docx), NAME.pdf (LibreOffice converts the .docx), and two text
exports of the PDF as PDF-to-text tools print them, with wrapped rows over several lines:
NAME.aligned.txt (columns aligned with spaces, pages split by form feeds, pdfplumber's layout
mode) and NAME.tabs.txt (cells split by tabs, one printed line per line).

Run from a checkout: ``python scripts/table_fixtures.py``. LibreOffice (``soffice``) is needed
for the PDFs; without it only the .docx files are rewritten. The outputs are committed, so the
tests never need LibreOffice.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
import pdfplumber
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "tables"
FONT = "Noto Serif CJK SC"

NATIONAL_HEAD = [
    "国务院办公厅关于印发政务服务效能提升",
    "重点任务分工方案的通知",
    "国办函〔2023〕31号",
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
    "《政务服务效能提升重点任务分工方案》已经国务院同意，现印发给你们，请认真贯彻落实。",
    "国务院办公厅",
    "2023年6月12日",
    "（此件公开发布）",
    "政务服务效能提升重点任务分工方案",
    "为持续提升政务服务效能，更好满足企业和群众办事需求，现将重点任务分工如下。",
]
NATIONAL_ROWS = [
    ("序号", "重点任务", "牵头单位", "参加单位", "完成时限"),
    (
        "1",
        "推进高频政务服务事项“跨省通办”，实现企业和群众异地办事“一地办成”，逐步扩大通办事项范围",
        "国务院办公厅",
        "国家发展改革委、公安部、人力资源社会保障部、国家卫生健康委",
        "2023年12月底前",
    ),
    (
        "2",
        "健全政务服务事项基本目录动态管理机制，统一规范事项名称、编码、依据和办理要素",
        "国务院办公厅",
        "国务院有关部门",
        "2023年9月底前",
    ),
    (
        "3",
        "推动电子证照在就业、社保、医疗、教育等领域互通互认，扩大电子证照应用范围",
        "公安部",
        "国务院办公厅、人力资源社会保障部、教育部、国家医保局",
        "2024年6月底前",
    ),
    (
        "4",
        "完善政务服务“好差评”制度，建立差评问题整改反馈和督办机制，做到差评件件有整改、有回访",
        "国务院办公厅",
        "各省级人民政府",
        "长期坚持",
    ),
    (
        "5",
        "开展政务服务效能监测评估，定期通报评估结果，推动问题整改",
        "国务院办公厅",
        "国家发展改革委、国家统计局",
        "每季度",
    ),
    (
        "6",
        "推进惠企政策“免申即享”，通过数据共享主动甄别符合条件的企业，实现政策资金直达快享",
        "国家发展改革委、财政部",
        "市场监管总局、税务总局",
        "2023年底前",
    ),
    (
        "7",
        "优化涉企经营许可办理流程，压减审批环节、申请材料和办理时间，推行告知承诺制",
        "市场监管总局",
        "国务院有关部门",
        "2023年10月底前",
    ),
    (
        "8",
        "加强政务服务窗口人员业务培训和作风建设，建立健全窗口服务规范和考核评价制度",
        "人力资源社会保障部",
        "国务院办公厅",
        "2023年12月底前",
    ),
    (
        "9",
        "推动政务服务向基层延伸，提升乡镇（街道）便民服务中心和村（社区）便民服务站标准化水平",
        "民政部",
        "农业农村部、国务院办公厅",
        "2024年底前",
    ),
    (
        "10",
        "建立健全政务数据共享责任清单，完善数据共享异议处理和数据质量反馈机制",
        "国家数据局",
        "国务院办公厅、国家发展改革委",
        "2023年12月底前",
    ),
]
NATIONAL_NOTE = "注：表中各项任务，各地区均按职责分工负责。"

PROVINCIAL_HEAD = [
    "江西省人民政府办公厅关于印发中央生态环境保护督察",
    "反馈问题整改清单的通知",
    "赣府厅字〔2023〕45号",
    "各设区市人民政府，省政府各部门：",
    "现将《中央生态环境保护督察反馈问题整改清单》印发给你们，请抓好整改落实。",
    "江西省人民政府办公厅",
    "2023年5月8日",
    "（此件主动公开）",
    "中央生态环境保护督察反馈问题整改清单",
    "清单中责任单位列第一位者为牵头单位，下同。",
]
PROVINCIAL_ROWS = [
    ("序号", "问题", "整改目标", "整改措施", "责任单位", "整改时限"),
    (
        "1",
        "部分工业园区污水集中处理设施建设滞后，管网配套不完善",
        "园区污水应收尽收、达标排放",
        "完成园区污水管网排查，新建和改造管网，实现雨污分流",
        "省生态环境厅、省工业和信息化厅",
        "2023年12月底前",
    ),
    (
        "2",
        "长江岸线非法码头整治不彻底",
        "非法码头全部取缔并完成生态修复",
        "开展岸线利用项目清理整治“回头看”，对已取缔码头完成复绿",
        "省交通运输厅、省水利厅、省自然资源厅",
        "立行立改，长期坚持",
    ),
    (
        "3",
        "部分矿山生态修复进度滞后，历史遗留矿山治理任务重",
        "完成历史遗留矿山生态修复",
        "制定历史遗留矿山生态修复年度计划，逐矿落实修复责任",
        "省自然资源厅、省财政厅",
        "2024年6月底前",
    ),
    (
        "4",
        "",
        "",
        "建立矿山生态修复验收销号制度，修复一个、验收一个、销号一个",
        "省自然资源厅",
        "2023年9月底前",
    ),
    (
        "5",
        "农村生活污水治理率偏低，设施运维管理不到位",
        "农村生活污水治理率达到规划目标",
        "推进农村生活污水治理设施建设，建立运维管理长效机制",
        "省生态环境厅、省农业农村厅、省住房城乡建设厅",
        "2025年底前",
    ),
]
PROVINCIAL_MERGED = [((3, 1), (4, 1)), ((3, 2), (4, 2))]  # the 问题 and 整改目标 of rows 3 and 4
PROVINCIAL_NOTE = "注：以上任务各设区市人民政府均需落实。"

CITY_HEAD = [
    "固原市人民政府办公室关于印发2023年重点民生实事推进台账的通知",
    "固政办发〔2023〕12号",
    "各县（区）人民政府，市政府各部门、直属机构：",
    "现将《固原市2023年重点民生实事推进台账》印发给你们，请按照台账逐项推进。",
    "固原市人民政府办公室",
    "2023年2月20日",
    "（此件公开发布）",
]
CITY_TITLE = "固原市2023年重点民生实事推进台账"
CITY_HEADER = [
    ("序号", "重点工作", "具体措施", "责任单位", "", "完成时限"),
    ("", "", "", "牵头单位", "配合单位", ""),
]
CITY_ROWS = [
    (
        "1",
        "城乡供水保障",
        "实施农村供水管网改造工程，改造老旧供水管网120公里",
        "市水务局",
        "市财政局",
        "2023年10月底前",
    ),
    ("2", "", "建设城区二次供水加压泵站3座", "市住房城乡建设局", "市水务局", "2023年12月底前"),
    (
        "3",
        "教育优质均衡",
        "新建改扩建公办幼儿园5所，新增学位1500个",
        "市教育局",
        "市发展改革委、自然资源局",
        "2023年8月底前",
    ),
    (
        "4",
        "养老服务提升",
        "新建社区日间照料中心10个，为困难失能老年人提供居家上门服务",
        "市民政局",
        "市财政局、卫生健康委",
        "2023年11月底前",
    ),
    (
        "5",
        "就业创业",
        "城镇新增就业1.2万人，农村劳动力转移就业20万人",
        "市人力资源社会保障局",
        "市农业农村局",
        "全年",
    ),
]
CITY_NOTE = "注：各项任务均需各县（区）政府落实。"


def _font(document: docx.Document) -> None:
    style = document.styles["Normal"]
    style.font.size = Pt(11)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _footer_page_numbers(document: docx.Document) -> None:
    """'- N -' centred in the footer, as printed documents number their pages."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("- ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" -")


def _table(
    document: docx.Document, rows: list[tuple[str, ...]], header_rows: int, widths: tuple[float, ...]
) -> docx.table.Table:
    """A ruled table, header rows centred and repeated on each page, columns ``widths`` cm wide."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for index, values in enumerate(rows):
        for column, (cell, value) in enumerate(zip(table.rows[index].cells, values, strict=True)):
            cell.text = value
            cell.width = Cm(widths[column])
            if index < header_rows:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index in range(header_rows):
        flag = OxmlElement("w:tblHeader")  # repeat the header on every page the table runs onto
        flag.set(qn("w:val"), "true")
        table.rows[index]._tr.get_or_add_trPr().append(flag)
    return table


def _merge(table: docx.table.Table, first: tuple[int, int], last: tuple[int, int]) -> None:
    """Merge a block of cells, keeping the first cell's text only."""
    keep = table.cell(*first).text
    merged = table.cell(*first).merge(table.cell(*last))
    merged.text = keep


def national() -> docx.Document:
    document = docx.Document()
    _font(document)
    _footer_page_numbers(document)
    for line in NATIONAL_HEAD:
        document.add_paragraph(line)
    _table(document, NATIONAL_ROWS, 1, (1.2, 7.0, 2.8, 3.6, 2.4))
    document.add_paragraph(NATIONAL_NOTE)
    return document


def provincial() -> docx.Document:
    document = docx.Document()
    _font(document)
    _footer_page_numbers(document)
    for line in PROVINCIAL_HEAD:
        document.add_paragraph(line)
    table = _table(document, PROVINCIAL_ROWS, 1, (1.1, 3.4, 2.8, 4.2, 3.0, 2.5))
    for first, last in PROVINCIAL_MERGED:
        _merge(table, first, last)
    document.add_paragraph(PROVINCIAL_NOTE)
    return document


def city() -> docx.Document:
    document = docx.Document()
    _font(document)
    _footer_page_numbers(document)
    for line in CITY_HEAD:
        document.add_paragraph(line)
    rows = [(CITY_TITLE, "", "", "", "", ""), *CITY_HEADER, *CITY_ROWS]
    table = _table(document, rows, 3, (1.1, 2.2, 5.4, 2.8, 2.6, 2.4))
    _merge(table, (0, 0), (0, 5))  # the title row across the table
    _merge(table, (1, 3), (1, 4))  # 责任单位 over 牵头单位 | 配合单位
    for column in (0, 1, 2, 5):
        _merge(table, (1, column), (2, column))
    _merge(table, (3, 1), (4, 1))  # 城乡供水保障 over two rows
    document.add_paragraph(CITY_NOTE)
    return document


def _aligned_text(pdf_path: Path) -> str:
    """The PDF as a layout-keeping PDF-to-text tool prints it: columns aligned with spaces."""
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            lines = [line.rstrip() for line in page.extract_text(layout=True).split("\n")]
            while lines and not lines[0]:
                lines.pop(0)
            while lines and not lines[-1]:
                lines.pop()
            pages.append("\n".join(_squeeze_blank(lines)))
    return "\n\f".join(pages) + "\n"


def _squeeze_blank(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return out


def _tab_text(pdf_path: Path) -> str:
    """The PDF as a table-aware PDF-to-text tool prints it: one printed line per line, cells split
    by tabs, a cell's wrapped lines on the lines below with the other cells empty."""
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            placed: list[tuple[float, str]] = []
            tables = page.find_tables()
            for table in tables:
                for row, cells in zip(table.rows, table.extract(), strict=True):
                    split = [(c or "").split("\n") for c in cells]
                    for k in range(max(len(s) for s in split)):
                        placed.append((row.bbox[1] + k, "\t".join(s[k] if k < len(s) else "" for s in split)))
            boxes = [t.bbox for t in tables]

            def outside(obj: dict, boxes: list = boxes) -> bool:
                x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                return obj.get("object_type") != "char" or not any(
                    b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes
                )

            for line in page.filter(outside).extract_text_lines():
                placed.append((line["top"], line["text"]))
            pages.append("\n".join(text for _, text in sorted(placed, key=lambda p: p[0])))
    return "\n\n".join(pages) + "\n"


def main() -> None:
    """Write every fixture; convert to PDF and text when LibreOffice is installed."""
    OUT.mkdir(parents=True, exist_ok=True)
    soffice = shutil.which("soffice")
    for name, build in (("national", national), ("provincial", provincial), ("city", city)):
        path = OUT / f"{name}.docx"
        build().save(path)
        if soffice is None:
            print(f"{path.name}: written; soffice not found, PDF and text left as they are", file=sys.stderr)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [soffice, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(path)],
                check=True,
                capture_output=True,
                timeout=120,
            )
            shutil.copy(Path(tmp) / f"{name}.pdf", OUT / f"{name}.pdf")
        pdf = OUT / f"{name}.pdf"
        (OUT / f"{name}.aligned.txt").write_text(_aligned_text(pdf), encoding="utf-8")
        (OUT / f"{name}.tabs.txt").write_text(_tab_text(pdf), encoding="utf-8")
        print(f"{name}: docx, pdf ({pdf.stat().st_size // 1024} KB), aligned.txt, tabs.txt")


if __name__ == "__main__":
    main()
