"""Issue header (期号, 总期, 出版日期), table of contents (目录) and editorial board (编辑委员会)."""

from __future__ import annotations

import re
from datetime import date

from . import docnumbers
from .datelines import date_of_line, parse_date
from .model import ContentsEntry, Issue
from .spans import SourceText, Span
from .titles import is_red_header, join_title, opens_title

# Header lines as printed on the cover (gazette lines 7, 27, 29, 31, 33).
_TITLE = re.compile(r"^\s*(?P<title>[\u4e00-\u9fff]{2,30}公报)(?:\s|$)")
# '2022年第2期' on its own (line 27) or beside the title and 总期 ('…公报 2022年第2期(总第16期)').
# The State Council gazette counts 号 instead of 期 ('2019年第5号', '总号：1654').
_NUMBER = re.compile(r"(?P<year>\d{4})\s*年\s*第\s*(?P<number>\d{1,3})\s*[期号]")
_CUMULATIVE = re.compile(r"总\s*(?:第\s*(?P<n>\d{1,5})\s*[期号]|号\s*[:：]?\s*(?P<m>\d{1,5}))")
# '出版日期：2022年8月21日' as some gazettes print it, beside '2022年8月21日出版' (line 31).
_PUBLISHED_LABEL = re.compile(r"出\s*版\s*(?:日\s*期|时\s*间)\s*[:：]\s*(?P<date>.+)$")
_CONTENTS_HEADING = re.compile(r"^\s*目\s*录\s*$")
# Section headings of the 目录: '【中卫市政府文件】' (line 35), or bare ('国务院文件', '部门文件', '人事任免').
_SECTION = re.compile(
    r"^\s*(?:【(?P<section>[^】]+)】|(?P<bare>[\u4e00-\u9fff]{2,12}文件|人事任免|政策解读))\s*$"
)
# A 目录 entry's number and page: '(卫政发[2022]15号)..... 3' (line 38), '(卫政办发〔2022〕28号) 31' (line 67).
_ENTRY_NUMBER = re.compile(r"^\s*[(（](?P<number>[^()（）]+)[)）]\s*[.．…·\s]*(?P<page>\d{1,4})?\s*$")
# Title and number on one line: '某某市人民政府关于…的通知(某政发〔2021〕9号)……2'.
_ENTRY_INLINE = re.compile(
    r"^\s*(?P<title>\S.*?)\s*[(（](?P<number>[^()（）]*\d{4}[^()（）]*号)[)）]\s*[.．…·\s]*(?P<page>\d{1,4})?\s*$"
)
# Entries without a document number (minutes, 公告): '…纪要……12', or the leader and page on a line of its own.
_PAGE_ONLY_INLINE = re.compile(r"^\s*(?P<title>\S.*?)\s*[.．…·]{2,}\s*(?P<page>\d{1,4})\s*$")
_PAGE_LINE = re.compile(r"^\s*[.．…·]{2,}\s*(?P<page>\d{1,4})\s*$")
_BOARD_HEADING = re.compile(r"^\s*编\s*辑\s*委\s*员\s*会\s*$")
# 'post:name name' lines of the board (line 11 '主任:孙尚金', line 15 '委员:刘明 马宏全').
_POST = re.compile(r"^\s*(?P<post>[\u4e00-\u9fff]{2,6})\s*[:：]\s*(?P<names>.*)$")
_NAMES_ONLY = re.compile(r"^\s*[\u4e00-\u9fff]{1,4}(?:[\s\u3000]+[\u4e00-\u9fff]{1,4})*\s*$")

_HEADER_SCAN = 400  # the header of an issue sits in its first pages, never deeper


def parse_issue(source: SourceText) -> Issue | None:
    """The issue header of a gazette, or None for a single document without one."""
    lines = source.lines
    limit = _header_end(source)
    title = year = number = cumulative = published = None
    title_line = None
    last = 0  # the last line holding an element of the header
    for index in range(limit):
        text = lines[index]
        if title is None and (match := _TITLE.match(text)):
            title, title_line, last = match.group("title"), index + 1, index + 1
        if number is None and (match := _NUMBER.search(text)):
            year, number, last = int(match.group("year")), int(match.group("number")), index + 1
        if cumulative is None and (match := _CUMULATIVE.search(text)):
            cumulative, last = int(match.group("n") or match.group("m")), index + 1
        if published is None:
            published = date_of_line(text, "出版") or _labelled_date(text)
            last = index + 1 if published else last
    if title is None and number is None:
        return None
    contents = tuple(_contents(lines, limit))
    if not _has_document_number(source, limit):
        # No document follows a header: the header is its own lines only (a running head such as
        # '湖北省人民政府公报 2023年第5期' over a plan), and the text after it is left to the documents.
        limit = max([last, *(e.line for e in contents)])
    first = next((i + 1 for i in range(limit) if lines[i].strip()), title_line or 1)
    return Issue(
        title=title,
        year=year or (published.year if published else None),
        number=number,
        cumulative_number=cumulative,
        published=published,
        contents=contents,
        editors=tuple(_editors(lines, limit)),
        span=Span(first, max(first, limit)),
    )


def _labelled_date(text: str) -> date | None:
    match = _PUBLISHED_LABEL.search(text)
    return parse_date(match.group("date")) if match else None


def _header_end(source: SourceText) -> int:
    """The last line of the issue header: the last non-blank line before the first document's title."""
    lines = source.lines
    for index in range(min(len(lines), _HEADER_SCAN)):
        text = lines[index]
        if (
            docnumbers.number_of_line(text)
            or docnumbers.order_serial_of_line(text)
            or docnumbers.order_of_line(text)
        ):
            end = index
            # walk back over blank lines and the document's title block
            while end > 0 and (not lines[end - 1].strip() or _title_part(lines[end - 1])):
                end -= 1
            return end
    return min(len(lines), _HEADER_SCAN)


def _has_document_number(source: SourceText, limit: int) -> bool:
    """True when line ``limit + 1`` onwards starts with a document (the header ends before one)."""
    return limit < min(len(source.lines), _HEADER_SCAN) or any(
        docnumbers.number_of_line(text) for text in source.lines[limit : limit + 30]
    )


def _title_part(text: str) -> bool:
    opening = opens_title(text) or is_red_header(text) or text.strip().startswith("关于")
    return opening and docnumbers.normalise(text) is None


def _contents(lines: tuple[str, ...], limit: int) -> list[ContentsEntry]:
    """目录 entries: title lines re-joined, normalised number, page, section heading, first title line."""
    entries: list[ContentsEntry] = []
    in_contents = False
    section = None
    pending: list[int] = []
    for index in range(limit):
        text = lines[index]
        if _CONTENTS_HEADING.match(text):
            in_contents, pending = True, []
            continue
        if not in_contents or not text.strip():
            continue
        if match := _SECTION.match(text):
            section, pending = match.group("section") or match.group("bare"), []
            continue
        entry = _entry(lines, index, pending, section)
        if entry is None:
            pending.append(index + 1)
            continue
        if entry.title:
            entries.append(entry)
        pending = []
    return entries


def _entry(
    lines: tuple[str, ...], index: int, pending: list[int], section: str | None
) -> ContentsEntry | None:
    """The entry a line closes (title from the pending lines) or holds whole; None for a title line."""
    parts = _entry_parts(lines[index])
    if parts is None:
        return None
    title, number, page = parts
    if title is None:
        title_lines = _entry_title_lines(lines, pending)
        title = join_title([lines[n - 1] for n in title_lines])
    else:
        title_lines = [index + 1]
    line = title_lines[0] if title_lines else index + 1
    return ContentsEntry(title=title, doc_number=number, page=page, section=section, line=line)


def _entry_parts(text: str) -> tuple[str | None, str | None, int | None] | None:
    """(title on this line or None, normalised number, page) of a line that ends a 目录 entry."""
    for pattern in (_ENTRY_NUMBER, _ENTRY_INLINE):
        match = pattern.match(text)
        number = docnumbers.normalise(match.group("number")) if match else None
        if match and number:
            title = join_title([match.group("title")]) if "title" in pattern.groupindex else None
            return title, number, _page(match)
    if match := _PAGE_LINE.match(text):
        return None, None, _page(match)
    if (match := _PAGE_ONLY_INLINE.match(text)) and opens_title(match.group("title")):
        return join_title([match.group("title")]), None, _page(match)
    return None


def _page(match: re.Match[str]) -> int | None:
    return int(match.group("page")) if match.group("page") else None


def _entry_title_lines(lines: tuple[str, ...], pending: list[int]) -> list[int]:
    """The pending lines from the last one that opens a title (slogans before it are dropped, line 59)."""
    for position in range(len(pending) - 1, -1, -1):
        if opens_title(lines[pending[position] - 1]):
            return pending[position:]
    return pending[-1:]


def _editors(lines: tuple[str, ...], limit: int) -> list[tuple[str, str]]:
    """(post, name) pairs of the 编辑委员会 block (gazette lines 9-25)."""
    out: list[tuple[str, str]] = []
    post = None
    in_board = False
    for index in range(limit):
        text = lines[index]
        if _BOARD_HEADING.match(text):
            in_board = True
            continue
        if not in_board or not text.strip():
            continue
        if match := _POST.match(text):
            post = match.group("post")
            out.extend((post, name) for name in match.group("names").split())
        elif post and _NAMES_ONLY.match(text) and not (_NUMBER.match(text) or _TITLE.match(text)):
            out.extend((post, name) for name in text.split())
        else:
            break
    return out
