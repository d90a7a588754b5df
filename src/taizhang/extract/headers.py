"""Where documents start: a title block and the 发文字号 that follows it (or precedes it, in the
red-header layout), an order's '第707号', a 目录 entry without a number found by its title, and a
title with its number run on at the end of the same line.

A document starts with its title (one or more lines, maybe an issuer line of its own) followed,
after blank lines, by a line that is nothing but its number ('卫政办发〔2022〕6号', gazette line 186),
or for an order (令) by '第707号' under a '…令' title (State Council file line 822). Text copied
from a web page runs the number on to the title ('国务院办公厅关于…的实施意见国办发〔2020〕24号'):
a line that opens like a title and ends with a number after a 公文 type word is a header too. The
目录 of an issue and numbers cited in running text never start one: the former lie inside the
issue header, the latter are never at the end of a title-shaped line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import docnumbers
from .datelines import date_of_line
from .model import ContentsEntry, Issue
from .spans import SourceText
from .titles import could_be_title_line, is_organ_line, is_page_number, is_red_header, join_title, opens_title

_TITLE_LINES_MAX = 6  # the longest State Council title runs over 4 printed lines (line 261)

# A title with its number run on: '…实施意见国办发〔2020〕24号' (国办发〔2020〕24号 as scraped). The
# title ends with a 公文 type word and the organ abbreviation follows it directly.
_TYPE_WORDS = (
    "意见|通知|决定|方案|规定|办法|批复|复函|函|报告|通报|公告|通告|纲要|规划|计划|要点|细则|命令|令|措施|条例|规则"
    "|指南|清单|名单|目录|决议|纪要|请示|答复|标准|章程|制度"
)
_RUN_ON_NUMBER = re.compile(
    rf"""^\s*(?P<title>\S.{{4,150}}(?:{_TYPE_WORDS})(?:[(（](?:试行|暂行|草案|修订)[)）])?)
        \s*(?P<number>[\u4e00-\u9fffA-Za-z]{{1,10}}\s*[〔\[(（【［]\s*(?:19|20)\d{{2}}\s*[〕\])）】］]\s*第?\s*\d{{1,5}}\s*号)
        (?P<rest>.*)$""",
    re.VERBOSE,
)
# The number printed first, the title run on after it: '国办发〔2020〕24号国务院办公厅关于…的实施意见'.
_NUMBER_THEN_TITLE = re.compile(
    rf"""^\s*(?P<number>[\u4e00-\u9fffA-Za-z]{{1,10}}\s*[〔\[(（【［]\s*(?:19|20)\d{{2}}\s*[〕\])）】］]\s*第?\s*\d{{1,5}}\s*号)
        \s*(?P<title>\S.{{4,150}}(?:{_TYPE_WORDS})(?:[(（](?:试行|暂行|草案|修订)[)）])?)\s*$""",
    re.VERBOSE,
)
# The addressees that open a body run on after its header: '各省、自治区、直辖市人民政府，…：'.
_ADDRESSEES_AHEAD = re.compile(r"^\s*[\u4e00-\u9fff、，,（）()\s]{2,200}?[:：]")
# Words that open a sentence citing a document, never a title: '根据国务院办公厅关于…的意见国办发〔…〕'.
_RUNNING_TEXT = re.compile(
    r"^\s*(?:根据|按照|依据|依照|参照|对照|结合|贯彻|落实|执行|遵照|经|为|请|现将|将|对)"
)
_SENTENCE_MARK = re.compile(r"[。；;！？!?，,：:《》]")
_YEAR_BRACKET = re.compile(r"[〔\[(（【［]\s*(?:19|20)\d{2}\s*[〕\])）】］]")
_NEAR_TOP = 5  # non-blank lines from the top of a file where a bare title may open a document
_HEADLESS_TITLE_MAX = 120  # characters at the head of a line where a numberless title may run on


@dataclass(frozen=True)
class Header:
    title_start: int
    title_lines: tuple[int, ...]
    number_line: int  # for a document without a number, its last title line
    doc_number: str | None
    title: str
    sure: bool
    body_start: int  # first line after the number line, or after a title printed below it
    body_column: int = 0  # where the body starts on ``body_start`` when the header runs on into it


class _NearTop:
    """Whether a line is among the first ``_NEAR_TOP`` non-blank lines from ``skip_to`` on, counting
    blank lines only as far as asked and never past the limit."""

    def __init__(self, lines: tuple[str, ...], skip_to: int) -> None:
        self.lines = lines
        self.counted = skip_to  # lines skip_to..counted-1 are counted
        self.seen = 0  # non-blank lines among them

    def within(self, index: int) -> bool:
        """True when lines ``skip_to``..``index`` hold at most ``_NEAR_TOP`` non-blank lines."""
        while self.counted <= index and self.seen <= _NEAR_TOP:
            self.seen += bool(self.lines[self.counted].strip())
            self.counted += 1
        return self.seen <= _NEAR_TOP


def find_headers(source: SourceText, skip_to: int = 0) -> list[Header]:
    """Title and number of every document, in line order (one pass over the lines)."""
    headers: list[Header] = []
    lines = source.lines
    near = _NearTop(lines, skip_to)
    # a number line, an order line and a run-on header each end their number in 号: only those lines
    for index in [i for i in range(skip_to, len(lines)) if "号" in lines[i]]:
        number = docnumbers.number_of_line(lines[index])
        serial = None if number else docnumbers.order_serial_of_line(lines[index])
        if not number and serial is None:
            order = docnumbers.order_of_line(lines[index])
            if order and opens_title(order[0]):
                number = docnumbers.order_number(*order)
                headers.append(Header(index + 1, (index + 1,), index + 1, number, order[0], True, index + 2))
            elif run_on := run_on_header(lines[index], near_top=near.within(index)):
                title, number, rest = run_on
                body = (index + 2, 0) if rest < 0 else (index + 1, rest)
                headers.append(Header(index + 1, (index + 1,), index + 1, number, title, True, *body))
            continue
        floor = headers[-1].body_start - 1 if headers else skip_to
        title_lines = _title_lines(lines, index, floor)
        above = join_title([lines[n - 1] for n in title_lines])
        body_start = index + 2
        red_header = None
        if number and (not title_lines or is_red_header(above)):
            # red-header layout: '中卫市人民政府文件', the number, then the title (GB/T 9704)
            red_header = title_lines[0] if title_lines else index + 1
            title_lines = _title_lines_below(lines, index)
            body_start = title_lines[-1] + 1 if title_lines else body_start
        if not title_lines:
            continue
        first, sure = _title_start(lines, title_lines)
        kept = tuple(n for n in title_lines if n >= first)
        title = join_title([lines[n - 1] for n in kept])
        if serial is not None:
            if not title.endswith("令"):
                continue
            number = docnumbers.order_number(title, serial)
        start = min(red_header, first) if red_header else first
        headers.append(Header(start, kept, index + 1, str(number), title, sure, body_start))
    return headers


def run_on_header(line: str, *, near_top: bool = False) -> tuple[str, str, int] | None:
    """(title, normalised number, offset of the body or -1) of a title with its number run on.

    '国务院办公厅关于…的实施意见国办发〔2020〕24号' is one; so is a title, number and body on one line
    ('…的通知国发〔2020〕5号各省、自治区…：'), and a number with its title after it ('国办发〔2020〕24号
    国务院办公厅关于…的实施意见'). The title must hold no sentence punctuation and open like one (an
    organ, 关于), unless it stands at the top of the file.
    """
    head = line[:180]
    if "号" not in head or not _YEAR_BRACKET.search(head):
        return None
    match = _RUN_ON_NUMBER.match(line)
    if not match:
        first = _NUMBER_THEN_TITLE.match(line)
        number = docnumbers.normalise(first.group("number")) if first else None
        title = first.group("title") if first else ""
        if number and opens_title(title) and not (_SENTENCE_MARK.search(title) or _RUNNING_TEXT.match(title)):
            return join_title([title]), number, -1
        return _number_then_title_and_body(line, near_top=near_top)
    title, rest = match.group("title"), match.group("rest")
    # a title that opens like one may quote a document in 《》 ('…关于印发《X》的通知工信部联…')
    if (_TITLE_STOP if opens_title(title) else _SENTENCE_MARK).search(title):
        return None
    if _RUNNING_TEXT.match(title) or not (near_top or opens_title(title)):
        return None
    if rest.strip() and not (near_top or _ADDRESSEES_AHEAD.match(rest)):
        return None  # a citation in running text ('关于…的通知国办发〔2020〕24号精神'), not a header
    number = docnumbers.normalise(match.group("number"))
    if number is None:
        return None
    return join_title([title]), number, match.start("rest") if rest.strip() else -1


def _title_lines(lines: tuple[str, ...], number_index: int, floor: int) -> list[int]:
    """Line numbers (1-based, top first) of the title block above a number line."""
    found: list[int] = []
    index = number_index - 1
    while index >= floor and len(found) < _TITLE_LINES_MAX:
        text = lines[index]
        if not text.strip() or is_page_number(text):
            index -= 1
            continue
        if not could_be_title_line(text) or date_of_line(text) or docnumbers.number_of_line(text):
            break
        found.append(index + 1)
        index -= 1
    return found[::-1]


def numberless_headers(source: SourceText, issue: Issue, headers: list[Header], skip_to: int) -> list[Header]:
    """Documents the 目录 lists without a number (纪要, 公告), found by their title in the body."""
    wanted = {entry.title: entry for entry in issue.contents if entry.doc_number is None and entry.title}
    taken = {n for header in headers for n in range(header.title_start, header.body_start)}
    found: list[Header] = []
    lines = source.lines
    for index in range(skip_to, len(lines)):
        if not wanted:
            break
        head = join_title([lines[index]])
        if len(head) < 2 or index + 1 in taken or not any(title.startswith(head) for title in wanted):
            continue
        title_lines = _matching_title(lines, index, wanted)
        if title_lines:
            title = join_title([lines[n - 1] for n in title_lines])
            del wanted[title]
            found.append(
                Header(
                    title_lines[0],
                    tuple(title_lines),
                    title_lines[-1],
                    None,
                    title,
                    True,
                    title_lines[-1] + 1,
                )
            )
    return found


def _matching_title(lines: tuple[str, ...], index: int, wanted: dict[str, ContentsEntry]) -> list[int]:
    """The title lines from ``index`` whose re-joined text is one of the wanted titles."""
    taken: list[int] = []
    while index < len(lines) and len(taken) < _TITLE_LINES_MAX:
        if lines[index].strip():
            taken.append(index + 1)
            title = join_title([lines[n - 1] for n in taken])
            if title in wanted:
                return taken
            if not any(candidate.startswith(title) for candidate in wanted):
                return []
        index += 1
    return []


def _title_lines_below(lines: tuple[str, ...], number_index: int) -> list[int]:
    """Line numbers of a title printed under the number line, up to the addressees or body."""
    found: list[int] = []
    index = number_index + 1
    while index < len(lines) and len(found) < _TITLE_LINES_MAX:
        text = lines[index]
        if text.strip() and not is_page_number(text):
            if not could_be_title_line(text) or date_of_line(text) or docnumbers.number_of_line(text):
                break
            found.append(index + 1)
        index += 1
    return found if found and opens_title(lines[found[0] - 1]) else []


def _title_start(lines: tuple[str, ...], title_lines: list[int]) -> tuple[int, bool]:
    """The top-most line that can open a title (an organ, 关于, an order header).

    An organ-only line opens the title only when the next line goes on with 关于/转发 (gazette
    lines 121-123); above a line that names its own organ it is a stray signature.
    """
    for position, number in enumerate(title_lines):
        text = lines[number - 1]
        if not opens_title(text):
            continue
        following = lines[title_lines[position + 1] - 1] if position + 1 < len(title_lines) else ""
        if is_organ_line(text) and following and opens_title(following) and not is_organ_line(following):
            if not join_title([following]).startswith(("关于", "转发", "批转", "印发")):
                continue
        return number, True
    return title_lines[0], False


# The number first, then the title up to a space, then the body: '国办发〔2023〕5号 国务院办公厅关于
# 印发《…》重点任务分工方案的通知 各省、自治区…：' (a web page copied as one line). The number at the
# head of the line vouches for the title, so it may quote a document in 《》.
_NUMBER_FIRST = re.compile(
    r"^\s*(?P<number>[\u4e00-\u9fffA-Za-z]{1,10}\s*[〔\[(（【［]\s*(?:19|20)\d{2}\s*[〕\])）】］]\s*第?\s*\d{1,5}\s*号)\s*"
)
_TITLE_END = re.compile(rf"(?:{_TYPE_WORDS})(?:[(（](?:试行|暂行|草案|修订)[)）])?$")
_TITLE_STOP = re.compile(r"[。；;！？!?，,：:]")


def _number_then_title_and_body(line: str, *, near_top: bool) -> tuple[str, str, int] | None:
    """(title, number, offset of the body) of a line opening with a number, its title and its body."""
    first = _NUMBER_FIRST.match(line)
    number = docnumbers.normalise(first.group("number")) if first else None
    if first is None or number is None:
        return None
    space = re.search(r"\s", line[first.end() : first.end() + 160])
    if space is None:
        return None
    title = line[first.end() : first.end() + space.start()]
    body = first.end() + space.end()
    rest = line[body:]
    if not (_TITLE_END.search(title) and opens_title(title)):
        return None
    if _TITLE_STOP.search(title) or _RUNNING_TEXT.match(title):
        return None
    if not (near_top or _ADDRESSEES_AHEAD.match(rest)):
        return None
    return join_title([title]), number, body + len(rest) - len(rest.lstrip())


# A title with the body run on after it and no number: '某市优化营商环境工作要点一、深化…', '关于印发
# …的通知 各区县人民政府，…：'. The title ends with a 公文 type word (and a bracketed note such as
# （试行） or （2023—2025年）) not followed by 的; it stops before the first sentence mark or item.
_BODYLESS_TITLE_END = re.compile(rf"(?:{_TYPE_WORDS})(?:[(（][^（）()。，,]{{1,15}}[)）])?(?!的|和|及|、)")
_BODY_OPENING = re.compile(
    r"\s|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]"
    r"|各|市直|县直|省直|为|根据|按照|依据|近年来|当前|现将|现就|经|(?:19|20)\d{2}年"
    r"|[\u4e00-\u9fff]{1,10}[〔\[(（【［](?:19|20)\d{2}"  # a 发文字号
)
_FIRST_ITEM = re.compile(r"[一1１][、．.]|[(（][一1１][)）]")


def title_run_on_body(line: str) -> tuple[str, int] | None:
    """(title, offset of the body) of a line where a numberless title runs on into its body, or None.

    The title is the longest head, free of sentence marks and item markers, that ends with a type
    word; it is at least 6 characters and the body after it is not empty.
    """
    head = line[:_HEADLESS_TITLE_MAX]
    stop = _TITLE_STOP.search(head)
    head = head[: stop.start()] if stop else head
    first_item = _FIRST_ITEM.search(head)
    head = head[: first_item.start()] if first_item else head
    ends = [m.end() for m in _BODYLESS_TITLE_END.finditer(head)]
    if not ends:
        return None
    # a type word inside a longer title or an addressee ('计划单列市') is passed over for the first
    # one the body plainly follows (addressees, an item, a sentence opening), else the last
    end = next((e for e in ends if _BODY_OPENING.match(line, e)), ends[-1])
    title = join_title([line[:end]])
    body = end + len(line[end:]) - len(line[end:].lstrip())
    if len(title) < 6 or body >= len(line.rstrip()) or _RUNNING_TEXT.match(title):
        return None
    return title, body
