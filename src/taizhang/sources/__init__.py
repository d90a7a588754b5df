"""Read a file (.txt in UTF-8 or GB18030, .pdf with a text layer, .docx) into a SourceText.

This is the only package that touches PDF and Word libraries. Tables of PDF and Word files come
out as one line per row, cells joined by tabs (``pdf_reader``, ``docx_reader``); a PDF's pages
are recorded so that every line keeps its page.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SourceError
from ..extract.spans import SourceText
from .docx_reader import read_docx
from .normalise import normalise
from .pdf_reader import read_pdf
from .reading import read_text_bytes

__all__ = ["read_source"]


def read_source(path: str | Path) -> SourceText:
    """Read ``path`` as a gazette text.

    Raises:
        SourceError: the file is missing, empty, unreadable, or a PDF without a text layer.
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise SourceError(name, "no such file")
    if path.is_dir():
        raise SourceError(name, "is a directory, not a file")
    data = path.read_bytes()
    if not data.strip():
        raise SourceError(name, "the file is empty")
    suffix = path.suffix.lower()
    if data[:5] == b"%PDF-" or suffix == ".pdf":
        pdf = read_pdf(name, data)
        return SourceText.from_string(name, normalise(pdf.text), page_starts=pdf.page_starts)
    if data[:2] == b"PK" or suffix == ".docx":
        text = read_docx(name, data)
    else:
        text = read_text_bytes(name, data)
    if not text.strip():
        raise SourceError(name, "no text could be read from the file")
    return SourceText.from_string(name, normalise(text))
