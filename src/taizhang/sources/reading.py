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
        return _read_utf16(name, data)
    if b"\x00" in data[:4096]:
        raise SourceError(name, "看来是二进制文件，不是文本、PDF 或 DOCX")
    for codec in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text
    raise SourceError(name, "无法按 UTF-8 或 GB18030/GBK 解码文字")


def _read_utf16(name: str, data: bytes) -> str:
    """Decode a file that starts with a UTF-16 byte-order mark; damage is named by line and byte."""
    codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
    body = data[2:]
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        good = body[: exc.start - exc.start % 2].decode(codec, errors="replace")
        line = good.count("\n") + 1
        if exc.reason == "truncated data":
            problem = "文件以 UTF-16 字节顺序标记开头，但字节数为奇数，末尾被截断"
        else:
            problem = "UTF-16 文字损坏（代理项不成对）"
        raise SourceError(name, f"第 {line} 行（第 {exc.start + 3} 字节）：{problem}，无法读取") from None


def _plausible(text: str) -> bool:
    sample = [c for c in text[:20000] if not c.isspace()]
    if not sample:
        return False
    good = sum(
        1
        for c in sample
        if "\u4e00" <= c <= "\u9fff" or c.isascii() or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
    )
    return good / len(sample) >= _MIN_PLAUSIBLE
