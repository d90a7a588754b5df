"""Normative documents (规范性文件) and the links that change their status: repealed (废止),
declared void (失效), revised (修订).

A document is normative when the text says so, in one of three ways (each kept as the reason):

- its number carries the normative mark 规 (卫政规发〔2022〕1号, 宁政规发〔2021〕3号);
- a repeal decision lists it in a catalogue of 规范性文件 (决定废止的市人民政府行政规范性文件目录);
- it issues rules: its title or enclosed title ends in 办法, 规定, 规则, 细则 or 实施意见 of a
  规范性 kind (…工作规则(试行)).

Links come from repeal decisions (``repeals.repealed_documents``, which reads their attachment
tables) and from sentences of any document: ``《X》(某发〔2015〕3号)同时废止``, ``…停止执行``,
``现公布修订后的《X》`` with the number it was first issued under, ``关于修改《X》的决定``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .docnumbers import find_cited
from .model import Document
from .repeals import repeal_status, repealed_documents
from .spans import SourceText

STATUSES = ("有效", "废止", "失效", "修订")  # 有效 until a later document says otherwise

# 规 between the organ and 发 marks a normative document's number: 卫政规发, 宁政办规发, 国办规.
_NORMATIVE_NUMBER = re.compile(r"规(?:发|字)?〔")
# Titles of documents that lay down rules: '…咨询论证工作规则(试行)' (卫政办发〔2022〕35号).
_RULES_TITLE = re.compile(r"(?:办法|规定|规则|细则|实施办法|管理办法)(?:[(（]试行[)）])?》?$")
# Catalogues of normative documents in a repeal decision's title or annex heading.
_NORMATIVE_CATALOGUE = re.compile(r"规范性文件")

# Sentences that repeal or revise another document in passing. Each cites where it is seen:
#   '《中卫市…办法》(卫政发〔2015〕3号)同时废止' — the closing article of a new 办法;
#   '…的通知(国办发〔2010〕12号)停止执行' — State Council notices replacing older ones.
_IN_PASSING = re.compile(r"(?P<verb>同时废止|予以废止|停止执行|不再执行|同时失效|自行失效)")
# Each verb of _IN_PASSING ends in one of these: a line with none of them has no verb to find.
_IN_PASSING_ENDS = ("废止", "执行", "失效")
_IN_PASSING_END = re.compile("|".join(_IN_PASSING_ENDS))  # one search per line, not one test per word
# '现公布修订后的《中华人民共和国个人所得税法实施条例》' (State Council file line 824) with its
# history note '国务院令第142号发布 … 第四次修订' (line 832): the first number is the revised one.
_REVISED = re.compile(r"修订后的《(?P<title>[^》]+)》")
_FIRST_ISSUED = re.compile(r"(?P<number>\S+?令第\d+号|\S+?〔\d{4}〕\d+号)发布")
_AMENDS_TITLE = re.compile(r"关于修改《(?P<title>[^》]+)》")


@dataclass(frozen=True)
class NormativeDocument:
    """A document the text shows to be normative, and why."""

    doc_number: str
    title: str | None
    reason: str  # in Chinese: 文号含“规”字 / 列入规范性文件目录 / 制定规则
    line: int


@dataclass(frozen=True)
class StatusLink:
    """``by`` changes ``doc_number``'s status to ``status`` (废止, 失效 or 修订) at ``line``."""

    doc_number: str | None  # the target; None when only its title is printed
    title: str | None
    status: str
    by: str | None  # the document that says so
    line: int
    reason: str


def _own(source: SourceText, document: Document) -> list[NormativeDocument]:
    number = document.doc_number
    if not number:
        return []
    line = document.span.start
    if _NORMATIVE_NUMBER.search(number):
        return [NormativeDocument(number, document.title, "文号含“规”字", line)]
    for title in (document.title, *document.enclosed):
        if _RULES_TITLE.search(title.strip()):
            return [NormativeDocument(number, document.title, f"制定规则：{title.strip('《》')}", line)]
    return []


def _listed(source: SourceText, document: Document) -> list[NormativeDocument]:
    if not _NORMATIVE_CATALOGUE.search(document.title):
        return []
    return [
        NormativeDocument(r.doc_number, r.title, f"列入{document.doc_number or ''}规范性文件目录", r.line)
        for r in repealed_documents(source, document)
    ]


def find_normative(
    source: SourceText, documents: list[Document] | tuple[Document, ...]
) -> list[NormativeDocument]:
    """Every document shown to be normative, the documents of the issue and those they list."""
    found: dict[str, NormativeDocument] = {}
    for document in documents:
        for item in (*_own(source, document), *_listed(source, document)):
            found.setdefault(item.doc_number, item)
    return list(found.values())


def _passing_links(source: SourceText, document: Document) -> list[StatusLink]:
    links: list[StatusLink] = []
    for line, text in source.numbered(document.span):
        if _IN_PASSING_END.search(text) is None:
            continue
        for verb in _IN_PASSING.finditer(text):
            before = text[max(0, verb.start() - 120) : verb.start()]
            cited = [n for n, _ in find_cited(before) if n != document.doc_number]
            if not cited:
                continue
            status = "失效" if "失效" in verb.group("verb") else "废止"
            titles = re.findall(r"《([^》]+)》", before)
            reason = f"{document.doc_number or document.title}：{verb.group('verb')}"
            links.append(
                StatusLink(
                    cited[-1], titles[-1] if titles else None, status, document.doc_number, line, reason
                )
            )
    return links


def _revision_links(source: SourceText, document: Document) -> list[StatusLink]:
    links: list[StatusLink] = []
    text = source.text(document.span)
    if "修订后的《" not in text and "关于修改《" not in text:
        return links  # neither pattern can match a line of this document
    for line, text in source.numbered(document.span):
        revised = _REVISED.search(text) or _AMENDS_TITLE.search(text)
        if revised is None:
            continue
        title = revised.group("title")
        number = _first_issue_number(source, document, line)
        reason = f"{document.doc_number or document.title}：修订《{title}》"
        links.append(StatusLink(number, title, "修订", document.doc_number, line, reason))
        break  # one revision per document: the later lines are the revised text itself
    return links


def _first_issue_number(source: SourceText, document: Document, after: int) -> str | None:
    """The number the revised text was first issued under, from its history note ('…令第142号发布')."""
    for line, text in source.numbered(document.span):
        if line > after and "发布" in text:
            match = _FIRST_ISSUED.search(text.replace(" ", "").replace("\u3000", ""))
            if match:
                cited = find_cited(match.group("number"))
                number = cited[0][0] if cited else None
                if number and number != document.doc_number:
                    return number
    return None


def find_status_links(
    source: SourceText, documents: list[Document] | tuple[Document, ...]
) -> list[StatusLink]:
    """Every repeal, voiding and revision the documents state, in source order."""
    links: list[StatusLink] = []
    for document in documents:
        if repeal_status(document.title):
            links.extend(
                StatusLink(r.doc_number, r.title, r.status, document.doc_number, r.line, r.reason)
                for r in repealed_documents(source, document)
            )
        else:
            links.extend(_passing_links(source, document))
        links.extend(_revision_links(source, document))
    return sorted(links, key=lambda link: link.line)
