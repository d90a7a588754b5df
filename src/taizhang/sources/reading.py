"""Decoders for each kind of file; each returns plain text or raises SourceError."""

from __future__ import annotations

import io
import logging
import zipfile

from ..errors import SourceError

log = logging.getLogger(__name__)

# Share of characters that must be CJK ideographs or common punctuation for a decoding to be
# believed; a wrong codec yields mojibake or many replacement characters.
_MIN_PLAUSIBLE = 0.3


def read_text_bytes(name: str, data: bytes) -> str:
    """Decode a text file: UTF-8 (with or without BOM), then GB18030 (a superset of GBK and GB2312)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise SourceError(name, "looks like a binary file, not text, PDF or DOCX")
    for codec in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text
    raise SourceError(name, "cannot decode the text as UTF-8 or GB18030/GBK")


def _plausible(text: str) -> bool:
    sample = [c for c in text[:20000] if not c.isspace()]
    if not sample:
        return False
    good = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff" or c.isascii() or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    return good / len(sample) >= _MIN_PLAUSIBLE


def read_pdf(name: str, data: bytes) -> str:
    """Text of every page of a PDF, pages joined by blank lines, like the gazette's own text export."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(name, f"broken PDF ({exc.__class__.__name__})") from exc
    except Exception as exc:  # pdfminer raises many private error types on damaged files
        raise SourceError(name, f"broken PDF ({exc.__class__.__name__}: {exc})") from exc
    if not any(p.strip() for p in pages):
        raise SourceError(name, f"PDF has no text layer ({len(pages)} pages of images?): run OCR first")
    return "\n\n".join(pages)


def read_docx(name: str, data: bytes) -> str:
    """Paragraphs and table rows of a DOCX; table cells are joined by tabs, as in the gazette text."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SourceError(name, f"broken DOCX ({exc.__class__.__name__})") from exc
    except Exception as exc:  # python-docx wraps lxml and zip errors in several types
        raise SourceError(name, f"broken DOCX ({exc.__class__.__name__}: {exc})") from exc
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
            lines.append("")
        elif tag == "tbl":
            table = docx.table.Table(child, document)
            for row in table.rows:
                lines.append("\t".join(cell.text.replace("\n", " ") for cell in row.cells))
            lines.append("")
    return "\n".join(lines)
