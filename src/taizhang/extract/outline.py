"""The outline of a document: its numbered items (一、 （一） 1. （1） ①), with labels as printed.

Items are found by their markers at the start of a paragraph and, in text flattened onto one long
line (a received document copied from a web page, 国办发〔2020〕24号 as scraped), in the middle of
one: a marker there starts an item only where the numbering expects it (the next number of its
style, or 1 under a new parent), after a sentence end, a closing bracket or a heading, and outside
brackets. That keeps '统一、规范', '一、二级医院' and '满足以下条件：（一）…' inside their sentence.

Marker styles and the shapes they take in real text:

* ``cn_comma``  一、 二、 (chapter headings); 一． as some PDFs print it
* ``cn_paren``  （一） (一) （ 一 ）
* ``num_dot``   1. 1． 1、 and a number followed by an odd glyph that stands for the dot (U+E010 in
  青岛 city plans as published: the label is then the bare number)
* ``num_paren`` （1） (1)
* ``num_close`` 1） 1) (a closing bracket only, as some provinces print the third level)
* ``circled``   ① … ⑳

What the next stage may rely on: every :class:`Item` but a leading unlabelled one starts with its
marker at offset 0 of its first paragraph, ``marker_end`` past it; paragraphs keep their source
lines and columns; no text is dropped or reordered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cleanup import Paragraph
from .grammar import LABEL, LABEL_WORDS
from .numerals import chinese_int

_CN_NUMBER = "[一二三四五六七八九十百零〇]{1,4}"
# A glyph from the private-use area printed where the dot belongs ('1\ue010突破…').
_ODD_GLYPH = "\ue000-\uf8ff"

# The lookahead on the first character lets the regex engine skip ahead to candidates (ten times
# faster over a whole gazette than trying every alternative at every position).
MARKER = re.compile(
    rf"""(?=[(（一二三四五六七八九十百零〇\d①-⑳])(?:
      (?P<cn_paren>[(（]\s?(?P<n_cn_paren>{_CN_NUMBER})\s?[)）])
    | (?P<num_paren>[(（]\s?(?P<n_num_paren>\d{{1,3}})\s?[)）])
    | (?P<cn_comma>(?P<n_cn_comma>{_CN_NUMBER})\s?[、．])
    | (?P<num_dot>(?P<n_num_dot>\d{{1,3}})\s?(?P<dot>[.．、]|[{_ODD_GLYPH}]))
    | (?P<num_close>(?P<n_num_close>\d{{1,3}})[)）])
    | (?P<circled>[①-⑳])
    )""",
    re.VERBOSE,
)
# Spaces and an odd glyph are not part of a label as stored ('（ 一 ）' → '（一）').
_LABEL_NOISE = re.compile(rf"[\s{_ODD_GLYPH}]")
STYLES = ("cn_comma", "cn_paren", "num_dot", "num_paren", "num_close", "circled")
_BRACKETED = ("cn_paren", "num_paren", "circled")  # labels no running text is made of

# What may stand right before a marker in the middle of a paragraph: a sentence end or a closing
# bracket ('…负责）（二）…', 国办发〔2020〕24号; '…负责)(十四)…', a PDF of 鲁发改 2024).
_BOUNDARY = set("。！？；;!?）)】〕]」』”")
_OPENERS, _CLOSERS = "（(【〔[", "）)】〕]"
_HEADING_MAX = 40
# Where a heading with no full stop ends: '深化审批改革（一）…', '推进一网通办　牵头单位：…'.
_HEADING_END = re.compile(r"[。（(【〔\[\s]")
# A label of an assignment run: '责任单位：', '【配合单位】', '牵头单位　' (spaced, 平罗县 style).
_RUN_LABEL = re.compile(rf"{LABEL.pattern}|(?:{LABEL_WORDS})[ \u3000]+")
_YEAR_AHEAD = re.compile(
    r"\d{4}年"
)  # a heading with no full stop ('一、持续提升投资建设便利度') before the next marker


@dataclass(frozen=True, slots=True)
class Marker:
    """An item marker found in a paragraph."""

    style: str
    number: int
    label: str  # as printed, spaces and an odd glyph removed
    start: int
    end: int  # past the marker and the spaces after it


@dataclass
class Item:
    """A numbered item: its label, style, number and the paragraphs up to the next marker."""

    label: str | None
    style: str | None
    number: int | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    marker_end: int = 0  # offset of the item text after the marker, in paragraphs[0]


def cn_number(text: str) -> int:
    """A Chinese numeral of a label as an int (十 = 10, 二十三 = 23, 一百零五 = 105); 0 when it is none."""
    return chinese_int(text) or 0


def _marker(match: re.Match[str]) -> Marker:
    style = match.lastgroup or ""
    if style.startswith("n_") or style == "dot":  # lastgroup may name an inner group
        style = next(s for s in STYLES if match.group(s))
    printed = match.group(style)
    if style == "circled":
        number = ord(printed) - ord("①") + 1
    else:
        digits = match.group(f"n_{style}")
        number = int(digits) if digits.isdigit() else cn_number(digits)
    label = _LABEL_NOISE.sub("", printed)
    end = match.end()
    return Marker(style, number, label, match.start(), end)


class _Numbering:
    """The numbering seen so far: what number each style expects next, and the styles' nesting."""

    def __init__(self) -> None:
        self.ranks: dict[str, int] = {}
        self.last: dict[str, int] = {}  # per style, reset when an outer style moves on
        self.last_any: dict[str, int] = {}  # per style, never reset (numbering that runs on)

    def fits(self, marker: Marker) -> bool:
        """True when ``marker`` is the number its style expects next."""
        expected = {self.last.get(marker.style, 0) + 1, self.last_any.get(marker.style, 0) + 1}
        if marker.style not in self.ranks:
            expected.add(1)
        return marker.number in expected

    def take(self, marker: Marker) -> None:
        """Record an accepted marker."""
        rank = self.ranks.setdefault(marker.style, len(self.ranks))
        self.last[marker.style] = marker.number
        self.last_any[marker.style] = marker.number
        for style, other in self.ranks.items():
            if other > rank:
                self.last[style] = 0


def _leading_marker(text: str, numbering: _Numbering) -> Marker | None:
    """The marker a paragraph starts with, if any."""
    stripped = len(text) - len(text.lstrip())
    match = MARKER.match(text, stripped)
    if not match:
        return None
    marker = _marker(match)
    following = text[match.end() : match.end() + 1]
    if marker.style == "num_dot" and following.isdigit():
        # '4.0402年启动…' (an item whose text opens with a year) or a decimal '4.5%': only the
        # number the list expects next is a label
        return marker if numbering.fits(marker) else None
    return marker


def _inner_markers(text: str, first: int | None, numbering: _Numbering) -> list[Marker]:
    """Markers in the middle of a paragraph that start an item (see the module docstring).

    ``first`` is the end of the paragraph's leading marker, None when it has none.
    """
    found: list[Marker] = []
    depth = 0
    scanned = 0
    previous_end = first
    enumeration: dict[str, tuple[int, int]] = {}  # style → (number, offset) of a list inside a sentence
    candidates = [(match, _marker(match)) for match in MARKER.finditer(text, first or 0)]
    latest = {(m.style, m.number): m.start for _, m in candidates}  # the last offset of each label
    for match, marker in candidates:
        start = match.start()
        between = text[scanned:start]
        depth = max(0, depth + _count(between, _OPENERS) - _count(between, _CLOSERS))
        scanned = start
        if depth or start == 0:
            continue
        if _in_enumeration(text, marker, enumeration, numbering):
            continue
        followed = latest.get((marker.style, marker.number + 1), -1) > start
        if marker.style == "num_dot" and text[match.end() : match.end() + 1].isdigit():
            # '…）4.0402年启动…': an item opening with a year, where the list expects it; never a decimal
            opens_year = _YEAR_AHEAD.match(text, match.end()) is not None
            if not (opens_year and _at_boundary(text, start, previous_end) and numbering.fits(marker)):
                continue
        elif not _starts_item(text, marker, previous_end, numbering, followed=followed):
            continue
        numbering.take(marker)
        found.append(marker)
        previous_end = marker.end
    return found


def _count(text: str, chars: str) -> int:
    return sum(text.count(char) for char in chars) if text else 0


def _in_enumeration(
    text: str, marker: Marker, enumeration: dict[str, tuple[int, int]], numbering: _Numbering
) -> bool:
    """True for a marker of a list inside a sentence: '有下列情形之一的：（一）…；（二）…。'.

    A list opened after a colon in a style already in use runs on until the sentence ends.
    """
    before = text[max(0, marker.start - 4) : marker.start].rstrip()
    if before.endswith(("：", ":")) and marker.style in numbering.ranks:
        enumeration[marker.style] = (marker.number, marker.start)
        return True
    opened = enumeration.get(marker.style)
    if opened and marker.number == opened[0] + 1 and "。" not in text[opened[1] : marker.start]:
        enumeration[marker.style] = (marker.number, marker.start)
        return True
    return False


def _starts_item(
    text: str, marker: Marker, previous_end: int | None, numbering: _Numbering, *, followed: bool
) -> bool:
    """True when ``marker`` stands where an item may start and the numbering expects it.

    A style's first marker may follow a colon ('现将有关事项通知如下：一、…'); a list restarting at 1
    under a short heading (an enclosed plan after the cover note's date) may follow a title; a
    bracketed label the numbering expects may follow anything when the next label of its list
    comes later in the text ('…增创产业发展新优势(一)布局…(二)培育…', a heading that lost its
    full stop). Bare 一、 and 1. need more: '统一、规范' is text.
    """
    new_style = marker.style not in numbering.ranks
    before = text[max(0, marker.start - 4) : marker.start].rstrip()
    placed = _at_boundary(text, marker.start, previous_end) or (new_style and before.endswith(("：", ":")))
    if not placed and followed and marker.style in _BRACKETED and numbering.fits(marker):
        return True
    if not placed and numbering.fits(marker) and _closes_label_run(text, marker, previous_end):
        # '…责任单位：市财政局、市发展改革委2.扩大有效投资…' flattened onto one line
        return followed or _heading_follows(text, marker.end)
    opens_list = marker.number == 1 and _heading_follows(text, marker.end)
    if opens_list and not placed:
        placed = _titleish_before(text, marker.start)
    return placed and (numbering.fits(marker) or (opens_list and not new_style))


def _closes_label_run(text: str, marker: Marker, previous_end: int | None) -> bool:
    """True when the item before ``marker`` ends in an unbracketed label run ('牵头单位：A【配合单位】B'),
    which has no full stop to end it: the marker the numbering expects starts the next item."""
    if previous_end is None:
        return False
    runs = list(_RUN_LABEL.finditer(text, previous_end, marker.start))
    return bool(runs) and not any(c in _BOUNDARY for c in text[runs[-1].end() : marker.start])


def _titleish_before(text: str, start: int) -> bool:
    """True when the text since the last sentence end is short and has no commas (a title, a date)."""
    window = text[max(0, start - 80) : start]
    cut = max(window.rfind(mark) for mark in "。；;）)")
    segment = window[cut + 1 :]
    return 0 < len(segment) and not re.search(r"[，,、：:]", segment)


def _heading_follows(text: str, end: int) -> bool:
    """True when a short heading follows ``end``: '一、总体要求（一）…', not '一、二级医院要…，…'."""
    heading = _HEADING_END.split(text[end : end + _HEADING_MAX], maxsplit=1)[0]
    return 0 < len(heading) <= 30 and not re.search(r"[，,、；;：:]", heading)


def _at_boundary(text: str, start: int, previous_end: int | None) -> bool:
    """True when ``start`` follows a sentence end, a closing bracket, or a marker's short heading."""
    before = text[max(0, start - 8) : start].rstrip()
    if before and before[-1] in _BOUNDARY:
        return True
    if previous_end is None:
        return False
    heading = text[previous_end:start]
    return 0 < len(heading) <= _HEADING_MAX and not re.search(r"[。；;，,：:！？]", heading)


def items(paras: list[Paragraph]) -> list[Item]:
    """Cut paragraphs into items at each marker; text before the first marker is an unlabelled item.

    Guarantees: the paragraphs' text, joined in order, is the input's text (pieces are cut at
    markers, never dropped).
    """
    out: list[Item] = []
    numbering = _Numbering()
    for para in paras:
        leading = _leading_marker(para.text, numbering)
        if leading:
            numbering.take(leading)
        inner = _inner_markers(para.text, leading.end if leading else None, numbering)
        cuts = [m.start for m in inner]
        pieces = [para] if not cuts else _cut(para, cuts)
        markers: list[Marker | None] = [leading, *inner]
        for piece, marker in zip(pieces, markers, strict=True):
            if marker is not None:
                # a piece cut at an inner marker starts with it; a leading one may follow spaces
                end = marker.end if marker is leading else marker.end - marker.start
                out.append(Item(marker.label, marker.style, marker.number, marker_end=end))
            elif not out:
                out.append(Item(label=None, style=None))
            out[-1].paragraphs.append(piece)
    return out


def _cut(para: Paragraph, cuts: list[int]) -> list[Paragraph]:
    """``para`` cut at each offset of ``cuts`` (ascending, > 0)."""
    bounds = [0, *cuts, len(para.text)]
    return [para.slice(a, b) for a, b in zip(bounds, bounds[1:], strict=False)]


def style_ranks(found: list[Item]) -> dict[str, int]:
    """Rank of each label style: the order in which styles first appear (一、 before (一) before 1.)."""
    ranks: dict[str, int] = {}
    for item in found:
        if item.style and item.style not in ranks:
            ranks[item.style] = len(ranks)
    return ranks
