"""OFD files read like PDF (pages, source lines, clean errors); .doc/.wps through LibreOffice or a hint."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from taizhang.errors import SourceError
from taizhang.extract import extract
from taizhang.sources import office_convert, read_source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ofd"
NOTICE = FIXTURES / "notice.ofd"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _load_maker():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_ofd", FIXTURES / "make_ofd.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_fixture_is_what_its_script_writes():
    assert NOTICE.read_bytes() == _load_maker().ofd_bytes(_load_maker().PAGES)


def test_an_ofd_reads_line_by_line_with_its_pages():
    source = read_source(NOTICE)
    maker = _load_maker()
    first, second = maker.PAGES
    assert source.page_starts == (1, len(first) + 2)
    assert list(source.lines) == [*first, "", *second]
    # runs written in two pieces and stored bottom line first come out as whole lines in order
    assert source.lines[4] == "现将《测试工作方案》印发给你们,请认真抓好贯彻落实。"


def test_an_ofd_gives_the_same_extraction_as_its_text(tmp_path):
    as_text = tmp_path / "notice.txt"
    as_text.write_text("\n".join(read_source(NOTICE).lines), encoding="utf-8")
    from_ofd, from_text = extract(read_source(NOTICE)), extract(read_source(as_text))
    assert [d.doc_number for d in from_ofd.documents] == ["卫政办发〔2022〕99号"]
    task = from_ofd.tasks[0]
    assert (task.line, task.deadline.due) == (from_text.tasks[0].line, from_text.tasks[0].deadline.due)
    assert str(task.deadline.due) == "2022-06-30"


def test_an_ofd_is_known_by_its_content_whatever_its_name(tmp_path):
    renamed = tmp_path / "notice.bin"
    renamed.write_bytes(NOTICE.read_bytes())
    assert read_source(renamed).lines == read_source(NOTICE).lines


def _damaged(drop: str | None = None, replace: tuple[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(NOTICE) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.namelist():
            if item == drop:
                continue
            data = replace[1] if replace and replace[0] == item else source.read(item)
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (NOTICE.read_bytes()[:300], "OFD 文件已损坏（不是完整的 OFD 压缩包）"),
        (_damaged(drop="Doc_0/Pages/Page_1/Content.xml"), "OFD 文件缺少 Doc_0/Pages/Page_1/Content.xml"),
        (
            _damaged(replace=("Doc_0/Document.xml", b"<ofd:Document")),
            "Doc_0/Document.xml 第 1 行不是合法的 XML",
        ),
        (_damaged(replace=("Doc_0/Document.xml", b"<Document/>")), "OFD 文件中没有页面"),
        (
            _damaged(replace=("Doc_0/Pages/Page_0/Content.xml", b'<!DOCTYPE x [<!ENTITY a "aa">]><Page/>')),
            "不允许的实体声明",
        ),
        (
            _damaged(
                replace=("Doc_0/Pages/Page_0/Content.xml", b'<Page><TextObject Boundary="a b"/></Page>')
            ),
            "文字位置不是数字",
        ),
    ],
)
def test_a_damaged_ofd_is_one_chinese_error_naming_the_file(tmp_path, data, reason):
    path = tmp_path / "损坏.ofd"
    path.write_bytes(data)
    with pytest.raises(SourceError, match=reason) as caught:
        read_source(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_an_ofd_of_images_only_asks_for_ocr(tmp_path):
    path = tmp_path / "scan.ofd"
    path.write_bytes(_load_maker().ofd_bytes([[], []]))
    with pytest.raises(SourceError, match="2 页可能都是图片"):
        read_source(path)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("通知.doc", OLE + b"\x00" * 200),
        ("renamed.txt", OLE + b"\x00" * 200),
        ("方案.wps", b"\xd0\xcf\x11\xe0" + b"\x01" * 200),
    ],
)
def test_without_libreoffice_an_old_word_file_gets_the_hint(tmp_path, monkeypatch, name, data):
    monkeypatch.setattr(office_convert.shutil, "which", lambda _: None)
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SourceError, match=r"旧版 Word（\.doc）或 WPS.*另存为 \.docx 或 PDF") as caught:
        read_source(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


@pytest.mark.skipif(office_convert.soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_with_libreoffice_a_doc_is_converted_and_read(tmp_path):
    document = docx.Document()
    for line in _load_maker().PAGES[1]:
        document.add_paragraph(line)
    as_docx = tmp_path / "plan.docx"
    document.save(as_docx)
    import subprocess

    subprocess.run(
        [
            office_convert.soffice(),
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(as_docx),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    source = read_source(tmp_path / "plan.doc")
    assert "完成时限:2022年6月底前" in source.lines


@pytest.mark.skipif(office_convert.soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_with_libreoffice_a_broken_doc_is_one_chinese_error(tmp_path):
    path = tmp_path / "broken.doc"
    path.write_bytes(OLE + b"\x00" * 200)
    with pytest.raises(SourceError, match="另存为 .docx"):
        read_source(path)
