"""Documents and their 公文 elements: 发文字号, title, issuer, type, 主送机关, 成文日期, 附注, 附件.

A document runs from its header (``headers``) to the next one. Its elements are read from its
lines; a body flattened onto one long line (a received document copied from a web page) keeps its
addressees at the head of that line and its signature, date and 附注 at its tail
('…落地见效。国务院办公厅2020年7月15日（此件公开发布）'), and they are read there.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import replace
from datetime import date

from . import docnumbers
from .datelines import date_of_line, parse_date
from .elements import addressees_of_line, attachments_of, enclosed_titles, listed_vs_headings, note_of_line
from .headers import Header, find_headers, numberless_headers
from .model import Document, Flag, Issue
from .spans import SourceText, Span
from .titles import ORGANS, is_filler_line, issuer_of_signature, issuer_of_title, type_of_title

log = logging.getLogger(__name__)

_SIGNATURE_MAX = 40
_FLATTENED = 120  # a line this long with a sentence end may hold a whole body run together
# The tail of a flattened body: signature, date and an optional 附注 ('国务院办公厅2020年7月15日（此件公开发布）').
_TAIL = re.compile(
    r"(?P<signature>[\u4e00-\u9fff、\s\u3000]{2,40}?)\s*(?P<date>(?:19|20)\d{2}年\d{1,2}月\d{1,2}日)"
    r"\s*(?:[（(](?P<note>[^（）()]{2,20})[)）])?\s*$"
)
# A 发文字号 left at the head of a flattened body when the title was printed before it:
# '…的通知湖政办发〔2023〕15号各区县人民政府，…：'.
_LEADING_NUMBER = re.compile(r"^\s*[\u4e00-\u9fff]{1,10}[〔\[［(（]\d{4}[〕\]］)）]\d{1,5}号\s*")
_ADDRESSEE_LINES_MAX = 4
_SIGNATURE_LINES_MAX = 3  # a joint signature wraps over a few lines of organs  # a wrapped addressee list runs over at most a few printed lines
# HTML leftovers in signatures ('国务院办公厅 &sp;', State Council line 2307).
_ENTITY = re.compile(r"&[A-Za-z]+;")
# A section heading printed in the body between documents (used when no 目录 files the document).
_BODY_HEADING = re.compile(r"^\s*【([^】]+)】\s*$")
# Types that are sent to someone: without a 主送机关 line they are flagged (orders and 公告 are not).
_ADDRESSED_TYPES = frozenset({"通知", "意见", "批复", "函", "请示", "报告", "通报"})


def parse_documents(source: SourceText, issue: Issue | None) -> list[Document]:
    """Every document of the source, in order.

    Guarantees: spans do not overlap and cover each document from its first title line to its
    last non-blank line; doc numbers are normalised to 〔〕; what is missing is flagged, not invented.
    """
    skip_to = issue.span.end if issue and issue.span else 0
    headers = find_headers(source, skip_to)
    if issue and any(entry.doc_number is None for entry in issue.contents):
        headers = sorted(
            headers + numberless_headers(source, issue, headers, skip_to), key=lambda h: h.title_start
        )
    headings = _body_headings(source, skip_to)
    documents = []
    for index, header in enumerate(headers):
        stop = headers[index + 1].title_start - 1 if index + 1 < len(headers) else len(source)
        end = _last_non_blank(source, header.body_start - 1, stop)
        document = document_at(source, header, end, issue)
        if document.section is None:
            document = replace(document, section=_heading_above(headings, header.title_start))
        documents.append(document)
    log.info("found %d documents in %s", len(documents), source.name)
    return documents


def _body_headings(source: SourceText, skip_to: int) -> list[tuple[int, str]]:
    """(line, heading) of the section headings printed in the body ('【中卫市政府文件】')."""
    found = []
    lines = source.lines
    for index in [i for i in range(skip_to, len(lines)) if "【" in lines[i]]:  # every heading has 【
        match = _BODY_HEADING.match(lines[index])
        if match:
            found.append((index + 1, match.group(1)))
    return found


def _heading_above(headings: list[tuple[int, str]], line: int) -> str | None:
    """The last body heading above ``line``."""
    position = bisect.bisect_left(headings, (line, ""))
    return headings[position - 1][1] if position else None


def _last_non_blank(source: SourceText, start: int, stop: int) -> int:
    end = stop
    while end > start and is_filler_line(source.line(end)):
        end -= 1
    return end


def document_at(source: SourceText, header: Header, end: int, issue: Issue | None) -> Document:
    """The document from ``header`` to line ``end``, with every element found and flags for the rest."""
    number = header.doc_number
    body = list(
        zip(range(header.body_start, end + 1), source.lines[header.body_start - 1 : end], strict=True)
    )
    if body and header.body_column:
        body[0] = (body[0][0], body[0][1][header.body_column :])  # the header ran on into the body
    addressees, addressee_end = _addressees(body)
    cover_from = addressee_end + 1 if addressee_end else header.body_start
    date_line, signature = _date_line(source, body)
    signed = date_of_line(source.line(date_line)) if date_line else None
    publication = _publication(source, date_line, end)
    tail = _flattened_tail(body) if date_line is None else None
    if tail is not None:
        date_line, signed, signature, publication = tail
    cover_to = date_line or min(end, cover_from + 20)
    cover = "".join(source.line(n).strip() for n in range(cover_from, cover_to + 1))
    attachments, _ = attachments_of(body)
    document = Document(
        doc_number=number,
        title=header.title,
        issuer=_issuer(" ".join(source.line(n).strip() for n in header.title_lines), header.title, signature),
        type=type_of_title(header.title, number),
        date=signed,
        publication=publication,
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
        flags.append(
            _flag("missing_field", header.title_start, "未找到发文字号：按目录中的标题找到本文件", None)
        )
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
        colon = re.search(r"[:：]", text[:300])
        if not parts and len(text) > _FLATTENED and colon:
            # a flattened body: '各省、自治区、直辖市人民政府，国务院各部委、各直属机构：党中央…'
            head = text[: colon.end()]
            return addressees_of_line(head[_end_of_number(head) :]) or (), number
        parts.append(text.strip())
        found = addressees_of_line("\n".join(parts))
        if found is not None:
            return found, number
        if len(parts) >= _ADDRESSEE_LINES_MAX or re.search(r"[。！？]", text):
            break
    return (), None


def _end_of_number(text: str) -> int:
    match = _LEADING_NUMBER.match(text)
    return match.end() if match else 0


def _issuer(printed: str, title: str, signature: str | None) -> str | None:
    """发文机关 from the title as printed (spaces between joint organs kept), or the signature."""
    from_title = issuer_of_title(printed) or issuer_of_title(title)
    from_signature = issuer_of_signature(signature) if signature else None
    if from_title and from_signature and "、" in from_signature and "、" not in from_title:
        if from_signature.replace("、", "") == from_title:
            return from_signature
    return from_title or from_signature


def _missing(document: Document, header: Header) -> list[Flag]:
    """Flags for elements a document should have but that were not found."""
    number = document.doc_number
    flags = []
    if not header.sure:
        message = f"标题开头不是发文机关或“关于”，请核对：{header.title}"
        flags.append(_flag("uncertain_title", header.title_start, message, number))
    if document.date_line is None:
        flags.append(_flag("missing_field", header.number_line, "未找到成文日期", number))
    if document.issuer is None:
        flags.append(_flag("missing_field", header.title_start, "未找到发文机关", number))
    if document.type is None:
        message = f"标题中未识别出公文文种：{header.title}"
        flags.append(_flag("missing_field", header.title_start, message, number))
    if document.type in _ADDRESSED_TYPES and not document.addressees:
        flags.append(_flag("missing_field", header.body_start, "未找到主送机关", number))
    if re.search(r"印发|转发|批转", header.title) and not document.enclosed:
        flags.append(
            _flag("missing_field", header.title_start, "标题为印发、转发文件，但未找到所印发的文件", number)
        )
    return flags


def _date_line(source: SourceText, body: list[tuple[int, str]]) -> tuple[int | None, str | None]:
    """The 成文日期 line: the first date line under a signature (organ or '总理　　李克强')."""
    fallback = None
    previous: list[str] = []
    for number, text in body:
        if not text.strip():
            continue
        if date_of_line(text):
            if previous and _is_signature(previous[-1]):
                return number, _signature(previous)
            fallback = fallback or number
        previous.append(text)
    return fallback, None


def _signature(lines: list[str]) -> str:
    """The signature over a date line; a joint one printed over several lines of organs
    ('教育部　中央网信办　国家发展改革委' / '工业和信息化部　财政部') is joined with spaces."""
    texts = [_ENTITY.sub("", line).strip() for line in lines]
    first = len(texts) - 1
    if not ORGANS.match(texts[first]):
        return texts[first]  # '总理　李克强'
    while first > 0 and len(texts) - first < _SIGNATURE_LINES_MAX and ORGANS.match(texts[first - 1]):
        first -= 1
    return " ".join(texts[first:])


def _is_flattened(text: str) -> bool:
    """True for a line that holds a body run together: long, with a sentence end (items that end in
    a bracket instead of a full stop leave a cover note's one sentence as the only one)."""
    return len(text) > _FLATTENED and "。" in text


def _flattened_tail(body: list[tuple[int, str]]) -> tuple[int, date, str, str | None] | None:
    """(line, date, signature, 附注) at the end of a body flattened onto one long line, else None."""
    for number, text in reversed(body):
        if not text.strip():
            continue
        if not _is_flattened(text):
            return None
        tail = text[max(text.rfind("。"), len(text) - 80) + 1 :]
        match = _TAIL.search(tail)
        signature = match.group("signature").strip() if match else ""
        signed = parse_date(match.group("date")) if match else None
        if match is None or signed is None or not ORGANS.match(signature):
            return _signed_before_enclosure(number, text)
        return number, signed, signature, match.group("note")
    return None


# A cover note's signature and date inside a flattened line, an enclosed plan running on after it:
# '…请认真贯彻执行。 国务院办公厅 2023年2月10日 （此件公开发布） 重点任务分工方案 一、…'.
_SIGNED_INSIDE = re.compile(
    r"。\s*(?P<signature>[\u4e00-\u9fff、\s\u3000]{2,40}?)\s*(?P<date>(?:19|20)\d{2}年\d{1,2}月\d{1,2}日)"
    r"\s*(?:[（(](?P<note>[^（）()]{2,20})[)）])?"
)


def _signed_before_enclosure(number: int, text: str) -> tuple[int, date, str, str | None] | None:
    """The first signature and date after a sentence end of a flattened line, if an organ signs it."""
    for match in _SIGNED_INSIDE.finditer(text):
        signature = match.group("signature").strip()
        signed = parse_date(match.group("date"))
        if signed is not None and ORGANS.match(signature):
            return number, signed, signature, match.group("note")
    return None


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
        if "号" not in text:
            continue  # every document number ends in 号 (find_cited would find none)
        for number, _offset in docnumbers.find_cited(text):
            if number != own and number not in found:
                found.append(number)
    return tuple(found)


def _section(issue: Issue | None, header: Header, number: str | None) -> tuple[str | None, Flag | None]:
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
                    f"目录中的标题与文件标题不一致：{entry.title} / {header.title}",
                    number,
                )
            return entry.section, flag
    return None, _flag("contents_mismatch", header.number_line, "本文件未列入目录", number)


def _flag(kind: str, line: int, message: str, number: str | None) -> Flag:
    return Flag(kind=kind, line=line, message=message, doc_number=number)
