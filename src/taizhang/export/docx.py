"""A notice (通报) as a Word document in 公文 layout, after GB/T 9704 in spirit.

Order on the page: the issuing office's mark in red (发文机关标志), the 发文字号, a red line, the
title, the addressee line (主送机关), the body with numbered sections (一、二、, 黑体 headings)
and tables of tasks, the issuer and the date (2022年6月28日) right-aligned, then 附注
"(此件公开发布)" when the notice is public.

Fonts are the ones offices use: 方正小标宋简体 for the mark and title, 仿宋_GB2312 for text, 黑体
for headings, set as East Asian fonts (w:eastAsia). A machine without them falls back to the
standard Windows fonts named in the font table (w:altName: SimSun, FangSong, SimHei).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO, Protocol

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from ..services.notices import NoticeSection, chinese_date, chinese_numeral

RED = RGBColor(0xFF, 0x00, 0x00)
TITLE_FONT = "方正小标宋简体"  # 小标宋: the mark and the title
BODY_FONT = "仿宋_GB2312"  # 仿宋: the text
HEADING_FONT = "黑体"  # first-level headings 一、二、
LATIN_FONT = "Times New Roman"  # digits and Latin letters in the text
# What Word uses when an office font is missing (w:altName in the font table).
FALLBACKS = {TITLE_FONT: "SimSun", BODY_FONT: "FangSong", HEADING_FONT: "SimHei"}

MARK_SIZE = Pt(32)  # 发文机关标志: large; a 12-character mark still fits the 156 mm line
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(12)  # 小四: a table of tasks stays readable on A4
LINE_PITCH = Pt(29)  # 22 lines a page
TWO_CHARS = Pt(32)  # first-line indent of two 三号 characters
PUBLIC_NOTE = "(此件公开发布)"  # 附注, as the gazette prints it
TABLE_COLUMNS = ("序号", "任务", "责任单位", "完成时限", "状态")
TABLE_WIDTHS = (Mm(12), Mm(62), Mm(36), Mm(26), Mm(20))


class NoticeLike(Protocol):
    """What a notice gives the writer: a ``NoticeDraft`` or a stored ``Notice``."""

    @property
    def title(self) -> str: ...

    @property
    def as_of(self) -> date: ...

    @property
    def is_public(self) -> bool: ...

    @property
    def addressee(self) -> str: ...

    @property
    def opening(self) -> str: ...

    @property
    def sections(self) -> tuple[NoticeSection, ...]: ...


@dataclass(frozen=True)
class NoticeFile:
    """What was written: the path (None for a stream), the tables of tasks and their rows."""

    path: Path | None
    tables: int
    rows: int


# Runs and paragraphs ---------------------------------------------------------------------------


def set_font(
    run: Run,
    east_asian: str,
    size: Pt,
    *,
    bold: bool = False,
    colour: RGBColor | None = None,
    latin: str = LATIN_FONT,
) -> None:
    """Give a run its East Asian font (w:eastAsia), Latin font, size, weight and colour."""
    run.font.name = latin
    run.font.size = size
    run.font.bold = bold
    if colour is not None:
        run.font.color.rgb = colour
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)


def _paragraph(
    doc: DocxDocument,
    text: str,
    font: str,
    size: Pt,
    *,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
    bold: bool = False,
    colour: RGBColor | None = None,
    latin: str = LATIN_FONT,
) -> Paragraph:
    paragraph = doc.add_paragraph()
    form = paragraph.paragraph_format
    form.alignment = align
    form.space_before = form.space_after = Pt(0)
    form.line_spacing = max(
        LINE_PITCH, Pt(size.pt * 1.25)
    )  # an exact line no taller than the glyphs clips them
    if indent:
        form.first_line_indent = TWO_CHARS
        # Word measures the indent in characters too; both say two characters
        paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    set_font(paragraph.add_run(text), font, size, bold=bold, colour=colour, latin=latin)
    return paragraph


def _red_line(doc: DocxDocument) -> Paragraph:
    """The red separator under the 发文字号: a paragraph with a red bottom border."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "1"), ("w:color", "FF0000")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    # Word rejects a paragraph whose properties are out of schema order: pBdr comes before spacing
    paragraph._p.get_or_add_pPr().insert_element_before(
        borders,
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:kinsoku",
        "w:wordWrap",
        "w:overflowPunct",
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
    )
    return paragraph


# Tables ----------------------------------------------------------------------------------------


def _cell_text(cell_paragraph: Paragraph, text: str, *, header: bool) -> None:
    cell_paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER if header else None
    set_font(cell_paragraph.add_run(text), HEADING_FONT if header else BODY_FONT, TABLE_SIZE)


def _repeat_header(table: Table) -> None:
    """The header row repeats on every page the table runs over."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(flag)


def _task_table(doc: DocxDocument, section: NoticeSection) -> Table:
    table = doc.add_table(rows=1, cols=len(TABLE_COLUMNS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, name in zip(table.rows[0].cells, TABLE_COLUMNS, strict=True):
        _cell_text(cell.paragraphs[0], name, header=True)
    for number, row in enumerate(section.rows, start=1):
        values = (str(number), row.title, row.units, row.deadline, row.status)
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _cell_text(cell.paragraphs[0], value, header=False)
    for column, width in zip(table.columns, TABLE_WIDTHS, strict=True):
        for cell in column.cells:
            cell.width = width
    _repeat_header(table)
    return table


# The document ----------------------------------------------------------------------------------


def _page(doc: DocxDocument) -> None:
    """A4 with the 公文 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm."""
    page = doc.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.top_margin, page.bottom_margin = Mm(37), Mm(35)
    page.left_margin, page.right_margin = Mm(28), Mm(26)


def _font_fallbacks(doc: DocxDocument) -> None:
    """Name a standard font for each office font in the font table (w:altName)."""
    part = next((p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if not isinstance(part, Part):
        return
    fonts = parse_xml(part.blob)
    for name, fallback in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), fallback)
        font.append(alt)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(charset)
        fonts.append(font)
    # the template's font table is a plain part: python-docx keeps its bytes, so replace them
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_numbers(doc: DocxDocument) -> None:
    """页码 at the foot of each page, centred, as "— 1 —" in 宋体 四号."""
    footer = doc.sections[0].footer.paragraphs[0]
    footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(footer.add_run("— "), "宋体", PAGE_NUMBER_SIZE, latin="SimSun")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    number.append(text)
    field.append(number)
    footer._p.append(field)
    set_font(footer.add_run(" —"), "宋体", PAGE_NUMBER_SIZE, latin="SimSun")


def _head(doc: DocxDocument, notice: NoticeLike, mark: str, doc_number: str | None) -> None:
    """发文机关标志, 发文字号, red line, title, 主送机关."""
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(doc, mark, TITLE_FONT, MARK_SIZE, align=centre, colour=RED, latin=FALLBACKS[TITLE_FONT])
    if doc_number:
        number = _paragraph(doc, doc_number, BODY_FONT, BODY_SIZE, align=centre)
        number.paragraph_format.space_before = TWO_CHARS
    _red_line(doc)
    title = _paragraph(
        doc, notice.title, TITLE_FONT, TITLE_SIZE, align=centre, bold=True, latin=FALLBACKS[TITLE_FONT]
    )
    title.paragraph_format.space_before = title.paragraph_format.space_after = TWO_CHARS
    if notice.addressee:
        _paragraph(doc, notice.addressee, BODY_FONT, BODY_SIZE)


def _body(doc: DocxDocument, notice: NoticeLike) -> tuple[int, int]:
    """Opening, numbered sections and their tables; returns (tables, rows) written."""
    if notice.opening:
        _paragraph(doc, notice.opening, BODY_FONT, BODY_SIZE, indent=True)
    tables = rows = 0
    for n, section in enumerate(notice.sections, start=1):
        _paragraph(doc, f"{chinese_numeral(n)}、{section.heading}", HEADING_FONT, BODY_SIZE, indent=True)
        for text in section.paragraphs:
            _paragraph(doc, text, BODY_FONT, BODY_SIZE, indent=True)
        if section.rows:
            _task_table(doc, section)
            tables, rows = tables + 1, rows + len(section.rows)
    return tables, rows


def _signature(doc: DocxDocument, notice: NoticeLike, issuer: str) -> None:
    """Issuer and date right-aligned, then 附注 for a public notice."""
    right = WD_ALIGN_PARAGRAPH.RIGHT
    signed = _paragraph(doc, issuer, BODY_FONT, BODY_SIZE, align=right)
    signed.paragraph_format.space_before = TWO_CHARS * 2
    _paragraph(doc, chinese_date(notice.as_of), BODY_FONT, BODY_SIZE, align=right)
    if notice.is_public:
        note = _paragraph(doc, PUBLIC_NOTE, BODY_FONT, BODY_SIZE, indent=True)
        note.paragraph_format.space_before = LINE_PITCH


def write_notice_docx(
    draft_or_notice: NoticeLike,
    path: str | Path | BinaryIO,
    *,
    issuer: str,
    doc_number: str | None = None,
    mark: str | None = None,
) -> NoticeFile:
    """Write a notice to ``path`` (or a binary stream, for a web download) as a .docx in 公文 layout.

    ``issuer`` (发文机关: the deployment's ``issuer`` setting) heads and signs it; ``mark``
    (发文机关标志) defaults to the issuer followed by 文件.
    """
    doc = Document()
    _page(doc)
    _page_numbers(doc)
    _font_fallbacks(doc)
    _head(doc, draft_or_notice, mark or f"{issuer}文件", doc_number)
    tables, rows = _body(doc, draft_or_notice)
    _signature(doc, draft_or_notice, issuer)
    if isinstance(path, (str, Path)):
        doc.save(str(path))
        return NoticeFile(path=Path(path), tables=tables, rows=rows)
    doc.save(path)
    return NoticeFile(path=None, tables=tables, rows=rows)
