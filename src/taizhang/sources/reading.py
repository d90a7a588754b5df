"""Decoding a text file: UTF-8 or GB18030, with a check that the result is plausible text."""

from __future__ import annotations

import logging

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
