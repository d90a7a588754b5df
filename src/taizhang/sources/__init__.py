"""Read a file (.txt in UTF-8 or GB18030, .pdf with a text layer, .docx) into a SourceText.

This is the only package that touches PDF and Word libraries.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SourceError
from ..extract.spans import SourceText
from .glyphs import repair_radicals
from .reading import read_docx, read_pdf, read_text_bytes

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
        text = read_pdf(name, data)
    elif data[:2] == b"PK" or suffix == ".docx":
        text = read_docx(name, data)
    else:
        text = read_text_bytes(name, data)
    if not text.strip():
        raise SourceError(name, "no text could be read from the file")
    return SourceText.from_string(name, repair_radicals(text))
