"""The printed lines of one table cell → the cell's text.

A cell whose text is longer than its column wraps over several printed lines. PDF text, a
PDF's table finder and a text export all hand those lines over separately: '国家发展改革' /
'委、公安部、' / '人力资源社会保障部' is one list of three units, '2023年12月' / '底前' one deadline.
A line break is either a wrap (the line was full: join without a separator) or the end of a
paragraph inside the cell (one unit per line: '市水务局' / '市财政局', join with a space, which
the unit splitter reads as a separator between whole names and drops inside one).

The two are told apart by width and content, the only evidence left in text: a paragraph end
stops short of the column's width (a wrapped line reaches it, or falls a character or two short
when a punctuation mark may not start the next line), and only a list of units is printed one
name per line, so a break counts as a paragraph end only between a short line ending like a
unit name and a line starting like one.

Guarantees: no character of a fragment is dropped or reordered; fragments are stripped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from .table_grammar import ends_like_unit, starts_like_unit

# How far short of the column width (in half-width columns) a line must stop to end a paragraph:
# two ideographs.
SHORT_BY = 4


@lru_cache(maxsize=16384)
def display_width(text: str) -> int:
    """Width of ``text`` in half-width columns: ideographs and full-width forms count two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def wrap_width(cells: Sequence[Sequence[str]]) -> int:
    """The column's line width as printed: its widest line (a wrapped line reaches it, give or take
    one ideograph)."""
    return max((display_width(line.strip()) for lines in cells for line in lines), default=0)


def join_lines(lines: Sequence[str], width: int) -> str:
    """One cell's printed lines as its text, given the column's ``width`` (see :func:`wrap_width`)."""
    text = ""
    previous = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if text:
            text += _separator(previous, line, width)
        text += line
        previous = line
    return text


def _separator(previous: str, line: str, width: int) -> str:
    """ "" for a wrapped line, " " between two unit names printed one per line or two Latin words."""
    if previous[-1].isascii() and previous[-1].isalnum() and line[0].isascii() and line[0].isalnum():
        return " "
    if previous.endswith(_JOINERS) or not width or display_width(previous) > width - SHORT_BY:
        return ""
    return " " if ends_like_unit(previous) and starts_like_unit(line) else ""


# A line ending in a list separator or an opening bracket continues whatever its width.
_JOINERS = ("、", "，", ",", "；", ";", "（", "(", "“", "《", "〔")
