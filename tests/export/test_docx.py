"""The notice in 公文 layout: re-opened with python-docx, element by element, in order."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from taizhang.export.docx import write_notice_docx
from taizhang.extract.units import default_directory
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import store_extraction
from taizhang.services.notices import draft_progress_notice, get_notice, publish_notice
from taizhang.sources import read_source
from tests.conftest import GAZETTE
from tests.utils.extraction_from_gold import gold_extraction

AS_OF = date(2022, 6, 28)
NUMBER = "卫政办督〔2022〕7号"
ISSUER = "中卫市人民政府办公室"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('docx') / 'ledger.db'}")
    with unit_of_work(engine) as conn:
        store_extraction(conn, read_source(GAZETTE), gold_extraction(), directory=default_directory("中卫市"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def draft(engine):
    with engine.connect() as conn:
        return replace(draft_progress_notice(conn, as_of=AS_OF), is_public=True)


@pytest.fixture(scope="module")
def written(draft, tmp_path_factory):
    path = tmp_path_factory.mktemp("out") / "notice.docx"
    result = write_notice_docx(draft, path, issuer=ISSUER, doc_number=NUMBER)
    assert (
        result.path == path and result.tables == 2 and result.rows == len(draft.overdue) + len(draft.due_soon)
    )
    return Document(str(path))


def blocks(doc) -> list:
    """Paragraphs and tables in the order they stand in the body."""
    found = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            found.append(Paragraph(child, doc))
        elif child.tag == qn("w:tbl"):
            found.append(Table(child, doc))
    return found


def east_asian(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_elements_stand_in_gbt_9704_order(written, draft):
    texts = [b.text if isinstance(b, Paragraph) else "<table>" for b in blocks(written)]
    assert texts[:7] == [
        "中卫市人民政府办公室文件",
        NUMBER,
        "",
        draft.title,
        draft.addressee,
        draft.opening,
        "一、总体情况",
    ]
    assert texts[-3:] == ["中卫市人民政府办公室", "2022年6月28日", "(此件公开发布)"]
    red = texts.index("二、逾期未完成事项（红灯）")
    assert texts[red + 2] == "<table>" and texts[red + 3] == "三、即将到期事项（黄灯）"
    headings = [t for t in texts if t[:2] in {f"{n}、" for n in "一二三四五六七八九"}]
    assert headings == [
        f"{n}、{s.heading}" for n, s in zip("一二三四五六七八九", draft.sections, strict=False)
    ]


def test_header_is_red_large_centred_over_a_red_line(written):
    mark, number, line = written.paragraphs[:3]
    run = mark.runs[0]
    assert run.font.color.rgb == RGBColor(0xFF, 0x00, 0x00) and run.font.size >= Pt(26)
    assert mark.alignment == WD_ALIGN_PARAGRAPH.CENTER and number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asian(run) == "方正小标宋简体"
    bottom = line._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000" and bottom.get(qn("w:val")) == "single"


def test_title_is_bold_xiaobiaosong_with_simsun_fallback(written, draft):
    title = written.paragraphs[3]
    run = title.runs[0]
    assert title.text == draft.title and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert run.font.bold and run.font.size == Pt(22) and east_asian(run) == "方正小标宋简体"
    assert run.font.name == "SimSun"  # Latin letters and digits in the title
    fonts = next(
        p for p in written.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"
    ).blob
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="SimSun"/>'.encode() in fonts
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="FangSong"/>'.encode() in fonts


def test_body_is_fangsong_sanhao_indented_two_characters(written, draft):
    body = [p for p in written.paragraphs if p.text in (draft.opening, *draft.sections[0].paragraphs)]
    assert len(body) == 2
    for p in body:
        run = p.runs[0]
        assert east_asian(run) == "仿宋_GB2312" and run.font.size == Pt(16)
        assert p.paragraph_format.first_line_indent == Pt(32)
        assert p._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    addressee = written.paragraphs[4]
    assert (
        addressee.paragraph_format.first_line_indent is None
        and east_asian(addressee.runs[0]) == "仿宋_GB2312"
    )
    headings = [p for p in written.paragraphs if p.text.startswith(("一、", "二、"))]
    assert [east_asian(p.runs[0]) for p in headings] == ["黑体", "黑体"]


def test_overdue_table_has_the_notice_rows(written, draft):
    table = written.tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["序号", "任务", "责任单位", "完成时限", "状态"]
    assert cells[1:] == [
        [str(n), r.title, r.units, r.deadline, r.status] for n, r in enumerate(draft.overdue, start=1)
    ]
    assert cells[1][2:4] == ["市发展改革委、市工业和信息化局、市生态环境局", "2022年3月31日"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
    assert east_asian(table.rows[0].cells[0].paragraphs[0].runs[0]) == "黑体"


def test_signature_right_aligned_and_page_margins(written):
    issuer, day = written.paragraphs[-3:-1]
    assert (issuer.alignment, day.alignment) == (WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.RIGHT)
    page = written.sections[0]
    # Word stores twentieths of a point: millimetres come back rounded
    sizes = (
        page.page_width,
        page.page_height,
        page.top_margin,
        page.bottom_margin,
        page.left_margin,
        page.right_margin,
    )
    assert [round(size.mm) for size in sizes] == [210, 297, 37, 35, 28, 26]


def test_internal_notice_has_no_note_and_no_number(draft, tmp_path):
    path = tmp_path / "internal.docx"
    write_notice_docx(replace(draft, is_public=False), path, issuer="中卫市人民政府督查室")
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:2] == ["中卫市人民政府督查室文件", ""] and texts[-2:] == [
        "中卫市人民政府督查室",
        "2022年6月28日",
    ]
    assert "(此件公开发布)" not in texts


def test_a_stored_notice_writes_the_same_document(engine, draft, tmp_path):
    with unit_of_work(engine) as conn:
        notice_id = publish_notice(conn, "dcs", draft, is_public=True)
    with engine.connect() as conn:
        stored = get_notice(conn, notice_id)
    write_notice_docx(draft, tmp_path / "draft.docx", issuer=ISSUER, doc_number=NUMBER)
    write_notice_docx(stored, tmp_path / "stored.docx", issuer=ISSUER, doc_number=NUMBER)
    shown = [
        [
            b.text if isinstance(b, Paragraph) else [[c.text for c in r.cells] for r in b.rows]
            for b in blocks(Document(str(tmp_path / name)))
        ]
        for name in ("draft.docx", "stored.docx")
    ]
    assert shown[0] == shown[1]


def test_a_stream_receives_the_same_document(draft, tmp_path):
    stream = io.BytesIO()
    result = write_notice_docx(draft, stream, issuer=ISSUER)
    assert result.path is None and result.tables == 2
    stream.seek(0)
    texts = [p.text for p in Document(stream).paragraphs]
    assert texts[0] == "中卫市人民政府办公室文件" and texts[-1] == "(此件公开发布)"


def test_pages_are_numbered_at_the_foot(written):
    footer = written.sections[0].footer.paragraphs[0]
    fields = footer._p.findall(qn("w:fldSimple"))
    assert [f.get(qn("w:instr")) for f in fields] == ["PAGE"]
    assert footer.alignment == WD_ALIGN_PARAGRAPH.CENTER and footer.text.startswith("— ")


def test_paragraph_properties_keep_schema_order(written):
    # Word refuses to open a file whose pPr children are out of the order the schema gives
    order = ["w:pStyle", "w:keepNext", "w:pBdr", "w:spacing", "w:ind", "w:jc"]
    for paragraph in written.paragraphs:
        if paragraph._p.pPr is None:
            continue
        tags = [child.tag for child in paragraph._p.pPr.iterchildren()]
        known = [tag for tag in (qn(name) for name in order) if tag in tags]
        assert [tag for tag in tags if tag in known] == known
