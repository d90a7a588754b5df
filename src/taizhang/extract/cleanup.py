"""Page-break repair: source lines → logical paragraphs that keep their source lines.

Text taken from a printed PDF breaks sentences at page ends: '...对' / blank / '行政规范性文件进行
动态清理' (卫政办发〔2022〕24号 lines 930-932), even inside a word: '卫生健' / '康委员会'
(卫政办发〔2022〕36号 lines 1535-1537). A paragraph here is a run of lines joined without a
separator until a line ends a sentence.

What the next stage may rely on: each :class:`Paragraph` knows, for any offset of its text, the
source line and column it came from (:meth:`Paragraph.line_at`, :meth:`Paragraph.column_at`), so a
body flattened onto one long line can be cut into items that still point into the original; table
rows (lines with a tab) are never joined; stray page numbers are dropped and not part of any
paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .grammar import LINE_LABEL
from .spans import SourceText, Span

# A line that ends a paragraph: sentence-final punctuation, a closing bracket or quote.
_ENDS_PARAGRAPH = re.compile(r"[。！？!?；;:：〕\]】)）”’」』…]\s*$")

# A line that starts a new paragraph whatever the previous line ended with: an item label
# ('(一)', '（一）', '一、', '1.', '1、', '(1)', '1）', '①'), an assignment line ('牵头单位:', 卫政办发〔2022〕6号
# line 216, or any label of the grammar's LINE_LABEL), an assignment bracket on its own line
# ('〔责任单位', 卫政办发〔2022〕28号 line 1100) or an attachment heading ('附件').
_STARTS_PARAGRAPH = re.compile(
    r"""^\s*(?:
        [(（][一二三四五六七八九十百]+[)）]
      | [一二三四五六七八九十百]+[、.．]
      | \d{1,3}\s*[.．、](?!\d)
      | [(（]\d{1,3}[)）]
      | \d{1,3}[)）]
      | [①-⑳]
      | 完成(?:时限|时间)\s*[:：]
      | [〔\[【]
      | 附件
    )""",
    re.VERBOSE,
)


# A stray page number left by the PDF: '12', '- 12 -', '—12—', '·12·', '第12页'.
_PAGE_NUMBER = re.compile(r"^\s*(?:第\s*\d{1,3}\s*页|[-—–·•]*\s*\d{1,3}\s*[-—–·•]*)\s*$")

# A heading that ends without punctuation: '一、总体要求' (卫政办发〔2022〕6号 line 206), '(二)基本原则',
# '1.加快典型案例整改'. A short labelled line with a full stop is a sentence cut by a page break
# ('(十二)适时开展行政规范性文件清理工作。对', 卫政办发〔2022〕24号 line 930), not a heading.
_HEADING = re.compile(
    r"""^\s*(?:[一二三四五六七八九十百]+、|[(（][一二三四五六七八九十百]+[)）]|\d{1,3}\s*[.．、](?!\d)|[(（]\d{1,3}[)）])
        [^。；;！？!?]{0,30}$""",
    re.VERBOSE,
)


# A title on a line of its own ends with the kind of document it names ('…支出责任划分改革方案',
# 卫政办发〔2022〕15号 line 302): the line under it starts the text, not the title's second half.
_TITLE_END = re.compile(r"(?:方案|通知|意见|办法|规则|决定|要点|目录|清单|名单|细则|规定|计划)\s*$")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Source lines joined into one paragraph: its text and where each piece of a line starts in it."""

    text: str
    span: Span
    # (offset in text, source line, 0-based column of that offset in the line), offsets ascending
    starts: tuple[tuple[int, int, int], ...]

    def _piece(self, offset: int) -> tuple[int, int, int]:
        index = bisect_right(self.starts, (offset, 1 << 62, 0)) - 1
        return self.starts[max(0, index)]

    def line_at(self, offset: int) -> int:
        """The source line of the character at ``offset``."""
        return self._piece(offset)[1]

    def column_at(self, offset: int) -> int:
        """The 1-based column, in its source line, of the character at ``offset``."""
        start, _, column = self._piece(offset)
        return column + max(0, offset - start) + 1

    def slice(self, start: int, end: int) -> Paragraph:
        """The part ``text[start:end]`` as a paragraph of its own, keeping lines and columns.

        Guarantees: ``piece.line_at(i) == self.line_at(start + i)`` and the same for columns.
        """
        start, end = max(0, start), min(len(self.text), end)
        first = self._piece(start)
        starts = [(0, first[1], first[2] + start - first[0])]
        starts += [(o - start, line, column) for o, line, column in self.starts if start < o < end]
        lines = [line for _, line, _ in starts]
        return Paragraph(text=self.text[start:end], span=Span(min(lines), max(lines)), starts=tuple(starts))

    @property
    def is_table_row(self) -> bool:
        """True for a table row (a tab-separated line, never joined)."""
        return "\t" in self.text


# What a page number's first printed character is: 第, a dash or dot around it, or a digit.
_PAGE_NUMBER_OPENERS = frozenset("第-—–·•")


def _may_be_page_number(stripped: str) -> bool:
    """False for a stripped line that cannot be a page number (most lines open with a word): the
    pattern is tried only on the others."""
    return stripped[0] in _PAGE_NUMBER_OPENERS or stripped[0].isdecimal()


def is_page_number(line: str) -> bool:
    """True for a line that is only a page number."""
    return _PAGE_NUMBER.match(line) is not None


_OPENERS, _CLOSERS = "（(〔【[［", "）)〕】]］"
# An item marker opening a line: a new item, even inside a bracket left open by a typo.
_ITEM_START = re.compile(
    r"^\s*(?:[(（][一二三四五六七八九十百]+[)）]|[一二三四五六七八九十百]+[、．]|\d{1,3}\s*[.．、](?!\d))"
)


_ANY_OPENER = re.compile(r"[（(〔【\[［]")


def _opens_bracket(text: str) -> bool:
    """True when ``text`` leaves a bracket open (opened on this line and not closed on it)."""
    if _ANY_OPENER.search(text) is None:
        return False
    opened = text.count("（") + text.count("(") + text.count("〔") + text.count("【") + text.count("[")
    closed = text.count("）") + text.count(")") + text.count("〕") + text.count("】") + text.count("]")
    # the sums of _OPENERS and _CLOSERS counted one by one: this runs once per line of every document
    return opened + text.count("［") > closed + text.count("］")


_PARAGRAPH_ENDS = frozenset("。！？!?；;:：〕]】)）”’」』…")


def _ends_paragraph(text: str) -> bool:
    """``_ENDS_PARAGRAPH.search(text) is not None`` without trying the pattern at every offset: the
    last character before trailing whitespace ends a paragraph."""
    return text.rstrip()[-1:] in _PARAGRAPH_ENDS


def _continues(first: str, previous: str, line: str) -> bool:
    """True when ``line`` continues the paragraph from ``first`` to ``previous`` (a page break)."""
    if "\t" in previous or "\t" in line:
        return False
    if _opens_bracket(previous) and not _ITEM_START.match(line):
        return True  # '…。（牵头单位：省市场监管局，' / '参加单位：…）': a bracket runs on
    if _ends_paragraph(previous) or _HEADING.match(previous):
        return False
    if first is previous and _TITLE_END.search(previous):  # the title is the paragraph so far
        return False
    if LINE_LABEL.match(first) and not previous.rstrip().endswith(("、", ",", "，")):
        return False  # '完成时限:2022年底' is whole; only a list cut after a separator goes on
    return not (_STARTS_PARAGRAPH.match(line) or LINE_LABEL.match(line))


def paragraphs(source: SourceText, span: Span | None = None) -> list[Paragraph]:
    """The logical paragraphs of ``span`` (default: the whole source), in order.

    Guarantees: every non-blank line of the span that is not a stray page number is in exactly
    one paragraph, and its text is kept verbatim (lines are joined without separators).
    """
    out: list[Paragraph] = []
    pieces: list[tuple[int, str]] = []
    page_number = _PAGE_NUMBER.match  # is_page_number, without a call per line
    for number, line in source.numbered(span):
        stripped = line.strip()
        if not stripped or _may_be_page_number(stripped) and page_number(line):
            continue
        if pieces and not _continues(pieces[0][1], pieces[-1][1], line):
            out.append(_paragraph(pieces))
            pieces = []
        pieces.append((number, line))
    if pieces:
        out.append(_paragraph(pieces))
    return out


class ParagraphReader:
    """The paragraphs of one source, each span repaired once.

    The task stage and the fiscal stage read the same documents' paragraphs, and the repair is a
    fair share of the extraction's time: one reader, made for one extraction, serves them both.
    """

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self._read: dict[Span | None, tuple[Paragraph, ...]] = {}

    def __call__(self, span: Span | None = None) -> tuple[Paragraph, ...]:
        """The paragraphs of ``span`` (default: the whole source), as :func:`paragraphs` gives them."""
        if span not in self._read:
            self._read[span] = tuple(paragraphs(self.source, span))
        return self._read[span]


def _paragraph(pieces: list[tuple[int, str]]) -> Paragraph:
    if len(pieces) == 1 and "\t" not in pieces[0][1]:  # most paragraphs are one line of text
        number, line = pieces[0]
        text = line.strip()
        column = len(line) - len(line.lstrip())
        return Paragraph(text=text, span=Span(number, number), starts=((0, number, column),))
    starts: list[tuple[int, int, int]] = []
    parts: list[str] = []
    offset = 0
    for number, line in pieces:
        text = line.strip() if "\t" not in line else line.rstrip("\n")
        column = len(line) - len(line.lstrip()) if "\t" not in line else 0
        starts.append((offset, number, column))
        parts.append(text)
        offset += len(text)
    return Paragraph(text="".join(parts), span=Span(pieces[0][0], pieces[-1][0]), starts=tuple(starts))
