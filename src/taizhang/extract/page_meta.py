"""Running heads, feet and page numbers of printed pages: found and blanked, never read as text.

A PDF prints on every page a running head ('湖北省人民政府公报 2023年第5期', the document's title)
and a foot ('— 3 —', '第 3 页 共 12 页', '3/12'). Taken as text they cut a sentence or a bracket
in two, or pass for a gazette header over a plan. A line is page furniture when it stands among
the first or last two printed lines of a page and either is a page number or repeats, digits
aside, at the same end of at least a third of the pages (and of two pages at least).

Guarantees: lines are blanked, never removed, so every other line keeps its number (the line
of a text file as an editor counts it); the first page keeps its head (there it may be the
title); a table row (a line with a tab) is never furniture.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# '— 3 —', '- 3 -', '·3·', '3', '第3页', '第 3 页 共 12 页', '3/12', '3 / 12'.
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–·•]*\s*\d{1,4}\s*[-—–·•]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页)\s*$"
)
_EDGE = 2  # lines at each end of a page that may be furniture
_LONGEST = 40  # a running head is short


def blank_page_furniture(lines: list[str], page_starts: tuple[int, ...]) -> list[str]:
    """``lines`` with the running heads, feet and page numbers of its pages made blank.

    ``page_starts`` are the 1-based first lines of the pages (a text without pages is returned
    as it is).
    """
    if not page_starts:
        return lines
    bounds = [*(s - 1 for s in page_starts), len(lines)]
    pages = [range(bounds[i], bounds[i + 1]) for i in range(len(page_starts))]
    heads = [_edge(lines, page) for page in pages]
    feet = [_edge(lines, reversed(page)) for page in pages]
    repeated = _repeated(lines, heads, len(pages)) | _repeated(lines, feet, len(pages))
    out = list(lines)
    for number, (head, foot) in enumerate(zip(heads, feet, strict=True)):
        for index in [*foot, *(head if number else [])]:
            if _PAGE_NUMBER.match(lines[index]) or _key(lines[index]) in repeated:
                out[index] = ""
    if pages:
        for index in heads[0]:  # the first page's head: a page number only
            if _PAGE_NUMBER.match(lines[index]):
                out[index] = ""
    return out


def _edge(lines: list[str], indexes: Iterable[int]) -> list[int]:
    """The first ``_EDGE`` non-blank lines met in ``indexes`` that could be furniture."""
    found: list[int] = []
    for index in indexes:
        text = lines[index].strip()
        if not text:
            continue
        if "\t" in lines[index] or len(text) > _LONGEST:
            break
        found.append(index)
        if len(found) == _EDGE:
            break
    return found


def _repeated(lines: list[str], edges: list[list[int]], pages: int) -> set[str]:
    """Keys of edge lines printed on at least a third of the pages, and on two at least."""
    counts = Counter(key for edge in edges for key in {_key(lines[i]) for i in edge})
    return {key for key, n in counts.items() if n >= 2 and n * 3 >= pages}


def _key(text: str) -> str:
    """A line with its digits and spaces folded, so 'X公报 第3页' and 'X公报 第4页' are alike."""
    return re.sub(r"\d+", "#", "".join(text.split()))
