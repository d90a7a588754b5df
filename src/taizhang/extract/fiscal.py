"""The 事权/支出责任 matrix of a fiscal responsibility division (卫政办发〔2022〕15号).

Each sentence of the form ``将 X,确认为 L(财政)事权,由 L 承担支出责任`` assigns the matters X to
the level L: 市本级, a district (沙坡头区), or both (``…共同财政事权``, level ``shared``). Sentences
broken by a page are re-joined first (``cleanup.paragraphs``, the one page-break repair); every matter
keeps the line its sentence starts on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .cleanup import ParagraphReader
from .document_spans import document_spans
from .model import Document
from .spans import SourceText
from .tables import fold

# "确认为市本级财政事权" (三(一)), "确认为市本级事权" (三(三)4), "确认为沙坡头区级财政事权" (自然资源 三(二)2),
# "确认为市本级与沙坡头区共同财政事权" (自然资源 三(八)).
ASSIGNMENT = re.compile(
    r"""将(?P<matter>.+?)[,,]?\s*
    确认为(?P<level>[^,,。;;]{1,20}?)(?:财政)?事权""",
    re.VERBOSE,
)
SECTION = re.compile(
    r"^\s*(?:[((][一二三四五六七八九十]+[))]|[一二三四五六七八九十]+、)\s*(?P<title>[^。]+?)。?$"
)
ITEM = re.compile(r"^\s*\d+\s*[.、.]\s*(?P<title>[^。]+)。")
PLAN = re.compile(r"(?P<domain>[\u4e00-\u9fff、]+?)领域财政事权.{0,6}支出责任划分.*方案$")


@dataclass(frozen=True)
class FiscalMatter:
    """Matters assigned to one level by one sentence, with the sentence and its source line."""

    doc_number: str | None
    domain: str | None  # 生态环境 / 自然资源
    section: str | None  # "(三)生态环境管理事务与能力建设 / 1. 环境保护税复核"
    matter: str  # the text between 将 and 确认为
    items: tuple[str, ...]  # the matter split into its listed parts
    level: str  # 市本级 / 沙坡头区 / shared
    level_text: str  # as printed: 市本级与沙坡头区共同
    sentence: str
    line: int


def _level(text: str) -> str:
    if "共同" in text:
        return "shared"
    return text.removesuffix("级") if text.endswith("区级") or text.endswith("县级") else text


_ITEM_MARK = re.compile("[(（《)）》,，、;；]")
_LEADING_WORD = re.compile(r"^(将|以及|及)")


def split_items(matter: str) -> tuple[str, ...]:
    """A matter list split on ,、; outside brackets, without a leading 将 or 以及."""
    parts, depth, start = [], 0, 0
    for match in _ITEM_MARK.finditer(matter):  # only brackets and separators, not every character
        char = match.group()
        if char in "(（《":
            depth += 1
        elif char in ")）》":
            depth -= 1
        elif depth == 0:
            parts.append(matter[start : match.start()])
            start = match.end()
    parts.append(matter[start:])
    cleaned = (_LEADING_WORD.sub("", p.strip()) for p in parts)
    return tuple(p for p in cleaned if p)


def find_fiscal_matters(
    source: SourceText, documents: Sequence[Document], read: ParagraphReader | None = None
) -> list[FiscalMatter]:
    """Every 将…确认为…事权 sentence of the source, as a matter with its level; ``read`` gives the
    paragraphs (the task stage's, when the extraction shares them)."""
    read = read or ParagraphReader(source)
    found = []
    for doc_number, span in document_spans(source, documents):
        paragraphs = read(span)
        # every matter is stated with 确认为 (see _assignments), maybe across a line or page break:
        # a document none of whose paragraphs says it has nothing to find
        if not any("确认为" in paragraph.text for paragraph in paragraphs):
            continue
        domain = section = item = None
        for paragraph in paragraphs:
            if paragraph.is_table_row:
                continue
            line, text = paragraph.span.start, paragraph.text
            # the words are tested first: PLAN's lazy run is quadratic on a long line without them
            plan = PLAN.search(text) if "领域财政事权" in text and "。" not in text else None
            if plan:
                domain, section, item = plan["domain"], None, None
                continue
            heading, numbered = SECTION.match(fold(text)), ITEM.match(fold(text))
            if heading:
                section, item = text[slice(*heading.span("title"))], None
            if numbered:
                item = text[slice(*numbered.span("title"))]
            where = " / ".join(p for p in (section, item) if p) or None
            found.extend(_assignments(text, doc_number, domain, where, line))
    return found


def _assignments(
    text: str, doc_number: str | None, domain: str | None, where: str | None, line: int
) -> list[FiscalMatter]:
    found: list[FiscalMatter] = []
    if "确认为" not in text:
        return found  # (ASSIGNMENT's lazy matter would scan a long line from every 将)
    for sentence in re.split(r"(?<=。)", text):
        for match in ASSIGNMENT.finditer(fold(sentence)):  # same length: slice the original text
            matter, level = sentence[slice(*match.span("matter"))], sentence[slice(*match.span("level"))]
            found.append(
                FiscalMatter(
                    doc_number,
                    domain,
                    where,
                    matter,
                    split_items(matter),
                    _level(level),
                    level,
                    sentence.strip(),
                    line,
                )
            )
    return found


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def who(matters: list[FiscalMatter], query: str) -> list[tuple[FiscalMatter, float]]:
    """Matters answering "who pays for ``query``?", best first: exact mentions score 1, else bigram overlap ≥ 0.5."""
    query = re.sub(r"\s+", "", query)
    scored = []
    for matter in matters:
        if query in matter.matter:
            scored.append((matter, 1.0))
            continue
        wanted = _bigrams(query)
        best = max((len(wanted & _bigrams(i)) / len(wanted) for i in matter.items), default=0.0)
        if best >= 0.5:
            scored.append((matter, round(best, 3)))
    return sorted(scored, key=lambda pair: (-pair[1], pair[0].line))
