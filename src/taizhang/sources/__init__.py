"""Read a file (.txt in UTF-8 or GB18030, .pdf with a text layer, .docx, .ofd; .doc and .wps through
LibreOffice when installed) into a SourceText.

This is the only package that touches PDF and Word libraries. Tables of PDF and Word files come
out as one line per row, cells joined by tabs (``pdf_reader``, ``docx_reader``); the pages of a
PDF, or of a text with form feeds (pdftotext), are recorded so that every line keeps its page,
and their running heads and page numbers are blanked (``extract.page_meta``).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..errors import SourceError
from ..extract.page_meta import blank_page_furniture
from ..extract.spans import SourceText
from .docx_reader import read_docx
from .normalise import normalise
from .ofd_reader import read_ofd
from .office_convert import to_docx
from .pdf_reader import read_pdf
from .reading import read_text_bytes

__all__ = ["read_source"]

# Word 97–2003 (.doc) and WPS files are OLE compound files: converted by LibreOffice (office_convert)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLD_OFFICE_SUFFIXES = (".doc", ".wps", ".et", ".xls")


def read_source(path: str | Path) -> SourceText:
    """Read ``path`` as a gazette text.

    Raises:
        SourceError: the file is missing, empty, unreadable, or a PDF without a text layer.
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise SourceError(name, "文件不存在")
    if path.is_dir():
        raise SourceError(name, "这是一个目录，不是文件")
    data = path.read_bytes()
    if not data.strip():
        raise SourceError(name, "文件是空的")
    suffix = path.suffix.lower()
    if data[:8] == OLE_MAGIC or suffix in OLD_OFFICE_SUFFIXES:
        data, suffix = to_docx(name, data, suffix), ".docx"
    if data[:5] == b"%PDF-" or suffix == ".pdf" or suffix == ".ofd" or _is_ofd(data):
        paged = read_pdf(name, data) if data[:5] == b"%PDF-" or suffix == ".pdf" else read_ofd(name, data)
        return SourceText.from_string(name, normalise(paged.text), page_starts=paged.page_starts)
    if data[:2] == b"PK" or suffix == ".docx":
        text = read_docx(name, data)
    else:
        text = read_text_bytes(name, data)
    if not text.strip():
        raise SourceError(name, "文件中读不出文字")
    if "\f" in text:
        return _paged_text(name, text)
    return SourceText.from_string(name, normalise(text))


def _is_ofd(data: bytes) -> bool:
    """A zip package whose root part is OFD.xml (an OFD file whatever its name)."""
    if data[:2] != b"PK":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "OFD.xml" in package.namelist()
    except zipfile.BadZipFile:
        return False


def _paged_text(name: str, text: str) -> SourceText:
    """A text with form feeds between its pages (as pdftotext writes it): pages recorded, running
    heads and page numbers blanked, every line keeping the number an editor gives it."""
    raw = SourceText.from_string(name, text).lines
    # a form feed opens a page; the one closing the file opens none
    last = len(raw) if raw[-1].strip("\f \t") else len(raw) - 1
    starts = (1, *(n for n, line in enumerate(raw, 1) if 1 < n <= last and line.startswith("\f")))
    lines = list(SourceText.from_string(name, normalise(text)).lines)
    return SourceText(name=name, lines=tuple(blank_page_furniture(lines, starts)), page_starts=starts)
