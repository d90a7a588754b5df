"""Reading every kind of file a supervision office receives: text in two encodings, DOCX, PDF."""

from __future__ import annotations

import zlib
from pathlib import Path

import docx
import pytest

from taizhang.errors import SourceError
from taizhang.extract import extract
from taizhang.sources import read_source
from tests.utils.pdf_writer import pdf_file

CHROMIUM = Path("/usr/bin/chromium")

DOCUMENT = """中卫市人民政府办公室
关于印发测试工作方案的通知

卫政办发〔2022〕99号

各县(区)人民政府,市政府各部门、直属机构:

现将《测试工作方案》印发给你们,请认真抓好贯彻落实。

中卫市人民政府办公室
2022年5月6日

(此件公开发布)

测试工作方案

一、主要任务

(一)建立工作台账。对全市项目建立台账,逐一落实整改。

牵头单位:市发展和改革委员会

责任单位:各县(区)人民政府

完成时限:2022年6月底前
"""


def _check_document(source) -> None:
    result = extract(source)
    assert [d.doc_number for d in result.documents] == ["卫政办发〔2022〕99号"]
    (task,) = result.tasks
    assert (task.lead, task.responsible, task.deadline.due.isoformat()) == (
        ("市发展和改革委员会",),
        ("各县(区)人民政府",),
        "2022-06-30",
    )


def test_utf8_with_and_without_bom_read_the_same(tmp_path):
    plain, bom = tmp_path / "a.txt", tmp_path / "b.txt"
    plain.write_text(DOCUMENT, encoding="utf-8")
    bom.write_bytes(b"\xef\xbb\xbf" + DOCUMENT.encode("utf-8"))
    assert read_source(plain).lines == read_source(bom).lines
    _check_document(read_source(bom))


def test_gb18030_and_windows_line_ends_read_like_utf8(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(DOCUMENT.replace("\n", "\r\n").encode("gb18030"))
    source = read_source(path)
    assert source.lines == tuple(DOCUMENT.rstrip("\n").split("\n"))
    _check_document(source)


def test_docx_paragraphs_and_tables_become_lines(tmp_path):
    path = tmp_path / "doc.docx"
    document = docx.Document()
    for line in DOCUMENT.split("\n"):
        if line:
            document.add_paragraph(line)
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(
        table.rows, [("序号", "任务", "完成时限"), ("1", "建立台账", "2022年6月底前")], strict=True
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.save(path)
    source = read_source(path)
    assert "1\t建立台账\t2022年6月底前" in source.lines
    _check_document(source)


def _pdf_without_text() -> bytes:
    """A one-page PDF that draws a line and holds no text, like a scan without OCR."""
    content = zlib.compress(b"0 0 m 200 200 l S")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    return pdf_file(objects)


def test_pdf_without_a_text_layer_is_refused_with_the_reason(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf_without_text())
    with pytest.raises(SourceError, match=r"scan\.pdf: PDF 没有文字层"):
        read_source(path)


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"Chromium not installed at {CHROMIUM} (apt install chromium)"
)
def test_pdf_with_a_text_layer_is_read(tmp_path):
    from playwright.sync_api import sync_playwright

    html = "".join(f"<p>{line}</p>" if line else "" for line in DOCUMENT.split("\n"))
    path = tmp_path / "printed.pdf"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.set_content(f"<html><body style='font-family: Noto Sans CJK SC'>{html}</body></html>")
        page.pdf(path=str(path))
        browser.close()
    _check_document(read_source(path))


@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("empty.txt", b"", "文件是空的"),
        ("blank.txt", b" \n\t\n", "文件是空的"),
        ("binary.txt", b"\x00\x01\x02" * 100, "二进制文件"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "DOCX 文件已损坏"),
        ("broken.pdf", b"%PDF-1.4\nno objects here", "PDF 文件已损坏"),
    ],
)
def test_unusable_files_raise_one_error_naming_the_file(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SourceError, match=reason) as caught:
        read_source(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_missing_file_and_directory_are_named(tmp_path):
    with pytest.raises(SourceError, match="文件不存在"):
        read_source(tmp_path / "nope.txt")
    with pytest.raises(SourceError, match="这是一个目录"):
        read_source(tmp_path)


def test_radicals_from_pdf_fonts_become_ideographs(tmp_path):
    # pdf text layers often carry ⼈ (U+2F08) and ⺠ (U+2EE0) for 人 and 民
    path = tmp_path / "radicals.txt"
    path.write_text(
        DOCUMENT.replace("人民", "⼈⺠").replace("门", "⻔").replace("工作", "⼯作"), encoding="utf-8"
    )
    assert read_source(path).lines == tuple(DOCUMENT.rstrip("\n").split("\n"))
