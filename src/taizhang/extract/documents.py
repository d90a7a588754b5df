"""Document boundaries and 公文 elements: 发文字号, title, issuer, type, 主送机关, 成文日期, 附注, 附件.

A document starts with its title (one or more lines, maybe an issuer line of its own) followed,
after blank lines, by a line that is nothing but its number ('卫政办发〔2022〕6号', gazette line 186),
or for an order (令) by '第707号' under a '…令' title (State Council file line 822). It ends where
the next one starts. The 目录 of an issue and numbers cited in running text never start one: the
former lie inside the issue header, the latter are never a line of their own.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, replace

from . import docnumbers
from .datelines import date_of_line
from .elements import addressees_of_line, attachments_of, enclosed_titles, listed_vs_headings, note_of_line
from .model import ContentsEntry, Document, Flag, Issue
from .spans import SourceText, Span
from .titles import (
    could_be_title_line,
    is_filler_line,
    is_organ_line,
    is_page_number,
    is_red_header,
    issuer_of_signature,
    issuer_of_title,
    join_title,
    opens_title,
    type_of_title,
)

log = logging.getLogger(__name__)

_TITLE_LINES_MAX = 6  # the longest State Council title runs over 4 printed lines (line 261)
_SIGNATURE_MAX = 40
_ADDRESSEE_LINES_MAX = 4  # a wrapped addressee list runs over at most a few printed lines
# HTML leftovers in signatures ('国务院办公厅 &sp;', State Council line 2307).
_ENTITY = re.compile(r"&[A-Za-z]+;")
# A section heading printed in the body between documents (used when no 目录 files the document).
_BODY_HEADING = re.compile(r"^\s*【([^】]+)】\s*$")
# Types that are sent to someone: without a 主送机关 line they are flagged (orders and 公告 are not).
_ADDRESSED_TYPES = frozenset({"通知", "意见", "批复", "函", "请示", "报告", "通报"})


@dataclass(frozen=True)
class _Header:
    title_start: int
    title_lines: tuple[int, ...]
    number_line: int  # for a document without a number, its last title line
    doc_number: str | None
    title: str
    sure: bool
    body_start: int  # first line after the number line, or after a title printed below it


def parse_documents(source: SourceText, issue: Issue | None) -> list[Document]:
    """Every document of the source, in order.

    Guarantees: spans do not overlap and cover each document from its first title line to its
    last non-blank line; doc numbers are normalised to 〔〕; what is missing is flagged, not invented.
    """
    skip_to = issue.span.end if issue and issue.span else 0
    headers = _find_headers(source, skip_to)
    if issue and any(entry.doc_number is None for entry in issue.contents):
        headers = sorted(
            headers + _numberless_headers(source, issue, headers, skip_to), key=lambda h: h.title_start
        )
    headings = _body_headings(source, skip_to)
    documents = []
    for index, header in enumerate(headers):
        stop = headers[index + 1].title_start - 1 if index + 1 < len(headers) else len(source)
        end = _last_non_blank(source, header.body_start - 1, stop)
        document = _document(source, header, end, issue)
        if document.section is None:
            document = replace(document, section=_heading_above(headings, header.title_start))
        documents.append(document)
    log.info("found %d documents in %s", len(documents), source.name)
    return documents


def _body_headings(source: SourceText, skip_to: int) -> list[tuple[int, str]]:
    """(line, heading) of the section headings printed in the body ('【中卫市政府文件】')."""
    found = []
    for index in range(skip_to, len(source.lines)):
        match = _BODY_HEADING.match(source.lines[index])
        if match:
            found.append((index + 1, match.group(1)))
    return found


def _heading_above(headings: list[tuple[int, str]], line: int) -> str | None:
    """The last body heading above ``line``."""
    position = bisect.bisect_left(headings, (line, ""))
    return headings[position - 1][1] if position else None


def _find_headers(source: SourceText, skip_to: int = 0) -> list[_Header]:
    """Title and number of every document, in line order (one pass over the lines)."""
    headers: list[_Header] = []
    lines = source.lines
    for index in range(skip_to, len(lines)):
        number = docnumbers.number_of_line(lines[index])
        serial = None if number else docnumbers.order_serial_of_line(lines[index])
        if not number and serial is None:
            order = docnumbers.order_of_line(lines[index])
            if order and opens_title(order[0]):
                number = docnumbers.order_number(*order)
                headers.append(_Header(index + 1, (index + 1,), index + 1, number, order[0], True, index + 2))
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
        headers.append(_Header(start, kept, index + 1, str(number), title, sure, body_start))
    return headers


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


def _numberless_headers(
    source: SourceText, issue: Issue, headers: list[_Header], skip_to: int
) -> list[_Header]:
    """Documents the 目录 lists without a number (纪要, 公告), found by their title in the body."""
    wanted = {entry.title: entry for entry in issue.contents if entry.doc_number is None and entry.title}
    taken = {n for header in headers for n in range(header.title_start, header.body_start)}
    found: list[_Header] = []
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
                _Header(
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


def _last_non_blank(source: SourceText, start: int, stop: int) -> int:
    end = stop
    while end > start and is_filler_line(source.line(end)):
        end -= 1
    return end


def _document(source: SourceText, header: _Header, end: int, issue: Issue | None) -> Document:
    number = header.doc_number
    body = [(n, source.line(n)) for n in range(header.body_start, end + 1)]
    addressees, addressee_end = _addressees(body)
    cover_from = addressee_end + 1 if addressee_end else header.body_start
    date_line, signature = _date_line(source, body)
    cover_to = date_line or min(end, cover_from + 20)
    cover = "".join(source.line(n).strip() for n in range(cover_from, cover_to + 1))
    attachments, _ = attachments_of(body)
    document = Document(
        doc_number=number,
        title=header.title,
        issuer=_issuer(" ".join(source.line(n).strip() for n in header.title_lines), header.title, signature),
        type=type_of_title(header.title, number),
        date=date_of_line(source.line(date_line)) if date_line else None,
        publication=_publication(source, date_line, end),
        addressees=addressees,
        enclosed=enclosed_titles(header.title, cover),
        attachments=attachments,
        cited_doc_numbers=_cited(body, number or ""),
        span=Span(header.title_start, end),
        date_line=date_line,
        section=None,
    )
    section, contents_flag = _section(issue, header, number)
    flags = _missing(document, header) + ([contents_flag] if contents_flag else [])
    if number is None:
        flags.append(_flag("missing_field", header.title_start, "no 发文字号: found by its 目录 title", None))
    flags.extend(
        _flag("attachment_mismatch", line, message, number) for line, message in listed_vs_headings(body)
    )
    return replace(document, section=section, flags=tuple(flags))


def _addressees(body: list[tuple[int, str]]) -> tuple[tuple[str, ...], int | None]:
    """主送机关 and the line they end on: the first lines of the body up to a colon.

    A long list may wrap over a few printed lines before its colon (PDF text); a sentence end
    before the colon means body text, not addressees (an order has none, State Council line 824).
    """
    parts: list[str] = []
    for number, text in body:
        if not text.strip():
            continue
        parts.append(text.strip())
        found = addressees_of_line("".join(parts))
        if found is not None:
            return found, number
        if len(parts) >= _ADDRESSEE_LINES_MAX or re.search(r"[。！？]", text):
            break
    return (), None


def _issuer(printed: str, title: str, signature: str | None) -> str | None:
    """发文机关 from the title as printed (spaces between joint organs kept), or the signature."""
    from_title = issuer_of_title(printed) or issuer_of_title(title)
    from_signature = issuer_of_signature(signature) if signature else None
    if from_title and from_signature and "、" in from_signature and "、" not in from_title:
        if from_signature.replace("、", "") == from_title:
            return from_signature
    return from_title or from_signature


def _missing(document: Document, header: _Header) -> list[Flag]:
    """Flags for elements a document should have but that were not found."""
    number = document.doc_number
    flags = []
    if not header.sure:
        message = f"title does not open with an organ or 关于: {header.title}"
        flags.append(_flag("uncertain_title", header.title_start, message, number))
    if document.date_line is None:
        flags.append(_flag("missing_field", header.number_line, "no 成文日期 line found", number))
    if document.issuer is None:
        flags.append(_flag("missing_field", header.title_start, "issuer (发文机关) not found", number))
    if document.type is None:
        message = f"公文 type not recognised in title: {header.title}"
        flags.append(_flag("missing_field", header.title_start, message, number))
    if document.type in _ADDRESSED_TYPES and not document.addressees:
        flags.append(_flag("missing_field", header.body_start, "no 主送机关 line found", number))
    if re.search(r"印发|转发|批转", header.title) and not document.enclosed:
        flags.append(
            _flag("missing_field", header.title_start, "title issues a document but none was found", number)
        )
    return flags


def _date_line(source: SourceText, body: list[tuple[int, str]]) -> tuple[int | None, str | None]:
    """The 成文日期 line: the first date line under a signature (organ or '总理　　李克强')."""
    fallback = None
    previous: str | None = None
    for number, text in body:
        if not text.strip():
            continue
        if date_of_line(text):
            if previous is not None and _is_signature(previous):
                return number, _ENTITY.sub("", previous).strip()
            fallback = fallback or number
        previous = text
    return fallback, None


def _is_signature(text: str) -> bool:
    text = _ENTITY.sub("", text).strip()
    return 0 < len(text) <= _SIGNATURE_MAX and not re.search(r"[。，,；;：:！？\t|]", text)


def _publication(source: SourceText, date_line: int | None, end: int) -> str | None:
    """The 附注 on the first non-blank line under the date, brackets stripped."""
    if date_line is None:
        return None
    for number in range(date_line + 1, end + 1):
        text = source.line(number)
        if text.strip():
            return note_of_line(text) or _bare_note(text)
    return None


def _bare_note(text: str) -> str | None:
    """A 附注 printed without brackets: '此件公开发布' right under the date."""
    text = text.strip()
    return text if re.fullmatch(r"(?:此件|本件)[\u4e00-\u9fff，,、]{2,20}", text) else None


def _cited(body: list[tuple[int, str]], own: str) -> tuple[str, ...]:
    found: list[str] = []
    for _, text in body:
        for number, _offset in docnumbers.find_cited(text):
            if number != own and number not in found:
                found.append(number)
    return tuple(found)


def _section(issue: Issue | None, header: _Header, number: str | None) -> tuple[str | None, Flag | None]:
    """The 目录 heading the document is filed under, and a flag when the 目录 title differs."""
    if not issue or not issue.contents:
        return None, None
    for entry in issue.contents:
        if (number and entry.doc_number == number) or (not number and entry.title == header.title):
            flag = None
            if entry.title != header.title:
                flag = _flag(
                    "contents_mismatch",
                    entry.line,
                    f"目录 title differs from the document header: {entry.title} / {header.title}",
                    number,
                )
            return entry.section, flag
    return None, _flag("contents_mismatch", header.number_line, "document not listed in the 目录", number)


def _flag(kind: str, line: int, message: str, number: str | None) -> Flag:
    return Flag(kind=kind, line=line, message=message, doc_number=number)
